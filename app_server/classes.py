"""A class of phones, and a person's own collection: the work behind the Teach tab, in plain values.

The teacher's page starts a class (app_server.class_store keeps it, in SQLite under
$MNIST_APP_DATA_DIR); students open its link (a QR code on the teacher's screen) and add drawings of
the digit they are asked for; the teacher teaches the network their writing (mnist_model.teach) and
publishes the result, which every student's session then uses, their pad and their /predict alike.
Outside a class, a person collects their own drawings and teaches alone.

Who is who: the store knows each member by a secret, a key this server issued (`issue`: 128 random
bits signed with a secret kept in the data folder, so that keys outlive a restart; a key it did not
issue is no one). A session is given one on first use; the page keeps it in the browser
(localStorage, sent as `key`), so that a reloaded phone is the same student and a reloaded teacher's
page still teaches; an API client gets it in /class_start's and /class_join's answers. A key in a
class finds its way back to it in a new session (after a restart too): the drawings it adds go there,
and the answer says where.

What one caller may do: a session starts STARTS_PER_HOUR classes or collections in an hour and joins
JOINS_PER_MINUTE times a minute; an address tries FAILED_JOINS codes that are no class in ten
minutes (guessing a code), and holds ClassLimits.classes_per_origin classes and own_per_origin collections.

What a host may set (app_server.class_store.ClassLimits has the defaults):

    MNIST_APP_DATA_DIR                   where classes are kept    ~/.local/share/mnist-draw-a-digit
    MNIST_APP_CLASS_HOURS                a class's life, in hours                                  8
    MNIST_APP_MAX_CLASSES                classes at once                                          50
    MNIST_APP_MAX_STUDENTS               students in a class                                      60
    MNIST_APP_MAX_DRAWINGS_PER_STUDENT   drawings one student adds to a class                    200
    MNIST_APP_MAX_DRAWINGS_PER_CLASS     drawings in a class                                    2000
    MNIST_APP_CLASSES_PER_ADDRESS        classes at once started from one IP address              10
    MNIST_APP_COLLECTIONS_PER_ADDRESS    own collections at once made from one IP address         60
    MNIST_APP_PUBLIC_URL                 the address in the join link and QR code   the page's own
"""

import functools
import hashlib
import hmac
import io
import os
import re
import secrets
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qs

import segno

from mnist_model import Classifier, checkpoint
from mnist_model.not_digits import NOT_A_DIGIT
from mnist_model.teach import Drawing, Lesson, lesson, teach
from mnist_model.training_run import plan_run

from .callers import Allowance
from .class_store import ClassLimits, ClassStore, as_digit, normal_code
from .errors import ClassroomError, Refusal
from .hosting import LIMITS, number
from .running import RUNS, Unread, followed, priority
from .visitors import Visitor

KEY_PATTERN = re.compile(r"[0-9a-f]{64}")  # a key this server issued: 128 random bits, then their signature
ADDS_PER_SECOND, ADDS_PER_MINUTE = 3, 90  # one member's drawings in a class (its key's), at most: a hand, not a script
STARTS_PER_HOUR = 5  # classes and own collections one session starts (a teacher starts one, or two)
JOINS_PER_MINUTE = 10  # joins one session makes
FAILED_JOINS = 30  # codes that are no class, tried from one address in ten minutes (60 phones mistyping)
STARTS = Allowance(STARTS_PER_HOUR, 3600)
JOINS = Allowance(JOINS_PER_MINUTE, 60)
MISSES = Allowance(FAILED_JOINS, 600)
ADDS_A_SECOND, ADDS_A_MINUTE = Allowance(ADDS_PER_SECOND, 1), Allowance(ADDS_PER_MINUTE, 60)  # (a member's, in a class)
ADDING = threading.Lock()  # (both allowances checked and taken as one)
KEYS_MADE = threading.Lock()  # the signing secret is made once


def data_dir() -> Path:
    """$MNIST_APP_DATA_DIR, else ~/.local/share/mnist-draw-a-digit: a folder that outlives the app's
    temporary one."""
    return Path(os.environ.get("MNIST_APP_DATA_DIR") or Path.home() / ".local" / "share" / "mnist-draw-a-digit")


