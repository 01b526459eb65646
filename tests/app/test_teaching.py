"""The Teach tab's page handlers, called as the page calls them: a student's page when the class
ends, and what teaching's results say."""

import base64

import numpy as np
import pytest

from app_server import classes
from app_ui import teaching
from app_server.visitors import Visitor
from mnist_model.teach import Drawing, Judgement, Taught
from support.strokes import pad_png

TEACHER_KEY, STUDENT_KEY = "0" * 32, "1" * 32  # keys the server did not issue: each visitor is its session


@pytest.fixture
def ended_class(tmp_path, monkeypatch):
    """A student's visitor (and page key) in a class its teacher has just ended."""
    monkeypatch.setenv("MNIST_APP_DATA_DIR", str(tmp_path))
    classes.store.cache_clear()
    teacher, student = Visitor(), Visitor()
    code = classes.start(teacher, TEACHER_KEY).code
    classes.join(student, STUDENT_KEY, code)
    classes.end(teacher, TEACHER_KEY)
    yield student
    classes.store.cache_clear()


def test_a_students_poll_after_the_class_ended_says_it_is_over_in_their_language(ended_class):
    out = teaching.poll(ended_class, STUDENT_KEY, "zh-CN")
    assert "课程结束了" in out["status"] and "class-ended" in out["status"]
    assert out["role"] == "over" and out["remembered"] == "" and out["timer"].active is False
    assert teaching.poll(ended_class, STUDENT_KEY, "zh-CN") == {"status": teaching.gr.skip()}  # said once


def test_adding_after_the_class_ended_says_it_is_over_instead_of_an_error(ended_class):
    drawing = "data:image/png;base64," + base64.b64encode(pad_png(4)).decode()
    out = teaching.add_drawing(drawing, "", 4, ended_class, STUDENT_KEY, "zh-CN", None)  # (no request)
    assert "课程结束了" in out["status"] and out["role"] == "over"


def taught(digits: list[int], before: list[int], after: list[int]) -> Taught:
    held = [Drawing(i, 1, d, np.zeros((28, 28), np.float32)) for i, d in enumerate(digits)]
    judged = Judgement(0.99, [0.99] * 10, 0.5, [0.5] * 10)
    return Taught(None, judged, judged, 1.0, 30, held, before, after)


def test_teachings_per_digit_figures_say_how_many_held_out_drawings_they_rest_on():
    page = teaching.taught_html(taught([5, 5, 5, 6], [5, 5, 3, 5], [5, 5, 5, 6]), "en", waited=12.34)
    assert page.startswith("12.3 s from Teach to done") or "12.3 s from Teach to done" in page  # (the time waited)
    row = lambda digit: page.split(f"<tr><th>{digit}</th>")[1].split("</tr>")[0]  # noqa: E731
    assert row(5).startswith('<td class="count">3</td>') and row(6).startswith('<td class="count">1</td>')
    assert row(0).startswith('<td class="count">0</td>') and "<th>drawings</th>" in page
    assert '<td class="count">4</td>' in page.split('class="total"')[1]


def test_drawings_that_are_not_a_digit_have_their_row_and_those_a_ten_answer_network_left_out_are_said():
    held = [Drawing(i, 1, d, np.zeros((28, 28), np.float32)) for i, d in enumerate([5, 10, 10])]
    judged = Judgement(0.99, [0.99] * 10, 0.5, [None] * 5 + [1.0] + [None] * 4 + [0.5])
    page = teaching.taught_html(Taught(None, judged, judged, 1.0, 30, held, [5, 3, 10], [5, 10, 10], left_out=0),
                                "en", waited=1.0)
    row = page.split("<tr><th>✗</th>")[1].split("</tr>")[0]
    assert row.startswith('<td class="count">2</td><td>50.0</td>')
    assert row.endswith('<td>—</td><td class="after">—</td>')  # (MNIST has no "not a digit")
    assert "left out" not in page
    without = [Drawing(0, 1, 5, np.zeros((28, 28), np.float32))]
    page = teaching.taught_html(Taught(None, judged, judged, 1.0, 30, without, [5], [5], left_out=4), "en", waited=1.0)
    assert "<th>✗</th>" not in page and "Drawings that are not a digit, left out: 4." in page


