"""The class store: codes, roles, limits, expiry, a restart, export and import."""

import gzip
import hashlib
import json
import threading

import numpy as np
import pytest

from app_server.class_store import CODE_LENGTH, ClassLimits, ClassStore, normal_code
from app_server.errors import ClassroomError

DIGIT = np.zeros((28, 28), np.float32)
DIGIT[6:22, 12:16] = 1.0


class Clock:
    def __init__(self):
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def store(tmp_path, clock):
    s = ClassStore(tmp_path / "classes.sqlite", ClassLimits(class_seconds=3600, classes=3, students=4, per_student=5,
                                                    per_class=12), clock)
    yield s
    s.close()


def test_a_code_is_short_to_type_and_holds_40_random_bits(store):
    codes = {store.start(f"teacher-{i}").code for i in range(3)}
    assert len(codes) == 3
    for code in codes:
        assert len(code) == CODE_LENGTH + 1 and code[4] == "-"
        assert 32 ** CODE_LENGTH >= 2 ** 40
    code = codes.pop()
    typed = code.lower().replace("-", " ").replace("0", "o").replace("1", "l")
    assert normal_code(typed) == code  # any case, spaces, O for 0, L for 1


def test_students_are_numbered_and_the_same_secret_is_the_same_student(store):
    code = store.start("teacher").code
    assert [store.join(code, s) for s in ("ann", "bob", "ann")] == [1, 2, 1]
    assert store.join(code, "teacher") == 0  # the teacher opening the link stays the teacher
    assert (store.role(code, "teacher"), store.role(code, "bob"), store.role(code, "eve")) == ("teacher", "student", None)


def exported_strokes(store, code, teacher="teacher") -> list:
    return [d["strokes"] for d in json.loads(gzip.decompress(store.export(code, teacher)))["drawings"]]


def test_a_drawing_is_stored_before_add_returns_and_a_restart_keeps_it(tmp_path, store, clock):
    code = store.start("teacher").code
    store.join(code, "ann")
    drawing = store.add(code, "ann", 7, DIGIT, [[[1, 2], [3, 4]]])
    store.close()
    again = ClassStore(tmp_path / "classes.sqlite", store.limits, clock)  # the app restarted
    (kept,) = again.drawings(code, "teacher")
    assert (kept.id, kept.student, kept.digit) == (drawing, 1, 7)
    assert exported_strokes(again, code) == [[[[1.0, 2.0], [3.0, 4.0]]]]
    np.testing.assert_allclose(kept.input, DIGIT, atol=1 / 255)
    again.close()


@pytest.mark.parametrize("action, message", [
    pytest.param(lambda s, c: s.drawings(c, "ann"), None, id="a-student-sees-their-own"),
    pytest.param(lambda s, c: s.delete(c, "ann", 1), "only the class's teacher can do that", id="delete"),
    pytest.param(lambda s, c: s.remove_student(c, "ann", 2), "only the class's teacher", id="remove-a-student"),
    pytest.param(lambda s, c: s.publish(c, "ann", b"x"), "only the class's teacher", id="publish"),
    pytest.param(lambda s, c: s.end(c, "ann"), "only the class's teacher", id="end"),
    pytest.param(lambda s, c: s.export(c, "ann"), "only the class's teacher", id="export"),
    pytest.param(lambda s, c: s.add(c, "eve", 1, DIGIT), "you are not in this class", id="an-outsider-adds"),
    pytest.param(lambda s, c: s.drawings(c, "eve"), "you are not in this class", id="an-outsider-reads"),
])
def test_only_the_teacher_does_a_teachers_work(store, action, message):
    code = store.start("teacher").code
    for student in ("ann", "bob"):
        store.join(code, student)
        store.add(code, student, 3, DIGIT)
    if message is None:
        assert [d.student for d in action(store, code)] == [1]
        return
    with pytest.raises(ClassroomError, match=message):
        action(store, code)
    assert len(store.drawings(code, "teacher")) == 2  # nothing changed


def test_a_drawing_that_is_not_a_digit_is_stored_as_the_eleventh_answer_and_counted_apart(store):
    code = store.start("teacher").code
    store.join(code, "ann")
    store.add(code, "ann", 10, DIGIT)
    store.add(code, "ann", 3.0, DIGIT)
    counts = store.counts(code, "teacher")
    assert counts["digits"] == [0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 1] and counts["total"] == 2
    assert sorted(d.digit for d in store.drawings(code, "teacher")) == [3, 10]
    for wrong in (11, -1, 9.5, "10", True):
        with pytest.raises(ClassroomError, match="0 to 9, or 10 for not a digit"):
            store.add(code, "ann", wrong, DIGIT)
    assert store.counts(code, "teacher")["total"] == 2