@functools.cache
def store() -> ClassStore:
    """The server's classes, opened on first use (not at import), in data_dir()."""
    limits = ClassLimits(class_seconds=number("MNIST_APP_CLASS_HOURS", ClassLimits.class_seconds / 3600) * 3600,
                         classes=int(number("MNIST_APP_MAX_CLASSES", ClassLimits.classes)),
                         students=int(number("MNIST_APP_MAX_STUDENTS", ClassLimits.students)),
                         per_student=int(number("MNIST_APP_MAX_DRAWINGS_PER_STUDENT", ClassLimits.per_student)),
                         per_class=int(number("MNIST_APP_MAX_DRAWINGS_PER_CLASS", ClassLimits.per_class)),
                         classes_per_origin=int(number("MNIST_APP_CLASSES_PER_ADDRESS", ClassLimits.classes_per_origin)),
                         own_per_origin=int(number("MNIST_APP_COLLECTIONS_PER_ADDRESS", ClassLimits.own_per_origin)))
    return ClassStore(data_dir() / "classes.sqlite", limits)


@functools.cache
def signing_secret() -> bytes:
    """The secret that signs the keys this server issues: made once, kept in data_dir() (readable by
    the server alone), so that a key outlives a restart."""
    path = data_dir() / "keys.secret"
    with KEYS_MADE:  # (two first requests at once: one writes it, the other reads it written)
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            with os.fdopen(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "w") as f:
                f.write(secrets.token_hex(32))
        except FileExistsError:
            pass
        return bytes.fromhex(path.read_text().strip())


def _signature(token: str) -> str:
    return hmac.new(signing_secret(), token.encode(), hashlib.sha256).hexdigest()[:32]


def issue() -> str:
    """A new key: an identity no one else has."""
    token = secrets.token_hex(16)
    return token + _signature(token)


def issued(key) -> bool:
    """Whether `key` is one this server issued."""
    return isinstance(key, str) and KEY_PATTERN.fullmatch(key) is not None \
        and hmac.compare_digest(key[32:], _signature(key[:32]))


@dataclass
class Membership:
    """A visitor's place in a class (or in their own collection)."""

    code: str
    role: str  # "teacher", "student", or "own" (a collection of one's own, outside any class)
    number: int  # the student's number; 0 for a teacher or an owner
    secret: str = field(repr=False)
    version: int = 0  # the class's published model that this session uses (0: none yet)
    seen: tuple = ()  # the counts this session's page shows (a poll sends nothing while they stand)

    def sees(self, counts: dict) -> bool:
        """Note `counts` as what the page shows; whether they are news to it."""
        shown = (counts["total"], tuple(sorted(counts["students"].items())))
        news, self.seen = shown != self.seen, shown
        return news

    @property
    def teaches(self) -> bool:
        return self.role in ("teacher", "own")


def secret_of(visitor: Visitor, key) -> str:
    """The member's secret: the key sent when this server issued it, else the session's own (issued on
    first use; never its folders' name, which download links show)."""
    if issued(key):
        return key
    if visitor.secret is None:
        visitor.secret = issue()
    return visitor.secret


LINK_PARAMETER = "class"  # a page's address that joins a class: ?class=CODE


def link(base_url: str, code: str) -> str:
    """The page's address that joins `code`."""
    return f"{base_url.rstrip('/')}/?{LINK_PARAMETER}={code}"


def linked_code(query: str) -> str:
    """The code a page's query string (as its address has it) joins: its first `class` value, as the
    page's own scripts read it (URLSearchParams.get); "" when it joins none."""
    return parse_qs(query, keep_blank_values=True).get(LINK_PARAMETER, [""])[0]


def by_link(query: str) -> bool:
    """Whether a page's query string is a class's link (linked_code)."""
    return linked_code(query) != ""


def qr_svg(text: str) -> str:
    """`text` as a QR code: an inline SVG made here (segno), nothing fetched. It has a viewBox and no
    size of its own, so that it fills whatever size the page gives it (a projector's is large)."""
    out = io.BytesIO()
    segno.make(text, error="m").save(out, kind="svg", scale=5, border=2, xmldecl=False, svgclass="qr", omitsize=True)
    return out.getvalue().decode()


# --- who is where ----------------------------------------------------------------------------------


def _may_start(visitor: Visitor) -> None:
    if not STARTS.take(visitor.key):
        raise Refusal("class_start_rate", count=STARTS_PER_HOUR)


def _origin(address: str) -> str:
    return hashlib.sha256(address.encode()).hexdigest()[:32] if address else ""


def start(visitor: Visitor, key, address: str = "") -> Membership:
    """A new class, taught by this visitor, who asked from `address` (their IP address)."""
    secret = secret_of(visitor, key)
    _may_start(visitor)
    visitor.membership = Membership(store().start(secret, origin=_origin(address)).code, "teacher", 0, secret)
    return visitor.membership


