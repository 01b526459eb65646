"""A class of phones through the API: several sessions, roles, limits, a published model, a restart."""

import re
import time

import numpy as np
import pytest
from gradio_client import Client, handle_file
from gradio_client.exceptions import AppError

from app_server.class_store import new_code
from app_server.errors import Refusal
from app_server.errors import ClassroomError
from support.apprunner import running_app
from support.strokes import pad_png

FORGED = ["0123456789abcdef0123456789abcdef", "0123456789abcdef" * 4]  # keys this server never issued


@pytest.fixture(scope="module")
def pictures(tmp_path_factory) -> dict[int, dict]:
    folder = tmp_path_factory.mktemp("digits")
    files = {}
    for digit in range(10):
        (folder / f"{digit}.png").write_bytes(pad_png(digit, size=160 + 7 * digit))
        files[digit] = handle_file(str(folder / f"{digit}.png"))
    return files


def add_all(client: Client, pictures: dict, digits=range(10)) -> list[dict]:
    out = []
    for digit in digits:
        out.append(client.predict(pictures[digit], digit, api_name="/class_add"))
        time.sleep(0.34)  # a hand's pace, within the rate every session is held to
    return out


@pytest.fixture(scope="module")
def a_class(app_url, pictures):
    """A class with a teacher and three students who each added every digit once."""
    teacher = Client(app_url, verbose=False)
    started = teacher.predict(api_name="/class_start")
    students = [Client(app_url, verbose=False) for _ in range(3)]
    for student in students:
        student.predict(started["code"], api_name="/class_join")
        add_all(student, pictures)
    return teacher, students, started


def test_a_class_starts_with_a_code_of_40_bits_and_a_link_that_joins_it(a_class, app_url):
    _, _, started = a_class
    assert len(started["code"].replace("-", "")) == 8 and started["link"].startswith(app_url.rstrip("/"))
    assert started["link"].endswith(f"?class={started['code']}")


def test_students_are_numbered_and_every_acknowledged_drawing_is_stored(a_class):
    teacher, students, _ = a_class
    status = teacher.predict(api_name="/class_status")
    assert status["role"] == "teacher" and status["students"] == {"1": 10, "2": 10, "3": 10}
    assert status["digits"] == [3] * 10 + [0] and status["total"] == 30  # (the last: drawings not a digit)
    assert students[1].predict(api_name="/class_status")["student"] == 2


@pytest.mark.parametrize("endpoint, args", [
    pytest.param("/class_teach", (), id="teach"), pytest.param("/class_publish", (), id="publish"),
    pytest.param("/class_delete", (1,), id="delete-a-drawing"), pytest.param("/class_remove", (1,), id="remove-a-student"),
    pytest.param("/class_end", (), id="end-the-class"),
])
def test_a_student_cannot_do_a_teachers_work(a_class, endpoint, args):
    teacher, students, _ = a_class
    with pytest.raises(AppError, match="Only the class's teacher can do that"):
        students[0].predict(*args, api_name=endpoint)
    assert teacher.predict(api_name="/class_status")["total"] == 30  # nothing changed


def test_another_class_sees_nothing_of_this_one(a_class, app_url, pictures):
    other = Client(app_url, verbose=False)
    other.predict(api_name="/class_start")
    add_all(other, pictures, digits=[3])
    assert [d["digit"] for d in other.predict(api_name="/class_drawings")["drawings"]] == [3]
    teacher, _, _ = a_class
    assert len(teacher.predict(api_name="/class_drawings")["drawings"]) == 30


@pytest.mark.parametrize("make, digit, message", [
    pytest.param(lambda folder: pad_png(3), 12, "The digit must be a whole number from 0 to 9, or 10 for not a digit, "
                 "got 12", id="digit-12"),
    pytest.param(lambda folder: pad_png(3), "seven", "got 'seven'", id="digit-as-text"),
    pytest.param(lambda folder: np.zeros((280, 280, 4), np.uint8), 10, "This drawing is blank",
                 id="a-blank-drawing"),
    pytest.param(lambda folder: np.full((64, 4100), 255, np.uint8), 3, "largest accepted side is 4000 px",
                 id="an-oversized-picture"),
])
def test_a_bad_drawing_is_refused_in_one_line_and_nothing_is_stored(a_class, tmp_path, make, digit, message):
    from PIL import Image

    _, students, _ = a_class
    picture = make(tmp_path)
    path = tmp_path / "bad.png"
    path.write_bytes(picture) if isinstance(picture, bytes) else Image.fromarray(picture).save(path)
    before = students[2].predict(api_name="/class_status")["total"]
    with pytest.raises(AppError, match=message):
        students[2].predict(handle_file(str(path)), digit, api_name="/class_add")
    assert students[2].predict(api_name="/class_status")["total"] == before


