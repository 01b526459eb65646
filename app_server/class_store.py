"""Classes and their collections of drawings, kept in SQLite so that a restart keeps them.

    store = ClassStore(Path("classes.sqlite"))
    cls = store.start(teacher="a secret of the teacher's")      # its join code: "7KQ2-M9XD"
    store.join(cls.code, "a student's secret")                  # student 1
    store.add(cls.code, "a student's secret", 7, input28)       # stored before it returns
    store.drawings(cls.code, "a secret of the teacher's")       # everything, for the teacher

A class has a join code (8 characters, 40 random bits, typed in any case, with or without its dash),
one teacher and numbered students (no names), each known by a secret of theirs that the store keeps
only as a hash (and the hashes of the students a teacher removed, who cannot join again). A secret
in one class finds its way back to it (`places`). Only the teacher may list everything, delete a drawing, remove a student, publish a
model or end the class; a student adds drawings and sees their own count. A person outside any class
has a collection of their own: a class of one (`own`). Classes end after `ClassLimits.class_seconds`.
Every limit refuses with a ClassroomError naming it; nothing is stored then. Collections can be
exported as a file and imported again (`export`, `import_into`), validated. A drawing's strokes are
kept as the JSON text they came as and read only by export, which writes them as they are: reading
a collection never parses them (their points, counted on the way in, are bounded per collection).
Who made a class (`origin`, the caller's address as the app tells it) is kept too, to bound the
classes one address holds at once.
"""

import gzip
import hashlib
import io
import json
import math
import os
import secrets
import sqlite3
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from mnist_model.not_digits import NOT_A_DIGIT
from mnist_model.teach import Drawing

from .errors import ClassroomError

CODE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford's base 32: no I, L, O, U
CODE_LENGTH = 8  # 40 bits
FIELD = 28
EXPORT_FORMAT = "mnist_model.class/1"
MAX_STROKE_POINTS = 2000  # a drawing's strokes, all together; more is not one digit
LISTS_PER_DRAWING = 102  # its pixels, its strokes and at most 100 strokes: with the points, what an import may parse


@dataclass(frozen=True)
class ClassLimits:
    class_seconds: float = 8 * 3600  # a school day: then the class and its drawings go
    empty_seconds: float = 900  # a class nobody joined or drew in goes after a quarter of an hour
    classes: int = 50  # at once, on this server
    classes_per_origin: int = 10  # at once, made from one address (a school's teachers share one)
    students: int = 60  # per class
    per_student: int = 200  # drawings one student may add to a class
    per_class: int = 2000  # drawings in a class
    own_collections: int = 500  # people's own collections (outside any class) at once, on this server
    own_per_origin: int = 60  # own collections at once, made from one address (a class of phones behind it)
    stroke_points: int = 300_000  # strokes' points in one collection: a digit has tens to a couple of hundred
    store_bytes: int = 1024 * 2**20  # the whole store on disk, at most
    export_bytes: int = 16 * 2**20  # an imported file, at most, packed and unpacked


@dataclass(frozen=True)
class Class:
    code: str
    created: float
    own: bool = False  # a person's own collection, outside any class


@dataclass(frozen=True)
class Published:
    version: int  # 1, 2, ...: a new model each time the teacher publishes
    model: bytes = field(repr=False)  # a checkpoint (mnist_model.checkpoint's bytes)