def join(visitor: Visitor, key, code, address: str = "") -> Membership:
    """Join a class as a student (its teacher, opening its link, stays its teacher), asked from
    `address`; refused when the session joins too often, or the address tried too many wrong codes."""
    secret = secret_of(visitor, key)
    if MISSES.spent(address) or not JOINS.take(visitor.key):
        raise Refusal("class_join_rate")
    try:
        number = store().join(code, secret)
    except ClassroomError as exc:
        if exc.key in ("class_unknown", "class_over"):
            MISSES.take(address)  # (counted, and told as it is)
        raise
    visitor.membership = Membership(normal_code(code), "teacher" if number == 0 else "student", number, secret)
    return visitor.membership


def resume(visitor: Visitor, key, code) -> Membership | None:
    """A reloaded page back in the class it remembers, in its role there; None if it is not in it
    (any more)."""
    secret = secret_of(visitor, key)
    try:
        role = store().role(code, secret)
    except ClassroomError:  # over, or unknown: the page is simply in no class
        return None
    return None if role is None else _placed(visitor, normal_code(code), role, secret)


def _placed(visitor: Visitor, code: str, role: str, secret: str) -> Membership:
    number = 0 if role == "teacher" else store().join(code, secret)  # (a member's number, as it is)
    visitor.membership = Membership(code, role, number, secret)
    return visitor.membership


def membership(visitor: Visitor, key) -> Membership:
    """The visitor's class: the one this session is in, else the one their key is in (a new session,
    a restart); refused when the key is in several. Else their own collection (its code empty until
    they add to it: a page that only opens stores nothing)."""
    current = getattr(visitor, "membership", None)
    if current is not None:
        return current
    secret = secret_of(visitor, key)
    places = store().places(secret)
    if len(places) > 1:
        raise Refusal("class_ambiguous", count=len(places))
    if places:
        return _placed(visitor, *places[0], secret)
    mine = store().own(secret, make=False)
    visitor.membership = Membership(mine.code if mine else "", "own", 0, secret)
    return visitor.membership


def _stored(visitor: Visitor, key, address: str = "") -> Membership:
    """The visitor's membership, their own collection made now if it was not yet (asked from `address`)."""
    member = membership(visitor, key)
    if not member.code:
        _may_start(visitor)
        member.code = store().own(member.secret, origin=_origin(address)).code
    return member


NO_COUNTS = {"digits": [0] * (NOT_A_DIGIT + 1), "students": {}, "total": 0, "student": None}


def expire() -> None:
    """Classes and collections whose day is over go, with their drawings (the sweeper's)."""
    store().expire()


def leave(visitor: Visitor) -> None:
    visitor.membership = None


# --- drawings --------------------------------------------------------------------------------------


def _within_rate(member: Membership) -> None:
    """One more drawing of this member's in its class (by its key: every page of that browser), at a
    hand's pace, or refused (and not counted)."""
    who = f"{member.code}:{member.secret}"
    with ADDING:
        if ADDS_A_SECOND.spent(who) or not ADDS_A_MINUTE.take(who):
            raise Refusal("class_rate")
        ADDS_A_SECOND.take(who)


def add(visitor: Visitor, key, picture, digit, strokes=None, address: str = "") -> tuple[int, dict]:
    """Add a drawing (a picture the network reads as it reads any, its digit, its pen strokes when
    the page sent them) to the visitor's class or own collection (see membership: the answer's
    place); its id, and the counts after it. Stored before this returns; refused with nothing stored
    when blank, too fast, or over a limit."""
    digit = as_digit(digit)
    image = Classifier.preprocess(picture)
    if image is None:
        raise Refusal("class_blank")
    member = membership(visitor, key)
    _within_rate(member)
    member = _stored(visitor, key, address)
    with _said_over_when_ended(visitor, member):
        return store().add(member.code, member.secret, digit, image, strokes), store().counts(member.code, member.secret)


def counts(visitor: Visitor, key) -> dict:
    member = membership(visitor, key)
    if not member.code:
        return NO_COUNTS
    with _said_over_when_ended(visitor, member):
        return store().counts(member.code, member.secret)


def drawings(visitor: Visitor, key) -> list[Drawing]:
    member = membership(visitor, key)
    if not member.code:
        return []
    with _said_over_when_ended(visitor, member):
        return store().drawings(member.code, member.secret)