def test_an_unknown_code_is_refused_in_the_visitors_language(app_url):
    client = Client(app_url, verbose=False)
    with pytest.raises(AppError, match="There is no class with the code 'ZZZZ-ZZZZ'"):
        client.predict("zzzz-zzzz", api_name="/class_join")
    with pytest.raises(AppError, match="没有代码为 'ZZZZ-ZZZZ' 的班级"):
        client.predict("ZZZZ-ZZZZ", lang="zh-CN", api_name="/class_join")


def test_a_student_adding_after_the_teacher_ended_the_class_is_told_it_is_over(app_url, pictures):
    teacher, student = Client(app_url, verbose=False), Client(app_url, verbose=False)
    code = teacher.predict(api_name="/class_start")["code"]
    student.predict(code, api_name="/class_join")
    teacher.predict(api_name="/class_end")
    with pytest.raises(AppError, match="You are in no class: start one"):  # a second End: not "only the
        teacher.predict(api_name="/class_end")  # class's teacher can do that"
    with pytest.raises(AppError, match=f"The class {code} is over: ask your teacher for a new one"):
        student.predict(pictures[4], 4, api_name="/class_add")
    with pytest.raises(AppError, match=f"The class {code} is over"):
        student.predict(api_name="/class_status")


def test_adding_faster_than_a_hand_is_refused(app_url, pictures):
    """Six drawings sent at once (sent one after another, each waiting for its answer, a busy machine
    answered slower than a hand draws, and nothing was refused): three a second are let in."""
    client = Client(app_url, verbose=False)
    client.predict(api_name="/class_start")
    jobs = [client.submit(pictures[1], 1, api_name="/class_add") for _ in range(6)]
    refusals = []
    for job in jobs:
        try:
            job.result(timeout=120)
        except AppError as exc:
            refusals.append(str(exc))
    assert refusals and all("Slow down a little" in said for said in refusals), refusals


def test_teaching_reports_before_and_after_and_a_published_model_reaches_every_students_predictions(a_class,
                                                                                                      pictures):
    teacher, students, _ = a_class
    taught = teacher.predict(api_name="/class_teach")
    assert set(taught) >= {"before", "after", "seconds"} and taught["held_out"] == 10  # one student of three
    for side in ("before", "after"):
        assert 0.9 <= taught[side]["mnist"] <= 1 and 0 <= taught[side]["class"] <= 1
    assert taught["seconds"] < 60
    teacher_answer = teacher.predict(pictures[4], api_name="/predict")["probabilities"]
    student_before = students[0].predict(pictures[4], api_name="/predict")["probabilities"]
    assert not np.allclose(student_before, teacher_answer, atol=1e-6)  # the student still has the shipped model
    assert teacher.predict(api_name="/class_publish")["version"] == 1
    student_after = students[0].predict(pictures[4], api_name="/predict")["probabilities"]
    np.testing.assert_allclose(student_after, teacher_answer, atol=1e-6)  # the class's model, at once


@pytest.mark.slow  # (starts an app of its own)
def test_after_a_restart_a_key_is_back_in_its_class_and_a_drawing_goes_there_saying_so(tiny_mnist, tiny_drawn,
                                                                                       tmp_path, pictures):
    """A student's phone after the server restarted: its drawing goes to the class, never silently
    to a collection of its own; the teacher is still its teacher."""
    settings = dict(MNIST_DATA_DIR=str(tiny_mnist), MNIST_DRAWN_FILE=str(tiny_drawn),
                    MNIST_APP_DATA_DIR=str(tmp_path / "classes"))
    with running_app(tmp_path / "first.log", MNIST_APP_DIR=str(tmp_path / "app-1"), **settings) as url:
        started = Client(url, verbose=False).predict(api_name="/class_start")
        student = Client(url, verbose=False)
        joined = student.predict(started["code"], api_name="/class_join")
        add_all(student, pictures, digits=[1, 2])
    with running_app(tmp_path / "second.log", MNIST_APP_DIR=str(tmp_path / "app-2"), **settings) as url:
        student = Client(url, verbose=False)  # new sessions: their keys say who they are
        added = student.predict(pictures[3], 3, key=joined["key"], api_name="/class_add")
        assert (added["code"], added["role"], added["count"]) == (started["code"], "student", 3)
        teacher = Client(url, verbose=False)
        status = teacher.predict(key=started["key"], api_name="/class_status")
        assert status["role"] == "teacher" and status["total"] == 3 and status["code"] == started["code"]


