"""A class of phones, and a person's own collection: the work behind the Teach tab, in plain values.

The teacher's page starts a class (mnist_model.classroom keeps it, in SQLite under
$MNIST_APP_DATA_DIR); students open its link (a QR code on the teacher's screen) and add drawings of
the digit they are asked for; the teacher teaches the network their writing (mnist_model.teach) and
publishes the result, which every student's session then uses, their pad and their /predict alike.
Outside a class, a person collects their own drawings and teaches alone.

Who is who: the store knows each member by a secret. A page keeps one in the browser (localStorage,
sent as `key`), so that a reloaded phone is the same student and a reloaded teacher's page still
teaches; an API client without one is known by its session (its Visitor's key).
"""

import functools
import io
import os
import re
import threading
import time
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import segno

from mnist_model import Classifier, ClassroomError, checkpoint
from mnist_model.classroom import Drawing, Limits, Store, normal_code
from mnist_model.teach import teach

from .components import MAX_PAGE_PARAMETERS
from .errors import PageMessage
from .visitors import Visitor

KEY_PATTERN = re.compile(r"[0-9a-f]{32}")  # a page's own secret: 128 random bits, as localStorage keeps them
ADDS_PER_SECOND, ADDS_PER_MINUTE = 3, 90  # one session's drawings, at most: a hand, not a script
TEACHING = threading.Lock()  # one collection taught at a time: a few seconds each


@functools.cache
def store() -> Store:
    """The server's classes, opened on first use (not at import): $MNIST_APP_DATA_DIR, else
    ~/.local/share/mnist-draw-a-digit, a folder that outlives the app's temporary one."""
    folder = Path(os.environ.get("MNIST_APP_DATA_DIR") or Path.home() / ".local" / "share" / "mnist-draw-a-digit")
    return Store(folder / "classes.sqlite", Limits.from_env())


@dataclass
class Membership:
    """A visitor's place in a class (or in their own collection)."""

    code: str
    role: str  # "teacher", "student", or "own" (a collection of one's own, outside any class)
    number: int  # the student's number; 0 for a teacher or an owner
    secret: str = field(repr=False)
    version: int = 0  # the class's published model that this session uses (0: none yet)
    adds: deque = field(default_factory=deque, repr=False)  # when this session last added drawings

    @property
    def teaches(self) -> bool:
        return self.role in ("teacher", "own")


def secret_of(visitor: Visitor, key) -> str:
    """The member's secret: the page's own key when it sent one, else the session's."""
    return key if isinstance(key, str) and KEY_PATTERN.fullmatch(key) else visitor.key


def link(base_url: str, code: str) -> str:
    """The page's address that joins `code`."""
    return f"{base_url.rstrip('/')}/?class={code}"


def qr_svg(text: str) -> str:
    """`text` as a QR code: an inline SVG made here (segno), nothing fetched."""
    out = io.BytesIO()
    segno.make(text, error="m").save(out, kind="svg", scale=5, border=2, xmldecl=False, svgclass="qr")
    return out.getvalue().decode()


# --- who is where ----------------------------------------------------------------------------------


def start(visitor: Visitor, key) -> Membership:
    """A new class, taught by this visitor."""
    secret = secret_of(visitor, key)
    visitor.membership = Membership(store().start(secret).code, "teacher", 0, secret)
    return visitor.membership


def join(visitor: Visitor, key, code) -> Membership:
    """Join a class as a student (its teacher, opening its link, stays its teacher)."""
    secret = secret_of(visitor, key)
    number = store().join(code, secret)
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
    if role is None:
        return None
    number = 0 if role == "teacher" else store().join(code, secret)
    visitor.membership = Membership(normal_code(code), role, number, secret)
    return visitor.membership


def membership(visitor: Visitor, key) -> Membership:
    """The visitor's class, or else their own collection (made on first use)."""
    current = getattr(visitor, "membership", None)
    if current is not None:
        return current
    secret = secret_of(visitor, key)
    visitor.membership = Membership(store().own(secret).code, "own", 0, secret)
    return visitor.membership


def leave(visitor: Visitor) -> None:
    visitor.membership = None


# --- drawings --------------------------------------------------------------------------------------


def _within_rate(member: Membership) -> None:
    now = time.monotonic()
    while member.adds and now - member.adds[0] > 60:
        member.adds.popleft()
    if len(member.adds) >= ADDS_PER_MINUTE or sum(now - t < 1 for t in member.adds) >= ADDS_PER_SECOND:
        raise PageMessage("class_rate")
    member.adds.append(now)


def add(visitor: Visitor, key, picture, digit, strokes=None) -> tuple[int, dict]:
    """Add a drawing (a picture the network reads as it reads any, its digit, its pen strokes when
    the page sent them) to the visitor's class or own collection; its id, and the counts after it.
    Stored before this returns; refused with nothing stored when blank, too fast, or over a limit."""
    member = membership(visitor, key)
    if isinstance(digit, float) and digit.is_integer():
        digit = int(digit)
    digit_checked = digit if isinstance(digit, int) and not isinstance(digit, bool) and 0 <= digit <= 9 else None
    if digit_checked is None:
        raise ClassroomError("class_bad_digit", got=digit)
    image = Classifier.preprocess(picture)
    if image is None:
        raise PageMessage("class_blank")
    _within_rate(member)
    drawing = store().add(member.code, member.secret, digit_checked, image, strokes)
    return drawing, store().counts(member.code, member.secret)


def counts(visitor: Visitor, key) -> dict:
    member = membership(visitor, key)
    return store().counts(member.code, member.secret)


def drawings(visitor: Visitor, key) -> list[Drawing]:
    member = membership(visitor, key)
    return store().drawings(member.code, member.secret)


def delete(visitor: Visitor, key, drawing) -> None:
    member = membership(visitor, key)
    store().delete(member.code, member.secret, drawing)


def remove_student(visitor: Visitor, key, number) -> None:
    member = membership(visitor, key)
    store().remove_student(member.code, member.secret, number)


def end(visitor: Visitor, key) -> None:
    """The teacher ends the class: it goes, with everything in it."""
    member = membership(visitor, key)
    store().end(member.code, member.secret)
    leave(visitor)


def export(visitor: Visitor, key) -> bytes:
    member = membership(visitor, key)
    return store().export(member.code, member.secret)


def import_collection(visitor: Visitor, key, data: bytes) -> int:
    member = membership(visitor, key)
    return store().import_into(member.code, member.secret, data)


# --- teaching and publishing -----------------------------------------------------------------------


def teach_collection(visitor: Visitor, key, base: Classifier, report_every: float | None = None) -> Iterator:
    """Teach `base` the collection (the class's, by its teacher; or the visitor's own): teach()'s
    events, ending with Taught. One teaching at a time on this server: the next waits its turn."""
    member = membership(visitor, key)
    if not member.teaches:
        raise ClassroomError("class_teacher_only")
    collected = store().drawings(member.code, member.secret)
    with TEACHING:
        yield from teach(base, collected, report_every=report_every)


def publish(visitor: Visitor, key, model: Classifier) -> int:
    """Make `model` the class's model: every student's session takes it (their pad within seconds,
    their next request at once). Its version."""
    member = membership(visitor, key)
    if member.role != "teacher":
        raise ClassroomError("class_teacher_only")
    if model.parameters > MAX_PAGE_PARAMETERS:
        raise PageMessage("class_model_too_big")
    return store().publish(member.code, member.secret, checkpoint.dumps(model.model, **model.meta))


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