def test_the_counts_show_a_column_for_drawings_that_are_not_a_digit_once_there_are_any():
    from app_server.classes import Membership
    from app_ui.teaching import counts_html

    teacher = Membership(code="X1C3-DAME", role="teacher", number=0, secret="")
    digits = [1] * 10 + [0]
    assert "✗" not in counts_html({"total": 10, "digits": digits, "students": {1: 10}}, teacher, "en")
    page = counts_html({"total": 12, "digits": [1] * 10 + [2], "students": {1: 12}}, teacher, "en")
    assert "<th>✗</th>" in page and page.count("<td>") == 11


def test_a_drawing_read_right_now_shows_the_old_guess_and_the_new():
    page = teaching.taught_html(taught([5, 6], [3, 5], [5, 6]), "zh-CN", waited=3.0)
    assert "以前是 3，现在是 5" in page and "以前是 5，现在是 6" in page and "6 → 6" not in page


def test_the_teachers_roster_says_its_student_count_without_a_wrong_plural():
    from app_server.classes import Membership
    from app_ui.teaching import counts_html

    teacher = Membership(code="X1C3-DAME", role="teacher", number=0, secret="")
    counts = {"total": 0, "digits": [0] * 11, "students": {1: 0}}
    assert "Students (1): #1: 0" in counts_html(counts, teacher, "en")


@pytest.mark.parametrize("total, said", [(0, "draw the digit asked for, then press Add"), (3, "Drawings added: 3. Thank you!")])
def test_a_student_is_thanked_for_drawings_only_once_there_are_some(total, said):
    from app_server.classes import Membership
    from app_ui.teaching import counts_html

    student = Membership(code="X1C3-DAME", role="student", number=2, secret="")
    page = counts_html({"total": total, "digits": [0] * 10, "students": {}}, student, "en")
    assert said in page and ("Thank you" in page) == bool(total)  # (it said "0 drawings added. Thank you!")
    assert "Drawings added: 1." in counts_html({"total": 1, "digits": [0] * 10, "students": {}}, student, "en")
    teacher = Membership(code="X1C3-DAME", role="teacher", number=0, secret="")
    assert "Drawings per digit (1 in all)" in counts_html({"total": 1, "digits": [1] + [0] * 10, "students": {1: 1}},
                                                          teacher, "en")


class Asked:
    """What a handler is told of the request that reached it: its headers."""

    def __init__(self, host: str, **headers):
        self.headers = {"host": host, **headers}


@pytest.mark.parametrize("host, listening, network, joined, unreachable", [
    pytest.param("192.168.1.20:7860", "0.0.0.0", None, "http://192.168.1.20:7860", None, id="reached-on-its-network"),
    pytest.param("127.0.0.1:7860", "0.0.0.0", "192.168.1.20", "http://192.168.1.20:7860", None,
                 id="opened-on-the-laptop-serving-its-network"),
    pytest.param("localhost:7860", "0.0.0.0", "10.0.0.7", "http://10.0.0.7:7860", None, id="localhost"),
    pytest.param("0.0.0.0:7860", "0.0.0.0", "10.0.0.7", "http://10.0.0.7:7860", None, id="opened-at-0.0.0.0"),
    pytest.param("[::1]:7860", "::", "192.168.1.20", "http://192.168.1.20:7860", None, id="ipv6-loopback"),
    pytest.param("127.0.0.1:7860", None, "192.168.1.20", "http://127.0.0.1:7860", "class_loopback_only",
                 id="listening-on-this-computer-only"),
    pytest.param("127.0.0.1:7860", "0.0.0.0", None, "http://127.0.0.1:7860", "class_no_network", id="no-network"),
])
def test_a_class_link_is_one_phones_can_open_or_the_teacher_is_told_why_none_can(monkeypatch, host, listening,
                                                                                network, joined, unreachable):
    """A classroom laptop's teacher opens http://127.0.0.1:7860, and the QR code sent every phone to
    127.0.0.1: the phone itself."""
    monkeypatch.delenv("MNIST_APP_PUBLIC_URL", raising=False)
    for name in teaching.RESTART_KEEPS:
        monkeypatch.delenv(name, raising=False)
    if listening is None:
        monkeypatch.delenv("GRADIO_SERVER_NAME", raising=False)
    else:
        monkeypatch.setenv("GRADIO_SERVER_NAME", listening)
    monkeypatch.setattr(teaching, "network_address", lambda: network)
    assert teaching.join_address(Asked(host)) == (joined, unreachable)
    card = teaching.class_card(classes.Membership(code="X1C3-DAME", role="teacher", number=0, secret=""),
                               Asked(host), "zh-CN")
    assert f"{joined}/?class=X1C3-DAME" in card
    assert ("class-unreachable" in card) == bool(unreachable)
    if unreachable == "class_loopback_only":
        assert "GRADIO_SERVER_NAME=0.0.0.0 python app.py" in card and "手机无法连接" in card