SCHEMA = """
CREATE TABLE IF NOT EXISTS classes (
    id INTEGER PRIMARY KEY, code TEXT UNIQUE NOT NULL, teacher TEXT NOT NULL, created REAL NOT NULL,
    own INTEGER NOT NULL DEFAULT 0, published INTEGER NOT NULL DEFAULT 0, model BLOB, origin TEXT NOT NULL DEFAULT '');
CREATE INDEX IF NOT EXISTS classes_of_teacher ON classes (teacher);
CREATE TABLE IF NOT EXISTS students (
    class INTEGER NOT NULL REFERENCES classes(id) ON DELETE CASCADE, number INTEGER NOT NULL,
    secret TEXT NOT NULL, PRIMARY KEY (class, number), UNIQUE (class, secret));
CREATE INDEX IF NOT EXISTS students_by_secret ON students (secret);
CREATE TABLE IF NOT EXISTS removed (
    class INTEGER NOT NULL REFERENCES classes(id) ON DELETE CASCADE, secret TEXT NOT NULL, PRIMARY KEY (class, secret));
CREATE TABLE IF NOT EXISTS drawings (
    id INTEGER PRIMARY KEY, class INTEGER NOT NULL REFERENCES classes(id) ON DELETE CASCADE,
    student INTEGER NOT NULL, digit INTEGER NOT NULL, pixels BLOB NOT NULL, strokes TEXT, created REAL NOT NULL,
    points INTEGER NOT NULL DEFAULT 0);
CREATE INDEX IF NOT EXISTS drawings_of_class ON drawings (class, student);
"""
ADDED_COLUMNS = {  # columns a store made by an earlier version lacks: (table, column, its definition, filled by)
    ("classes", "origin"): ("TEXT NOT NULL DEFAULT ''", None),
    ("drawings", "points"): ("INTEGER NOT NULL DEFAULT 0",  # every '[' but a stroke's own and the list's
                             "UPDATE drawings SET points = (length(strokes) - length(replace(strokes, '[', ''))) "
                             "- (length(strokes) - length(replace(strokes, '[[', ''))) / 2 - 1 WHERE strokes IS NOT NULL"),
}


def _hashed(secret: str) -> str:
    if not isinstance(secret, str) or not secret:
        raise ClassroomError("class_no_identity")
    return hashlib.sha256(secret.encode()).hexdigest()


def normal_code(code) -> str:
    """A join code as typed (any case, spaces or dashes, O for 0, I or L for 1) in its stored form."""
    if not isinstance(code, str) or len(code) > 40:
        raise ClassroomError("class_unknown", code=code)
    typed = code.upper().replace("-", "").replace(" ", "").translate(str.maketrans("OIL", "011"))
    if len(typed) != CODE_LENGTH or any(c not in CODE_ALPHABET for c in typed):
        raise ClassroomError("class_unknown", code=code)
    return f"{typed[:4]}-{typed[4:]}"


def new_code() -> str:
    return normal_code("".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH)))


def pixels_of(image) -> bytes:
    """A 28 x 28 input in [0, 1] as 784 bytes; ClassroomError for anything else."""
    array = np.asarray(image, dtype=np.float32) if not isinstance(image, np.ndarray) else image
    if array.shape != (FIELD, FIELD) or not np.isfinite(array).all() or array.min() < 0 or array.max() > 1:
        raise ClassroomError("class_bad_input")
    return np.rint(array * 255).astype(np.uint8).tobytes()


def strokes_of(strokes) -> tuple[str | None, int]:
    """A drawing's strokes ([[[x, y], ...], ...], pad pixels) as compact JSON, and their points;
    ClassroomError if they are not."""
    if strokes is None:
        return None, 0
    ok = isinstance(strokes, list) and 0 < len(strokes) <= 100 and all(
        isinstance(s, list) and s and all(isinstance(p, (list, tuple)) and len(p) == 2 and all(
            isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v) and abs(v) < 1e5 for v in p)
            for p in s) for s in strokes)
    points = sum(len(s) for s in strokes) if ok else 0
    if not ok or points > MAX_STROKE_POINTS:
        raise ClassroomError("class_bad_strokes")
    return json.dumps([[[round(float(x), 1), round(float(y), 1)] for x, y in s] for s in strokes],
                      separators=(",", ":")), points