@pytest.mark.parametrize("forged", FORGED, ids=["a-page-key-of-old", "a-key-of-the-issued-shape"])
def test_a_key_the_server_did_not_issue_is_nobodys_identity(a_class, app_url, forged):
    _, _, started = a_class
    client = Client(app_url, verbose=False)
    assert client.predict(key=forged, api_name="/class_status")["role"] == "own"
    joined = client.predict(started["code"], key=forged, api_name="/class_join")
    assert joined["key"] != forged and joined["student"] >= 4  # a new student, known by the key issued to it
    again = Client(app_url, verbose=False).predict(started["code"], key=joined["key"], api_name="/class_join")
    assert again["student"] == joined["student"]


def test_a_teachers_other_page_is_told_once_that_the_class_ended_and_goes_on_outside_it(app_url):
    """(the teacher ended the class on the laptop; the phone, on the same key, was told "there is no
    class with the code ..." in every answer after, End and Send included)"""
    laptop, phone = Client(app_url, verbose=False), Client(app_url, verbose=False)
    started = laptop.predict(api_name="/class_start")
    assert phone.predict(key=started["key"], api_name="/class_status")["role"] == "teacher"
    laptop.predict(api_name="/class_end")
    with pytest.raises(AppError, match="You are in no class: start one"):
        phone.predict(key=started["key"], api_name="/class_end")
    status = phone.predict(key=started["key"], api_name="/class_status")
    assert status["role"] == "own" and status["total"] == 0


def test_a_removed_student_cannot_join_again_with_the_same_key(app_url):
    teacher, student = Client(app_url, verbose=False), Client(app_url, verbose=False)
    code = teacher.predict(api_name="/class_start")["code"]
    key = student.predict(code, api_name="/class_join")["key"]
    teacher.predict(1, api_name="/class_remove")
    with pytest.raises(AppError, match="The teacher removed you from this class"):
        Client(app_url, verbose=False).predict(code, key=key, api_name="/class_join")
    assert teacher.predict(api_name="/class_status")["students"] == {}
    teacher.predict(api_name="/class_end")


# --- one caller's share: unit by unit, on a store of their own ---------------------------------------


@pytest.fixture
def classes(tmp_path, monkeypatch):
    """app_server.classes with its store, its signing secret and its callers' allowances made afresh."""
    from app_server import classes

    monkeypatch.setenv("MNIST_APP_DATA_DIR", str(tmp_path / "data"))
    for allowance in (classes.STARTS, classes.JOINS, classes.MISSES):
        monkeypatch.setattr(allowance, "recent", {})
    classes.store.cache_clear(), classes.signing_secret.cache_clear()
    yield classes
    classes.store().close()
    classes.store.cache_clear(), classes.signing_secret.cache_clear()


def visitor():
    from app_server.visitors import Visitor

    return Visitor()


def test_keys_are_issued_by_the_server_and_outlive_a_restart(classes):
    key = classes.issue()
    assert classes.issued(key) and not any(classes.issued(k) for k in FORGED + [key[:32] + "0" * 32, None, 7])
    classes.signing_secret.cache_clear()  # the server restarted: its secret is read again from its folder
    assert classes.issued(key)


def test_a_caller_with_fresh_sessions_holds_a_bounded_number_of_classes_and_a_teacher_still_gets_one(classes):
    per_address = classes.store().limits.classes_per_origin
    for _ in range(per_address):
        classes.start(visitor(), None, "203.0.113.9")  # fresh sessions, fresh keys, one address
    with pytest.raises(ClassroomError, match=f"your address has {per_address} classes going already"):
        classes.start(visitor(), None, "203.0.113.9")
    assert classes.start(visitor(), None, "198.51.100.7").role == "teacher"  # a school elsewhere


def test_one_session_starts_a_bounded_number_of_classes_and_collections(classes):
    squatter = visitor()
    for _ in range(classes.STARTS_PER_HOUR):
        classes.start(squatter, classes.issue(), "203.0.113.9")
    with pytest.raises(Refusal, match=f"started {classes.STARTS_PER_HOUR} classes or collections this hour"):
        classes.start(squatter, classes.issue(), "203.0.113.9")


def test_guessing_join_codes_from_one_address_is_stopped_and_others_still_join(classes):
    code = classes.start(visitor(), None, "198.51.100.7").code
    for _ in range(classes.FAILED_JOINS):
        with pytest.raises(ClassroomError, match="there is no class with the code"):
            classes.join(visitor(), None, new_code(), "203.0.113.9")
    with pytest.raises(Refusal, match="Too many tries at joining a class"):
        classes.join(visitor(), None, code, "203.0.113.9")  # even the right code, now
    assert classes.join(visitor(), None, code, "198.51.100.8").role == "student"