@contextmanager
def _said_over_when_ended(visitor: Visitor, member: Membership):
    """A class that is gone (its teacher ended it, perhaps from another page or in a second click at
    once) is over, not a code nobody knows: a student is told so; a teacher's session leaves it (else
    each later request names the gone code) and is told they are in no class."""
    try:
        yield
    except ClassroomError as exc:
        if exc.key == "class_unknown" and member.role == "student":  # it was there when they joined
            raise ClassroomError("class_over", code=member.code) from None
        if exc.key == "class_unknown" and member.role == "teacher":
            leave(visitor)
            raise ClassroomError("class_none") from None
        raise


def delete(visitor: Visitor, key, drawing) -> None:
    member = membership(visitor, key)
    if not member.code:
        raise ClassroomError("class_no_drawing", got=drawing)
    with _said_over_when_ended(visitor, member):
        store().delete(member.code, member.secret, drawing)


def _class_taught(visitor: Visitor, key) -> Membership:
    """The class this visitor teaches; refused when they are a student in theirs, or in no class at all
    (a teacher's second End: told there is no class, not that only its teacher may end it)."""
    member = membership(visitor, key)
    if member.role == "own":
        raise ClassroomError("class_none")
    if member.role != "teacher":
        raise ClassroomError("class_teacher_only")
    return member


def remove_student(visitor: Visitor, key, number) -> None:
    member = _class_taught(visitor, key)
    with _said_over_when_ended(visitor, member):
        store().remove_student(member.code, member.secret, number)


def end(visitor: Visitor, key) -> None:
    """The teacher ends the class: it goes, with everything in it."""
    member = _class_taught(visitor, key)
    with _said_over_when_ended(visitor, member):
        store().end(member.code, member.secret)
    leave(visitor)


def export(visitor: Visitor, key, address: str = "") -> bytes:
    member = _stored(visitor, key, address)
    return store().export(member.code, member.secret)


def import_collection(visitor: Visitor, key, data: bytes, address: str = "") -> int:
    member = _stored(visitor, key, address)
    return store().import_into(member.code, member.secret, data)


# --- teaching and publishing -----------------------------------------------------------------------


def lesson_of(visitor: Visitor, key, base: Classifier, report_every: float | None = None) -> Lesson:
    """Teaching `base` the collection (the class's, by its teacher; or the visitor's own), as it will
    go: teach.lesson's plan of it, to price and run through the server's run service."""
    member = membership(visitor, key)
    if not member.teaches:
        raise ClassroomError("class_teacher_only")
    return lesson(base, drawings(visitor, key), report_every=report_every)


def teaching(visitor: Visitor, key, base: Classifier, unread: Unread, report_every: float | None = None) -> Iterator:
    """The collection's teaching (of `base`) as a run of the server's run service, like any training:
    priced against the host's teaching budget (refused up front when over it), in the training line (a
    class's teacher first) with its place told, stopped at twice its budget, ended when nobody reads
    its stream (`unread`). Its events: Waiting, then teach.teach's, ending with Taught (or Stopped)."""
    planned = lesson_of(visitor, key, base, report_every=report_every)
    plan = plan_run(planned.request, budget_seconds=LIMITS.teach_seconds)
    events = RUNS.run(visitor.key, plan, priority(visitor), work=lambda stop: teach(planned, stop),
                      wall_seconds=2 * LIMITS.teach_seconds)
    yield from followed(events, unread, "teaching")


def publish(visitor: Visitor, key, model: Classifier, largest: int) -> int:
    """Make `model` the class's model: every student's session takes it (their pad within seconds,
    their next request at once). Its version. A model over `largest` parameters is refused (the
    students' pages could not run it)."""
    member = _class_taught(visitor, key)
    if model.parameters > largest:
        raise Refusal("class_model_too_big")
    meta = {key: value for key, value in model.meta.items() if key != "published"}  # (the store numbers it)
    with _said_over_when_ended(visitor, member):
        version = store().publish(member.code, member.secret, checkpoint.dumps(model.model, **meta))
    model.meta["published"] = version  # the teacher's model is the class's now, named as its students name it
    return version


def adopt(visitor: Visitor) -> Classifier | None:
    """A student's session takes the class's published model when there is a newer one than the
    one it has: that model, or None when there is nothing new."""
    member = getattr(visitor, "membership", None)
    if member is None or member.role != "student":
        return None
    try:
        published = store().published(member.code, member.secret, since=member.version)
    except ClassroomError:  # the class ended, or the student was removed: they keep what they have
        return None
    if published is None:
        return None
    model, meta = checkpoint.load_bytes(published.model, name="the class's model")
    classifier = Classifier(model, {**meta, "published": published.version})
    visitor.put("active", classifier)
    member.version = published.version
    return classifier