def test_the_restart_the_teacher_is_told_keeps_the_port_and_folders_this_server_was_started_with(monkeypatch):
    """(it said `GRADIO_SERVER_NAME=0.0.0.0 python app.py`, which moved a server on port 7871 to 7860)"""
    for name in teaching.RESTART_KEEPS:
        monkeypatch.delenv(name, raising=False)
    assert teaching.restart_command() == "GRADIO_SERVER_NAME=0.0.0.0 python app.py"
    monkeypatch.setenv("GRADIO_SERVER_PORT", "7871")
    monkeypatch.setenv("MNIST_APP_DIR", "/tmp/my app")
    assert teaching.restart_command() == ("GRADIO_SERVER_NAME=0.0.0.0 GRADIO_SERVER_PORT=7871 "
                                          "MNIST_APP_DIR='/tmp/my app' python app.py")
    # the port the page reached it at, where Gradio took another (7860 was taken)
    assert teaching.restart_command("7862").startswith("GRADIO_SERVER_NAME=0.0.0.0 GRADIO_SERVER_PORT=7862 ")
    assert teaching.restart_command("7860").startswith("GRADIO_SERVER_NAME=0.0.0.0 MNIST_APP_DIR=")  # (the default)


def test_behind_a_proxy_or_a_host_that_names_its_address_the_link_is_that_address(monkeypatch):
    monkeypatch.delenv("MNIST_APP_PUBLIC_URL", raising=False)
    monkeypatch.setenv("GRADIO_SERVER_NAME", "127.0.0.1")
    assert teaching.join_address(Asked("127.0.0.1:7860", **{"x-forwarded-host": "demo.example.org",
                                                            "x-forwarded-proto": "https"})) == \
        ("https://demo.example.org", None)
    assert teaching.join_address(Asked("127.0.0.1:7860", **{"x-forwarded-host": "a.example.org, b.example.org"})) == \
        ("http://a.example.org", None)  # (the first proxy's)
    # a caller's own headers: only a name and a port, http or https, reach the link
    assert teaching.join_address(Asked('127.0.0.1:7871"><script>'))[0] == "http://127.0.0.1:7860"
    assert teaching.join_address(Asked("demo.example.org", **{"x-forwarded-proto": "gopher, http"}))[0] == \
        "http://demo.example.org"
    monkeypatch.setenv("MNIST_APP_PUBLIC_URL", "https://class.example.org")
    assert teaching.join_address(Asked("127.0.0.1:7860")) == ("https://class.example.org", None)


def test_a_teacher_who_publishes_reads_the_model_named_as_the_students_read_it(tmp_path, monkeypatch):
    """The teacher's page called the class's model "your model (this session)" while the students'
    read "your class's model (version 1)"."""
    from mnist_model import Classifier
    from mnist_model.model import MLP

    monkeypatch.setenv("MNIST_APP_DATA_DIR", str(tmp_path))
    classes.store.cache_clear()
    teacher, student = Visitor(), Visitor()
    code = classes.start(teacher, TEACHER_KEY).code
    classes.join(student, STUDENT_KEY, code)
    teacher.put("active", Classifier(MLP((16,))))  # (as a teaching leaves it)
    for version in (1, 2):  # published again, it is named by its new version
        out = teaching.publish_model(teacher, TEACHER_KEY, "en")
        assert f"your class's model (version {version})" in out["model_info"]
        assert classes.adopt(student) is not None and f"(version {version})" in teaching.describe_model(student, "en")
    classes.store.cache_clear()