def test_another_class_cannot_read_or_add_to_a_class(store):
    first, second = store.start("t1").code, store.start("t2").code
    store.join(first, "ann")
    store.add(first, "ann", 1, DIGIT)
    with pytest.raises(ClassroomError, match="not in this class"):
        store.drawings(first, "t2")
    with pytest.raises(ClassroomError, match="not in this class"):
        store.add(first, "t2", 1, DIGIT)
    assert store.drawings(second, "t2") == []


@pytest.mark.parametrize("digit, image, strokes, message", [
    pytest.param(11, DIGIT, None, "the digit must be a whole number from 0 to 9, or 10 for not a digit, got 11",
                 id="digit-11"),
    pytest.param("7", DIGIT, None, "got '7'", id="digit-as-text"),
    pytest.param(True, DIGIT, None, "got True", id="digit-a-boolean"),
    pytest.param(1, np.zeros((28, 27)), None, "must be a 28 x 28 picture", id="wrong-size"),
    pytest.param(1, DIGIT * 3, None, "values from 0 to 1", id="out-of-range"),
    pytest.param(1, DIGIT, "strokes", r"lists of \[x, y\] points", id="strokes-a-text"),
    pytest.param(1, DIGIT, [[[0, 0]] * 2001], "at most 2000", id="too-many-points"),
])
def test_a_bad_drawing_is_refused_and_nothing_is_stored(store, digit, image, strokes, message):
    code = store.start("teacher").code
    with pytest.raises(ClassroomError, match=message):
        store.add(code, "teacher", digit, image, strokes)
    assert store.drawings(code, "teacher") == []


def test_every_limit_refuses_in_one_line_and_stores_nothing(store):
    code = store.start("teacher").code
    for i in range(4):
        store.join(code, f"s{i}")
    with pytest.raises(ClassroomError, match="has 4 students already"):
        store.join(code, "s4")
    for _ in range(5):
        store.add(code, "s0", 1, DIGIT)
    with pytest.raises(ClassroomError, match="you have added 5 drawings, as many as one student may"):
        store.add(code, "s0", 1, DIGIT)
    for i in range(1, 3):
        for _ in range(3):
            store.add(code, f"s{i}", 2, DIGIT)
    store.add(code, "s3", 2, DIGIT)
    with pytest.raises(ClassroomError, match="has 12 drawings, as many as it can hold"):
        store.add(code, "s3", 2, DIGIT)
    assert store.counts(code, "teacher")["total"] == 12
    store.start("t2"), store.start("t3")
    with pytest.raises(ClassroomError, match="3 classes going already"):
        store.start("t4")


def test_one_address_holds_a_bounded_number_of_classes_and_collections(tmp_path, clock):
    store = ClassStore(tmp_path / "c.sqlite", ClassLimits(classes_per_origin=2, own_per_origin=3), clock)
    for i in range(2):
        store.start(f"t{i}", origin="10.0.0.1")
    with pytest.raises(ClassroomError, match="your address has 2 classes going already"):
        store.start("t2", origin="10.0.0.1")
    store.start("t2", origin="10.0.0.2")  # another address is not held back
    for i in range(3):
        store.own(f"p{i}", origin="10.0.0.1")
    with pytest.raises(ClassroomError, match="your address keeps 3 personal collections already"):
        store.own("p3", origin="10.0.0.1")
    assert store.own("p0", origin="10.0.0.1") is not None  # (one's own again is not a new one)
    store.close()