def test_one_session_joining_again_and_again_is_refused(classes):
    code, student = classes.start(visitor(), None).code, visitor()
    for _ in range(classes.JOINS_PER_MINUTE):
        classes.join(student, None, code)
    with pytest.raises(Refusal, match="Too many tries at joining a class"):
        classes.join(student, None, code)


def test_a_key_in_a_class_puts_a_new_session_back_in_it_and_several_classes_are_refused(classes):
    teacher, student = classes.issue(), classes.issue()
    code = classes.start(visitor(), teacher).code
    classes.join(visitor(), student, code)
    assert (classes.membership(visitor(), teacher).role, classes.membership(visitor(), student).code) == \
        ("teacher", code)
    classes.join(visitor(), student, classes.start(visitor(), None).code)
    with pytest.raises(Refusal, match="You are in 2 classes: join the one you mean with its code"):
        classes.membership(visitor(), student)



def test_outside_a_class_a_person_collects_and_teaches_alone(app_url, pictures):
    client = Client(app_url, verbose=False)
    for round_ in range(2):
        add_all(client, pictures)
    status = client.predict(api_name="/class_status")
    assert status["role"] == "own" and status["total"] == 20
    taught = client.predict(api_name="/class_teach")
    assert taught["held_out"] == 5 and taught["taught_on"] == 15
    with pytest.raises(AppError, match="You are in no class: start one"):
        client.predict(api_name="/class_publish")  # nobody to publish to


@pytest.mark.parametrize("endpoint, value, message", [
    pytest.param("/class_delete", None, "A drawing is named by its number", id="delete-nothing"),
    pytest.param("/class_delete", 10**9, "There is no drawing 1000000000", id="delete-a-drawing-not-there"),
    pytest.param("/class_remove", None, "A student is named by their number", id="remove-nobody"),
    pytest.param("/class_remove", 0, "There is no student 0", id="remove-the-teacher"),
    pytest.param("/class_remove", 1.5, "A student is named by their number", id="remove-half-a-student"),
])
def test_a_teachers_action_on_something_that_is_not_there_says_so_and_changes_nothing(a_class, endpoint, value,
                                                                                         message):
    teacher, _, _ = a_class
    with pytest.raises(AppError, match=message):
        teacher.predict(value, api_name=endpoint)
    assert teacher.predict(api_name="/class_status")["total"] == 30


def test_a_sessions_download_link_does_not_let_another_act_as_it(app_url, pictures):
    """An API client without a key of its own is known by a secret that no link shows."""
    owner = Client(app_url, verbose=False, download_files=False)  # (the links as the server gave them)
    add_all(owner, pictures, digits=[3])
    job = owner.submit("fast", epochs=1, hidden="16", api_name="/train")
    job.result(timeout=300)
    folder = re.search(r"downloads/([0-9a-f]{32})/", str(job.outputs()[-1][8]))[1]  # what the page sees
    assert owner.predict(api_name="/class_status")["total"] == 1
    stranger = Client(app_url, verbose=False)
    assert stranger.predict(key=folder, api_name="/class_status")["total"] == 0  # not the owner's collection


def test_a_taught_model_can_be_saved_like_a_trained_one(app_url, pictures):
    client = Client(app_url, verbose=False)
    for _ in range(2):
        add_all(client, pictures)
    client.predict(api_name="/class_teach")
    assert "Saved as `taught`" in client.predict("taught", api_name="/save")[0]


@pytest.mark.parametrize("query, joins", [("class={code}&class=", True), ("class=&class={code}", False)],
                         ids=["the-code-first", "an-empty-value-first"])
def test_a_pages_load_joins_the_class_its_first_class_value_names_as_its_html_and_scripts_read_it(classes, query,
                                                                                                   joins):
    """(the load read the last of two values: `?class=&class=CODE` served the Draw page's HTML and
    joined CODE; `?class=CODE&class=` served the class page and joined nothing)"""
    from types import SimpleNamespace

    from app_ui.teaching import enter

    code = classes.start(visitor(), None, "203.0.113.9").code
    assert classes.by_link(query.format(code=code)) is joins
    phone = visitor()  # (the page's address comes with its load: Gradio's page sends it)
    loaded = SimpleNamespace(url=f"http://127.0.0.1:7860/gradio_api/queue/join?{query.format(code=code)}",
                             client=SimpleNamespace(host="198.51.100.7"), headers={})
    enter(key=None, remembered="", visitor=phone, lang="en", request=loaded)
    assert (classes.membership(phone, None).role == "student") is joins