def _whole(value) -> int | None:
    """`value` as an int when it is a whole number (an API's numbers may come as 7.0), else None."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def as_digit(digit) -> int:
    """A digit 0-9 (7 or 7.0), or NOT_A_DIGIT (10: a drawing that is not one); ClassroomError for anything else."""
    whole = _whole(digit)
    if whole is None or not 0 <= whole <= NOT_A_DIGIT:
        raise ClassroomError("class_bad_digit", got=digit)
    return whole


def _number(value, key: str) -> int:
    whole = _whole(value)
    if whole is None or not 0 <= whole < 2**62:
        raise ClassroomError(key, got=value)
    return whole


class ClassStore:
    """The classes of one server, in one SQLite file (see the module's docstring)."""

    def __init__(self, path: str | os.PathLike, limits: ClassLimits = ClassLimits(), clock=time.time):
        self.path, self.limits, self.clock = Path(path), limits, clock
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")  # a commit is durable once it returns
        self._db.execute(f"PRAGMA journal_size_limit={64 * 2**20}")  # the log, emptied, shrinks back to this
        self._db.execute("PRAGMA foreign_keys=ON")
        self._db.executescript(SCHEMA)
        for (table, column), (definition, fill) in ADDED_COLUMNS.items():
            if column not in {row[1] for row in self._db.execute(f"PRAGMA table_info({table})")}:
                self._db.execute(f"ALTER TABLE {table} ADD COLUMN {column} {definition}")
                if fill:
                    self._db.execute(fill)
        self._lock = threading.RLock()  # one connection, used by one thread at a time

    def close(self) -> None:
        self._db.close()

    # --- the class itself ------------------------------------------------------------------------

    def _transaction(self):
        return _Transaction(self._db, self._lock)

    def _class(self, code) -> tuple[int, str, float, bool]:
        """The class's (id, teacher hash, created, own), or ClassroomError if it is unknown or over."""
        code = normal_code(code)
        row = self._db.execute("SELECT id, teacher, created, own FROM classes WHERE code = ?", (code,)).fetchone()
        if row is None:
            raise ClassroomError("class_unknown", code=code)
        if self.clock() - row[2] > self.limits.class_seconds:
            raise ClassroomError("class_over", code=code)
        return row[0], row[1], row[2], bool(row[3])

    def start(self, teacher: str, own: bool = False, origin: str = "") -> Class:
        """A new class (or a person's own collection) taught by the holder of `teacher`, asked for
        from `origin` (an address: each holds a bounded number at once; "" is not counted)."""
        hashed = _hashed(teacher)
        with self._transaction():
            self._expire()
            if not own:  # one class per teacher at a time: starting again is the same class
                row = self._db.execute("SELECT code, created FROM classes WHERE teacher = ? AND own = 0",
                                       (hashed,)).fetchone()
                if row is not None:
                    return Class(row[0], row[1])
            count = self._db.execute("SELECT COUNT(*) FROM classes WHERE own = ?", (int(own),)).fetchone()[0]
            if count >= (self.limits.own_collections if own else self.limits.classes):
                raise ClassroomError("class_limit_own" if own else "class_limit",
                                     count=self.limits.own_collections if own else self.limits.classes)
            per_origin = self.limits.own_per_origin if own else self.limits.classes_per_origin
            if origin and self._db.execute("SELECT COUNT(*) FROM classes WHERE own = ? AND origin = ?",
                                           (int(own), origin)).fetchone()[0] >= per_origin:
                raise ClassroomError("class_limit_origin_own" if own else "class_limit_origin", count=per_origin)
            code, now = new_code(), self.clock()
            self._db.execute("INSERT INTO classes (code, teacher, created, own, origin) VALUES (?, ?, ?, ?, ?)",
                             (code, hashed, now, int(own), origin))
        return Class(code, now, own)

    def own(self, person: str, make: bool = True, origin: str = "") -> Class | None:
        """The collection of one person outside any class: theirs alone, made on first use (with
        `make`, as start's from `origin`; else None until then)."""
        hashed = _hashed(person)
        with self._lock:
            row = self._db.execute("SELECT code, created FROM classes WHERE teacher = ? AND own = 1 ORDER BY id DESC",
                                   (hashed,)).fetchone()
            if row is not None and self.clock() - row[1] <= self.limits.class_seconds:
                return Class(row[0], row[1], True)
            return self.start(person, own=True, origin=origin) if make else None

    def places(self, secret: str) -> list[tuple[str, str]]:
        """The classes (not own collections) going on that the holder of `secret` is in: (code,
        "teacher" or "student") each, in the order of their codes."""
        hashed = _hashed(secret)
        with self._lock:
            return self._db.execute(
                "SELECT code, 'teacher' FROM classes WHERE teacher = ? AND own = 0 AND created >= ? "
                "UNION ALL SELECT c.code, 'student' FROM students s JOIN classes c ON c.id = s.class "
                "WHERE s.secret = ? AND c.created >= ? ORDER BY 1",
                (hashed, self.clock() - self.limits.class_seconds, hashed,
                 self.clock() - self.limits.class_seconds)).fetchall()

    def role(self, code, secret: str) -> str | None:
        """"teacher", "student" or None (not in this class)."""
        hashed = _hashed(secret)
        with self._lock:
            class_id, teacher, _, _ = self._class(code)
            if hashed == teacher:
                return "teacher"
            found = self._db.execute("SELECT 1 FROM students WHERE class = ? AND secret = ?",
                                     (class_id, hashed)).fetchone()
            return "student" if found else None

    def join(self, code, student: str) -> int:
        """Join as a student; the student's number (the same again for the same secret)."""
        hashed = _hashed(student)
        with self._transaction():
            class_id, teacher, _, own = self._class(code)
            if own:
                raise ClassroomError("class_unknown", code=code)
            if hashed == teacher:
                return 0
            row = self._db.execute("SELECT number FROM students WHERE class = ? AND secret = ?",
                                   (class_id, hashed)).fetchone()
            if row is not None:
                return row[0]
            if self._db.execute("SELECT 1 FROM removed WHERE class = ? AND secret = ?", (class_id, hashed)).fetchone():
                raise ClassroomError("class_removed")
            numbers = [r[0] for r in self._db.execute("SELECT number FROM students WHERE class = ?", (class_id,))]
            if len(numbers) >= self.limits.students:
                raise ClassroomError("class_full", count=self.limits.students)
            drawn = self._db.execute("SELECT MAX(student) FROM drawings WHERE class = ?", (class_id,)).fetchone()[0]
            number = max(*numbers, drawn or 0, 0) + 1  # never the number of drawings already there (imported)
            self._db.execute("INSERT INTO students (class, number, secret) VALUES (?, ?, ?)", (class_id, number, hashed))
            return number

    def _room_for(self, nbytes: int) -> None:
        """ClassroomError when `nbytes` more would take the store over its size on disk."""
        pages, page_size = (self._db.execute(f"PRAGMA {name}").fetchone()[0] for name in ("page_count", "page_size"))
        free = self._db.execute("PRAGMA freelist_count").fetchone()[0]
        if (pages - free) * page_size + 2 * nbytes > self.limits.store_bytes:
            raise ClassroomError("class_store_full")

    def _room_for_points(self, class_id: int, points: int) -> None:
        """ClassroomError when `points` more strokes' points would take the collection over its bound."""
        held = self._db.execute("SELECT COALESCE(SUM(points), 0) FROM drawings WHERE class = ?", (class_id,)).fetchone()[0]
        if held + points > self.limits.stroke_points:
            raise ClassroomError("class_limit_points", count=self.limits.stroke_points)

    def _member(self, code, secret: str) -> tuple[int, int, bool]:
        """(class id, student number (0 for the teacher), is the teacher), or ClassroomError."""
        class_id, teacher, _, _ = self._class(code)
        hashed = _hashed(secret)
        if hashed == teacher:
            return class_id, 0, True
        row = self._db.execute("SELECT number FROM students WHERE class = ? AND secret = ?",
                               (class_id, hashed)).fetchone()
        if row is None:
            raise ClassroomError("class_not_member")
        return class_id, row[0], False

    def _teacher(self, code, secret: str) -> int:
        class_id, _, is_teacher = self._member(code, secret)
        if not is_teacher:
            raise ClassroomError("class_teacher_only")
        return class_id

    # --- drawings --------------------------------------------------------------------------------

    def add(self, code, secret: str, digit, image, strokes=None) -> int:
        """Add a drawing (its digit, its 28 x 28 input, its strokes if known) as the holder of
        `secret`; its id. It is stored when this returns."""
        digit, pixels, (strokes, points) = as_digit(digit), pixels_of(image), strokes_of(strokes)
        with self._transaction():
            class_id, student, _ = self._member(code, secret)
            mine = self._db.execute("SELECT COUNT(*) FROM drawings WHERE class = ? AND student = ?",
                                    (class_id, student)).fetchone()[0]
            if mine >= self.limits.per_student:
                raise ClassroomError("class_student_limit", count=self.limits.per_student)
            total = self._db.execute("SELECT COUNT(*) FROM drawings WHERE class = ?", (class_id,)).fetchone()[0]
            if total >= self.limits.per_class:
                raise ClassroomError("class_limit_drawings", count=self.limits.per_class)
            self._room_for_points(class_id, points)
            self._room_for(len(pixels) + len(strokes or ""))
            cursor = self._db.execute(
                "INSERT INTO drawings (class, student, digit, pixels, strokes, created, points) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (class_id, student, digit, pixels, strokes, self.clock(), points))
            return cursor.lastrowid

    def drawings(self, code, secret: str) -> list[Drawing]:
        """The teacher: every drawing of the class; a student: their own (without their strokes: see export)."""
        with self._lock:
            class_id, student, is_teacher = self._member(code, secret)
            query = "SELECT id, student, digit, pixels, created FROM drawings WHERE class = ?"
            rows = self._db.execute(query + ("" if is_teacher else " AND student = ?") + " ORDER BY id",
                                    (class_id,) if is_teacher else (class_id, student)).fetchall()
        return [Drawing(i, s, d, np.frombuffer(p, np.uint8).reshape(FIELD, FIELD).astype(np.float32) / 255, c)
                for i, s, d, p, c in rows]

    def counts(self, code, secret: str) -> dict:
        """How many drawings: of each digit and of each student (the teacher's view), or the student's own."""
        with self._lock:
            class_id, student, is_teacher = self._member(code, secret)
            where, values = (("class = ?", (class_id,)) if is_teacher
                             else ("class = ? AND student = ?", (class_id, student)))
            by_digit = [0] * (NOT_A_DIGIT + 1)  # (the last: drawings that are not a digit)
            for digit, n in self._db.execute(f"SELECT digit, COUNT(*) FROM drawings WHERE {where} GROUP BY digit",
                                             values):
                by_digit[digit] = n
            students = {}
            if is_teacher:
                students = {number: 0 for (number,) in self._db.execute(
                    "SELECT number FROM students WHERE class = ?", (class_id,))}
                for number, n in self._db.execute(
                        "SELECT student, COUNT(*) FROM drawings WHERE class = ? GROUP BY student", (class_id,)):
                    students[number] = n
        return {"digits": by_digit, "students": students, "total": sum(by_digit),
                "student": None if is_teacher else student}

    def delete(self, code, teacher: str, drawing: int) -> None:
        with self._transaction():
            class_id = self._teacher(code, teacher)
            gone = self._db.execute("DELETE FROM drawings WHERE class = ? AND id = ?",
                                    (class_id, _number(drawing, "class_bad_drawing"))).rowcount
            if not gone:
                raise ClassroomError("class_no_drawing", got=drawing)

    def remove_student(self, code, teacher: str, number: int) -> None:
        """The student leaves the class, and their drawings with them; their secret cannot join it again."""
        number = _number(number, "class_bad_student")
        with self._transaction():
            class_id = self._teacher(code, teacher)
            row = self._db.execute("SELECT secret FROM students WHERE class = ? AND number = ?",
                                   (class_id, number)).fetchone()
            if row is None:
                raise ClassroomError("class_no_student", got=number)
            self._db.execute("DELETE FROM students WHERE class = ? AND number = ?", (class_id, number))
            self._db.execute("INSERT OR IGNORE INTO removed (class, secret) VALUES (?, ?)", (class_id, row[0]))
            self._db.execute("DELETE FROM drawings WHERE class = ? AND student = ?", (class_id, number))

    def end(self, code, teacher: str) -> None:
        """The class ends: its students, drawings and model go."""
        with self._transaction():
            class_id = self._teacher(code, teacher)
            self._db.execute("DELETE FROM classes WHERE id = ?", (class_id,))

    # --- the class's model -----------------------------------------------------------------------

    def publish(self, code, teacher: str, model: bytes) -> int:
        """Make `model` (checkpoint bytes) the class's model: every student's pad takes it. Its version."""
        with self._transaction():
            class_id = self._teacher(code, teacher)
            self._db.execute("UPDATE classes SET published = published + 1, model = ? WHERE id = ?",
                             (model, class_id))
            return self._db.execute("SELECT published FROM classes WHERE id = ?", (class_id,)).fetchone()[0]

    def published(self, code, secret: str, since: int = 0) -> Published | None:
        """The class's published model if it is newer than version `since` (None otherwise)."""
        with self._lock:
            class_id, _, _ = self._member(code, secret)
            version = self._db.execute("SELECT published FROM classes WHERE id = ?", (class_id,)).fetchone()[0]
            if version <= since:
                return None  # (every student's page asks every few seconds: the model's bytes only when new)
            model = self._db.execute("SELECT model FROM classes WHERE id = ?", (class_id,)).fetchone()[0]
        return Published(version, model) if model is not None else None

    # --- export, import, expiry ------------------------------------------------------------------

    def export(self, code, teacher: str) -> bytes:
        """The class's drawings as a file (gzipped JSON) that import_into takes back. Written one
        drawing at a time, strokes as stored (never parsed): its memory is the packed file's."""
        out = io.BytesIO()
        with self._lock, gzip.GzipFile(fileobj=out, mode="wb", mtime=0) as packed:
            class_id = self._teacher(code, teacher)
            packed.write(b'{"format": "%s", "drawings": [' % EXPORT_FORMAT.encode())
            rows = self._db.execute("SELECT student, digit, pixels, strokes FROM drawings WHERE class = ? ORDER BY id",
                                    (class_id,))
            for i, (student, digit, pixels, strokes) in enumerate(rows):
                packed.write(b'%s{"student": %d, "digit": %d, "strokes": %s, "pixels": [%s]}' % (
                    b", " if i else b"", student, digit, (strokes or "null").encode(),
                    ",".join(map(str, pixels)).encode()))
            packed.write(b"]}")
        return out.getvalue()

    def import_into(self, code, teacher: str, data: bytes) -> int:
        """Add an exported collection's drawings to this class (each earlier student a new number);
        ClassroomError, with nothing added, for a file that is not one. How many were added."""
        rows = self._read_export(data)
        with self._transaction():
            class_id = self._teacher(code, teacher)
            total = self._db.execute("SELECT COUNT(*) FROM drawings WHERE class = ?", (class_id,)).fetchone()[0]
            if total + len(rows) > self.limits.per_class:
                raise ClassroomError("class_limit_drawings", count=self.limits.per_class)
            self._room_for_points(class_id, sum(n for *_, n in rows))
            self._room_for(sum(len(p) + len(k or "") for _, _, p, k, _ in rows))
            numbers = [r[0] for r in self._db.execute("SELECT number FROM students WHERE class = ?", (class_id,))]
            base = max([*numbers, 0, *(r[0] for r in self._db.execute(
                "SELECT student FROM drawings WHERE class = ?", (class_id,)))])
            renumber = {s: base + i + 1 for i, s in enumerate(sorted({s for s, *_ in rows if s}))}
            now = self.clock()
            self._db.executemany(
                "INSERT INTO drawings (class, student, digit, pixels, strokes, created, points) VALUES (?, ?, ?, ?, ?, ?, ?)",
                [(class_id, renumber.get(s, 0), d, p, k, now, n) for s, d, p, k, n in rows])
        return len(rows)

    def _read_export(self, data: bytes) -> list[tuple]:
        if not isinstance(data, (bytes, bytearray)) or len(data) > self.limits.export_bytes:
            raise ClassroomError("class_bad_file")
        try:
            with gzip.GzipFile(fileobj=io.BytesIO(data)) as f:
                raw = f.read(self.limits.export_bytes + 1)
            if len(raw) > self.limits.export_bytes:  # (a full class's export is a few megabytes)
                raise ValueError("too large once unpacked")
            lists = self.limits.stroke_points + self.limits.per_class * LISTS_PER_DRAWING + 1
            if raw.count(b"{") > self.limits.per_class + 1 or raw.count(b"[") > lists:
                raise ValueError("more objects than a collection has")  # (before parsing: each one costs memory)
            content = json.loads(raw)
        except (OSError, EOFError, ValueError, RecursionError):
            raise ClassroomError("class_bad_file") from None
        if not isinstance(content, dict) or content.get("format") != EXPORT_FORMAT \
                or not isinstance(content.get("drawings"), list) or len(content["drawings"]) > self.limits.per_class:
            raise ClassroomError("class_bad_file")
        rows = []
        for item in content["drawings"]:
            if not isinstance(item, dict):
                raise ClassroomError("class_bad_file")
            pixels, student = item.get("pixels"), item.get("student", 0)
            if not isinstance(pixels, list) or len(pixels) != FIELD * FIELD or not all(
                    isinstance(v, int) and not isinstance(v, bool) and 0 <= v <= 255 for v in pixels) \
                    or isinstance(student, bool) or not isinstance(student, int) or not 0 <= student < 10_000:
                raise ClassroomError("class_bad_file")
            try:
                rows.append((student, as_digit(item.get("digit")), bytes(pixels), *strokes_of(item.get("strokes"))))
            except ClassroomError:
                raise ClassroomError("class_bad_file") from None
        return rows

    def _expire(self) -> None:
        now = self.clock()
        self._db.execute("DELETE FROM classes WHERE created < ?", (now - self.limits.class_seconds,))
        self._db.execute("DELETE FROM classes WHERE created < ? AND NOT EXISTS (SELECT 1 FROM students WHERE "
                         "class = classes.id) AND NOT EXISTS (SELECT 1 FROM drawings WHERE class = classes.id)",
                         (now - self.limits.empty_seconds,))

    def expire(self) -> None:
        """Remove the classes whose day is over, and those nobody joined or drew in for an hour, with
        everything in them; their space is reused, and the write-ahead log is emptied."""
        with self._transaction():
            self._expire()
        with self._lock:
            self._db.execute("PRAGMA wal_checkpoint(TRUNCATE)")


class _Transaction:
    """One thread at a time on the connection, and all of a change or none of it."""

    def __init__(self, db: sqlite3.Connection, lock: threading.RLock):
        self.db, self.lock = db, lock

    def __enter__(self):
        self.lock.acquire()
        try:
            self.outermost = not self.db.in_transaction
            if self.outermost:
                self.db.execute("BEGIN IMMEDIATE")
        except BaseException:
            self.lock.release()
            raise
        return self

    def __exit__(self, kind, value, traceback):
        try:
            if self.outermost:
                self.db.execute("COMMIT" if kind is None else "ROLLBACK")
        finally:
            self.lock.release()
        return False