def a_digits_strokes(points: int) -> list:
    return [[[float(i % 280), float(i // 280)] for i in range(points)]]


def test_a_collection_holds_a_bounded_number_of_stroke_points_and_refuses_more_whole(tmp_path, clock):
    store = ClassStore(tmp_path / "c.sqlite", ClassLimits(stroke_points=5000, per_student=100, per_class=100), clock)
    code = store.start("teacher").code
    for _ in range(2):
        store.add(code, "teacher", 1, DIGIT, a_digits_strokes(2000))
    with pytest.raises(ClassroomError, match="5000 points of strokes in all, as many as it can hold"):
        store.add(code, "teacher", 1, DIGIT, a_digits_strokes(1001))
    store.add(code, "teacher", 1, DIGIT, a_digits_strokes(1000))  # exactly up to the bound
    data = store.export(code, "teacher")
    other = store.start("teacher-2").code
    store.add(other, "teacher-2", 1, DIGIT, a_digits_strokes(1))
    with pytest.raises(ClassroomError, match="5000 points of strokes in all"):
        store.import_into(other, "teacher-2", data)
    assert store.counts(other, "teacher-2")["total"] == 1  # nothing of the file was added
    store.close()


def test_reading_a_collection_at_its_bounds_never_parses_its_strokes(tmp_path, clock):
    """A full collection of the largest strokes read as the page and teaching read it: memory of its
    pictures only (2000 x 28 x 28 float32, 6 MB), not of 300 000 parsed points (tens of MB)."""
    import tracemalloc

    limits = ClassLimits(per_student=2000)
    store = ClassStore(tmp_path / "c.sqlite", limits, clock)
    code = store.start("teacher").code
    per_drawing = limits.stroke_points // limits.per_class
    for _ in range(limits.per_class):
        store.add(code, "teacher", 1, DIGIT, a_digits_strokes(per_drawing))
    tracemalloc.start()
    drawings = store.drawings(code, "teacher")
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert len(drawings) == limits.per_class and peak < 2 * limits.per_class * 28 * 28 * 4 + 2 * 2**20
    tracemalloc.start()
    data = store.export(code, "teacher")
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert peak < 3 * len(data) + 2 * 2**20  # the packed file, not the collection parsed
    assert store.import_into(store.start("teacher-2").code, "teacher-2", data) == limits.per_class
    store.close()


def test_a_store_made_by_an_earlier_version_counts_its_drawings_points(tmp_path, clock):
    import sqlite3

    path = tmp_path / "old.sqlite"
    old = sqlite3.connect(path)  # the tables as the previous version made them
    old.executescript("""
        CREATE TABLE classes (id INTEGER PRIMARY KEY, code TEXT UNIQUE NOT NULL, teacher TEXT NOT NULL,
            created REAL NOT NULL, own INTEGER NOT NULL DEFAULT 0, published INTEGER NOT NULL DEFAULT 0, model BLOB);
        CREATE TABLE drawings (id INTEGER PRIMARY KEY, class INTEGER NOT NULL, student INTEGER NOT NULL,
            digit INTEGER NOT NULL, pixels BLOB NOT NULL, strokes TEXT, created REAL NOT NULL);""")
    old.execute("INSERT INTO classes (id, code, teacher, created) VALUES (1, 'AAAA-AAAA', ?, ?)",
                (hashlib.sha256(b"teacher").hexdigest(), clock()))
    old.execute("INSERT INTO drawings (class, student, digit, pixels, strokes, created) VALUES (1, 0, 1, ?, ?, ?)",
                (bytes(784), json.dumps([[[1, 2], [3, 4], [5, 6]], [[7, 8]]]), clock()))
    old.commit()
    old.close()
    store = ClassStore(path, ClassLimits(stroke_points=6), clock)
    with pytest.raises(ClassroomError, match="6 points of strokes"):
        store.add("AAAA-AAAA", "teacher", 1, DIGIT, [[[0, 0], [1, 1], [2, 2]]])  # 4 held + 3 > 6
    store.add("AAAA-AAAA", "teacher", 1, DIGIT, [[[0, 0], [1, 1]]])
    store.close()


def test_a_class_ends_after_its_day_with_everything_in_it(store, clock):
    code = store.start("teacher").code
    store.join(code, "ann")
    store.add(code, "ann", 4, DIGIT)
    clock.now += 3601
    with pytest.raises(ClassroomError, match="is over"):
        store.add(code, "ann", 4, DIGIT)
    store.expire()
    with pytest.raises(ClassroomError, match="there is no class with the code"):
        store.join(code, "bob")


def test_a_removed_student_goes_with_their_drawings(store):
    code = store.start("teacher").code
    for s in ("ann", "bob"):
        store.join(code, s)
        store.add(code, s, 5, DIGIT)
    store.remove_student(code, "teacher", 1)
    assert [d.student for d in store.drawings(code, "teacher")] == [2]
    with pytest.raises(ClassroomError, match="not in this class"):
        store.add(code, "ann", 5, DIGIT)


def test_a_removed_student_cannot_join_again_with_the_same_secret(store):
    code = store.start("teacher").code
    store.join(code, "ann")
    store.remove_student(code, "teacher", 1)
    with pytest.raises(ClassroomError, match="the teacher removed you from this class"):
        store.join(code, "ann")
    assert store.counts(code, "teacher")["students"] == {}
    store.join(code, "bob")  # others still join
    assert store.role(code, "bob") == "student"


def test_a_secret_finds_the_classes_it_is_in_after_a_restart(tmp_path, store, clock):
    taught = store.start("teacher").code
    store.join(taught, "ann")
    other = store.start("teacher-2").code
    store.join(other, "ann")
    mine = store.own("ann").code
    store.close()
    again = ClassStore(tmp_path / "classes.sqlite", store.limits, clock)
    assert again.places("teacher") == [(taught, "teacher")]
    assert sorted(again.places("ann")) == sorted([(taught, "student"), (other, "student")])  # never its own
    assert again.places("eve") == [] and mine
    clock.now += 3601  # the day is over
    assert again.places("teacher") == []
    again.close()


def test_a_published_model_reaches_students_once_per_version(store):
    code = store.start("teacher").code
    store.join(code, "ann")
    assert store.published(code, "ann") is None
    assert store.publish(code, "teacher", b"model one") == 1
    first = store.published(code, "ann")
    assert (first.version, first.model) == (1, b"model one")
    assert store.published(code, "ann", since=1) is None
    store.publish(code, "teacher", b"model two")
    assert store.published(code, "ann", since=1).model == b"model two"


def test_a_collection_exports_and_imports_back_into_next_years_class(store):
    code = store.start("teacher").code
    for s in ("ann", "bob"):
        store.join(code, s)
        for digit in (1, 7):
            store.add(code, s, digit, DIGIT, [[[0, 0], [5, 9]]])
    data = store.export(code, "teacher")
    next_year = store.start("teacher-2").code
    store.join(next_year, "cat")
    assert store.import_into(next_year, "teacher-2", data) == 4
    kept = store.drawings(next_year, "teacher-2")
    assert sorted(d.digit for d in kept) == [1, 1, 7, 7] and {d.student for d in kept} == {2, 3}  # after cat (1)
    assert exported_strokes(store, next_year, "teacher-2") == [[[[0.0, 0.0], [5.0, 9.0]]]] * 4


def exported(drawings) -> bytes:
    return gzip.compress(json.dumps({"format": "mnist_model.class/1", "drawings": drawings}).encode())


GOOD = {"student": 1, "digit": 3, "pixels": [0] * 784, "strokes": None}


@pytest.mark.parametrize("data", [
    pytest.param(b"not a file", id="not-gzip"),
    pytest.param(gzip.compress(b"{not json"), id="not-json"),
    pytest.param(gzip.compress(json.dumps({"format": "other", "drawings": []}).encode()), id="another-format"),
    pytest.param(exported([{**GOOD, "digit": 12}]), id="a-digit-out-of-range"),
    pytest.param(exported([{**GOOD, "pixels": [0] * 783}]), id="pixels-of-the-wrong-size"),
    pytest.param(exported([{**GOOD, "pixels": [300] * 784}]), id="pixels-out-of-range"),
    pytest.param(exported([GOOD] * 13), id="more-drawings-than-a-class-holds"),
    pytest.param(exported([{**GOOD, "strokes": [["x"]]}]), id="bad-strokes"),
    pytest.param(gzip.compress(b"[" * 100_000 + b"]" * 100_000), id="deeply-nested"),
    pytest.param(exported([{}] * 1_000_000), id="a-million-objects-in-a-few-kilobytes"),
])
def test_an_imported_file_that_is_not_a_collection_is_refused_whole(store, data):
    code = store.start("teacher").code
    with pytest.raises(ClassroomError, match="not a collection exported from this app"):
        store.import_into(code, "teacher", data)
    assert store.drawings(code, "teacher") == []


def test_thirty_students_adding_at_once_lose_nothing(tmp_path, clock):
    store = ClassStore(tmp_path / "busy.sqlite", ClassLimits(students=40, per_student=50, per_class=2000), clock)
    code = store.start("teacher").code
    acknowledged, errors = [], []

    def student(i):
        try:
            store.join(code, f"s{i}")
            for digit in range(10):
                acknowledged.append(store.add(code, f"s{i}", digit, DIGIT))
        except Exception as exc:  # collected and asserted below
            errors.append(exc)

    threads = [threading.Thread(target=student, args=(i,)) for i in range(30)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert sorted(d.id for d in store.drawings(code, "teacher")) == sorted(acknowledged) and len(acknowledged) == 300
    store.close()


def test_a_persons_own_collection_is_theirs_alone(store):
    mine = store.own("me")
    assert mine.own and store.own("me").code == mine.code and store.own("you").code != mine.code
    store.add(mine.code, "me", 2, DIGIT)
    with pytest.raises(ClassroomError, match="there is no class with the code"):
        store.join(mine.code, "you")  # nobody joins a collection of one's own


def test_a_student_joining_after_an_import_gets_a_number_of_their_own(store):
    last_year = store.start("teacher").code
    store.join(last_year, "ann")
    store.add(last_year, "ann", 3, DIGIT)
    this_year = store.start("teacher-2").code
    store.import_into(this_year, "teacher-2", store.export(last_year, "teacher"))
    number = store.join(this_year, "bob")
    assert number == 2  # not 1: last year's student 1 is in the imported drawings
    assert store.counts(this_year, "bob")["total"] == 0  # bob sees none of their drawings as his


@pytest.mark.parametrize("value, message", [
    pytest.param(None, "named by its number", id="nothing"),
    pytest.param("abc", "named by its number", id="text"),
    pytest.param(1.5, "named by its number", id="a-fraction"),
    pytest.param(True, "named by its number", id="a-boolean"),
    pytest.param(2**70, "named by its number", id="too-large"),
    pytest.param(999, "there is no drawing 999", id="not-in-the-collection"),
])
def test_deleting_a_drawing_that_is_not_one_says_so_and_deletes_nothing(store, value, message):
    code = store.start("teacher").code
    store.join(code, "ann")
    store.add(code, "ann", 3, DIGIT)
    with pytest.raises(ClassroomError, match=message):
        store.delete(code, "teacher", value)
    assert store.counts(code, "teacher")["total"] == 1


def test_removing_a_student_who_is_not_there_says_so(store):
    code = store.start("teacher").code
    store.join(code, "ann")
    store.add(code, "teacher", 3, DIGIT)
    for number in (0, 7):
        with pytest.raises(ClassroomError, match=f"there is no student {number}"):
            store.remove_student(code, "teacher", number)
    assert store.counts(code, "teacher")["total"] == 1  # the teacher's own drawings stay


def test_starting_again_is_the_same_class_and_a_class_nobody_joined_goes_within_minutes(store, clock):
    """Nobody can hold the server's classes for long by starting empty ones."""
    code = store.start("teacher").code
    assert store.start("teacher").code == code  # one class per teacher: no slot taken twice
    joined = store.start("teacher-2").code
    store.join(joined, "ann")
    clock.now += ClassLimits.empty_seconds - 60
    store.expire()
    assert store.role(code, "teacher") == "teacher"
    assert ClassLimits.empty_seconds <= 15 * 60
    with_limits = ClassStore(store.path, ClassLimits(class_seconds=86_400, empty_seconds=600), clock)
    with_limits.expire()
    with pytest.raises(ClassroomError, match="there is no class with the code"):
        with_limits.role(code, "teacher")
    assert with_limits.role(joined, "ann") == "student"
    with_limits.close()


def test_own_collections_are_made_on_first_use_and_bounded(tmp_path, clock):
    store = ClassStore(tmp_path / "c.sqlite", ClassLimits(own_collections=2), clock)
    assert store.own("me", make=False) is None  # looking makes nothing
    store.own("me"), store.own("you")
    with pytest.raises(ClassroomError, match="keeps 2 personal collections already"):
        store.own("them")
    store.close()


def test_the_store_refuses_drawings_once_it_is_full_on_disk(tmp_path, clock):
    store = ClassStore(tmp_path / "c.sqlite", ClassLimits(store_bytes=256 * 1024, per_student=1000, per_class=1000), clock)
    code = store.start("teacher").code
    strokes = [[[float(i), float(i)] for i in range(1000)]]
    with pytest.raises(ClassroomError, match="no room for more drawings"):
        for _ in range(1000):
            store.add(code, "teacher", 1, DIGIT, strokes)
    assert (tmp_path / "c.sqlite").stat().st_size < 512 * 1024
    store.close()
