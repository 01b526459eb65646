"""Each visitor's things on the server, and the memory budget they all share.

A Visitor is one page (or one API client's session): a random key that lives only on the server
(in the visitor's gr.State), their folder under hosting.VISITOR_DIR, their saved models, and the
values their session keeps (their active model, their last run, the run Step goes on with, the
first-layer frames of their last run). Those values live in STORE, not in Gradio's state, so that
all visitors together hold at most LIMITS.models_bytes of memory:

- when a value would go over the budget, the least recently used values leave memory, written to
  their visitor's folder, and come back from there when that visitor asks for them again;
- a value unused for LIMITS.idle_seconds leaves memory the same way (the sweeper's);
- a value unused for LIMITS.keep_seconds is dropped, and so is the folder (hosting.sweep);
- a visitor who asks for a value that is gone is told their session expired (Refusal), never
  handed another model;
- a training run reserves its memory in the same budget while it runs.

No other visitor can list, load or overwrite what is in a visitor's folder.
"""

import secrets
import shutil
import threading
import time
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import torch

from mnist_model import Classifier, checkpoint
from mnist_model.step import RunState

from .errors import Refusal
from .hosting import GRADIO_DIR, HOST_MODELS, LIMITS, VISITOR_DIR, room_for

DOWNLOAD_NAME = "mnist_mlp_trained.safetensors"


# --- how each kind of value leaves memory and comes back -------------------------------------------


def _classifier_bytes(clf: Classifier) -> int:
    return 4 * clf.parameters


def _save_classifier(clf: Classifier, path: Path) -> None:
    checkpoint.save(path, clf.model, **clf.meta)


def _load_classifier(path: Path) -> Classifier:
    return Classifier.load(path, name="your model")


def _run_bytes(run: RunState) -> int:
    return 16 * sum(p.numel() for p in run.model.parameters())  # weights, gradients, Adam's two averages


def _save_run(run: RunState, path: Path) -> None:
    torch.save(run.state_dict(), path)


def _load_run(path: Path) -> RunState:
    return RunState.from_state_dict(torch.load(path, weights_only=True))  # a file this server wrote, as data only


def _frames_bytes(frames: list) -> int:
    return sum(frame.nbytes for _, frame in frames)


def _save_frames(frames: list, path: Path) -> None:
    with open(path, "wb") as f:
        np.savez(f, labels=np.array([label for label, _ in frames]), *[frame for _, frame in frames])


def _load_frames(path: Path) -> list:
    with np.load(path, allow_pickle=False) as kept:
        return [(str(label), kept[f"arr_{i}"]) for i, label in enumerate(kept["labels"])]


@dataclass(frozen=True)
class Kind:
    nbytes: Callable
    save: Callable
    load: Callable
    suffix: str


KINDS = {
    "classifier": Kind(_classifier_bytes, _save_classifier, _load_classifier, ".safetensors"),
    "run": Kind(_run_bytes, _save_run, _load_run, ".pt"),
    "frames": Kind(_frames_bytes, _save_frames, _load_frames, ".npz"),
}


# --- the store -------------------------------------------------------------------------------------


@dataclass(eq=False)
class Entry:
    value: object | None  # None once it left memory
    kind: str
    nbytes: int
    folder: Path
    name: str
    used: float = field(default_factory=time.monotonic)
    on_disk: Path | None = None


class VisitorStore:
    """Every visitor's kept values, within `budget` bytes of memory (see the module's docstring)."""

    def __init__(self, budget: int, kind_budgets: dict[str, int] | None = None):
        self.budget = budget
        self.kind_budgets = kind_budgets or {}  # bytes the values of a kind may take, in memory and on disk
        self.forgotten: dict[tuple[str, str], float] = {}  # (key, slot) -> when its kind's budget forgot it
        self.entries: dict[tuple[str, str], Entry] = {}
        self.reserved = 0
        self._lock = threading.RLock()

    def in_memory(self) -> int:
        with self._lock:
            seen, total = set(), 0
            for entry in self.entries.values():
                if entry.value is not None and id(entry.value) not in seen:
                    seen.add(id(entry.value))
                    total += entry.nbytes
            return total + self.reserved

    def put(self, key: str, slot: str, value, kind: str, folder: Path) -> None:
        with self._lock:
            self._forget(key, slot)
            entry = Entry(value, kind, KINDS[kind].nbytes(value), folder, slot)
            self.forgotten.pop((key, slot), None)
            bounded = self.kind_budgets.get(kind)
            if bounded is not None:
                if entry.nbytes > bounded:
                    self.forgotten[key, slot] = time.monotonic()  # (never kept)
                    return
                self._bound(kind, entry.nbytes, bounded)
            self._make_room(entry.nbytes, keep=value)
            self.entries[key, slot] = entry

    def _bound(self, kind: str, nbytes: int, budget: int) -> None:
        """Forget the least recently used values of `kind` (in memory or on disk) until `nbytes` more
        fit in `budget`: the networks kept for Step (24 sessions stepping ten 1024-unit layers filled
        the app's folder to 2008 of its 2048 MB for an hour, each ~120 MB once on disk)."""
        held = sorted((e for e in self.entries.items() if e[1].kind == kind), key=lambda e: e[1].used)
        total = sum(entry.nbytes for _, entry in held)
        for (key, slot), entry in held:
            if total + nbytes <= budget:
                return
            self._forget(key, slot)
            self.forgotten[key, slot] = time.monotonic()
            total -= entry.nbytes

    def made_room_from(self, key: str, slot: str) -> bool:
        """Whether the value in `slot` is gone to keep its kind within its budget (or was never kept,
        being over it), not with its visitor's session: then it is simply not there (Step starts a
        fresh network), and nobody is told their session expired."""
        with self._lock:
            return self.forgotten.pop((key, slot), None) is not None

    def get(self, key: str, slot: str):
        """The value, brought back from disk if it left memory; None if it is gone."""
        with self._lock:
            entry = self.entries.get((key, slot))
            if entry is None:
                return None
            entry.used = time.monotonic()
            if entry.value is None:
                if entry.on_disk is None or not entry.on_disk.is_file():
                    del self.entries[key, slot]
                    return None
                self._make_room(entry.nbytes)
                value = KINDS[entry.kind].load(entry.on_disk)
                for other in self._sharing(entry.on_disk):  # every slot that held it gets it back
                    other.value = value
            return entry.value

    def drop(self, key: str, slot: str | None = None) -> None:
        with self._lock:
            for k, s in [ks for ks in self.entries if ks[0] == key and slot in (None, ks[1])]:
                self._forget(k, s)

    def _forget(self, key: str, slot: str) -> None:
        entry = self.entries.pop((key, slot), None)
        if entry is not None and entry.on_disk is not None and not self._sharing(entry.on_disk):
            entry.on_disk.unlink(missing_ok=True)

    def _sharing(self, path: Path) -> list[Entry]:
        return [e for e in self.entries.values() if e.on_disk == path]

    def _make_room(self, nbytes: int, keep=None) -> None:
        """Send the least recently used values to disk until `nbytes` more fit (never `keep`)."""
        while self.in_memory() + nbytes > self.budget:
            held = [e for e in self.entries.values() if e.value is not None and e.value is not keep]
            if not held:
                return  # only what is being put is left: it is held even over the budget
            self._evict(min(held, key=lambda e: e.used).value)

    def _evict(self, value, must: bool = True) -> None:
        """Write `value` to its visitor's folder (when there is room on disk) and drop it from memory,
        in every slot that holds it. When it cannot be written, it is dropped all the same if memory
        `must` be freed (its visitor is then told their session expired), else it stays."""
        holders = [e for e in self.entries.values() if e.value is value]
        first = holders[0]
        path = first.on_disk
        if path is None or not path.is_file():
            path = first.folder / "kept" / f"{first.name}{KINDS[first.kind].suffix}"
            try:
                room_for(first.nbytes)
                path.parent.mkdir(parents=True, exist_ok=True)
                KINDS[first.kind].save(value, path)
            except (Refusal, OSError):
                path.unlink(missing_ok=True)  # (what a failed write left)
                if not must:
                    return
                path = None
        for entry in holders:
            entry.value, entry.on_disk = None, path

    def expire(self, now: float | None = None) -> None:
        """Drop every value unused for LIMITS.keep_seconds (its file goes with its visitor's folder),
        and send to disk those unused for LIMITS.idle_seconds: a visitor who left, or draws with the
        model running in their page, holds no memory on the server; one who comes back has theirs back."""
        now = time.monotonic() if now is None else now
        with self._lock:
            for key, slot in [ks for ks, e in self.entries.items() if now - e.used > LIMITS.keep_seconds]:
                self._forget(key, slot)
            self.forgotten = {ks: at for ks, at in self.forgotten.items() if now - at <= LIMITS.keep_seconds}
            held = {id(e.value): e.value for e in self.entries.values() if e.value is not None}
            recent = {id(e.value) for e in self.entries.values() if now - e.used <= LIMITS.idle_seconds}
            for idle in held.keys() - recent:  # (a value in several slots: idle in all of them)
                self._evict(held[idle], must=False)  # (no room on disk: it stays in memory until it expires)

    @contextmanager
    def reserve(self, nbytes: int):
        """Hold `nbytes` of the budget for a training run while it runs; Refusal when even
        sending every visitor's values to disk would not make room."""
        with self._lock:
            if self.reserved + nbytes > self.budget:
                raise Refusal("busy_memory")
            self._make_room(nbytes)
            self.reserved += nbytes
        try:
            yield
        finally:
            with self._lock:
                self.reserved -= nbytes


STORE = VisitorStore(LIMITS.models_bytes, {"run": LIMITS.steps_bytes})


# --- a visitor -------------------------------------------------------------------------------------


def host_models() -> dict[str, Path]:
    """Models everyone may pick: the shipped ones (the MLP, then the small CNN), then the host's (read-only)."""
    found = checkpoint.shipped_models()
    if HOST_MODELS:
        found.update({name: path for name, path in checkpoint.list_named(HOST_MODELS).items() if name not in found})
    return found


class Visitor:
    """One visitor: their key, folder, saved models and kept values (see the module's docstring)."""

    KINDS = {"active": "classifier", "trained": "classifier", "stepping": "run", "frames": "frames"}

    def __init__(self):
        self.key = secrets.token_hex(16)  # names the visitor's folders: the page sees it in download links
        self.secret = None  # the session's identity in a class: a key classes.py issues on first use
        self.folder = VISITOR_DIR / self.key
        self.downloads = GRADIO_DIR / "downloads" / self.key  # what Gradio serves them (Download, exports)
        self.kept: set[str] = set()  # the slots this visitor has put values in
        self.membership = None  # the visitor's class, or own collection (classes.Membership)

    def __repr__(self) -> str:
        return f"Visitor({self.key[:6]}…, kept={sorted(self.kept)})"

    def touch(self) -> None:
        """Mark the folder as in use (the sweeper deletes idle ones)."""
        self.folder.mkdir(parents=True, exist_ok=True)
        self.folder.touch()

    # kept values
    def put(self, slot: str, value) -> None:
        if value is None:
            self.drop(slot)
            return
        self.touch()
        STORE.put(self.key, slot, value, self.KINDS[slot], self.folder)
        self.kept.add(slot)

    def get(self, slot: str):
        """The value kept in `slot`, None if the visitor never kept one there; Refusal
        ("session_expired") if they did and it is gone."""
        if slot not in self.kept:
            return None
        value = STORE.get(self.key, slot)
        if value is None:
            self.kept.discard(slot)
            if STORE.made_room_from(self.key, slot):
                return None
            raise Refusal("session_expired")
        self.touch()
        return value

    def drop(self, slot: str) -> None:
        STORE.drop(self.key, slot)
        self.kept.discard(slot)

    def delete(self) -> None:
        """The session ended: everything of this visitor goes."""
        STORE.drop(self.key)
        shutil.rmtree(self.folder, ignore_errors=True)
        shutil.rmtree(self.downloads, ignore_errors=True)

    # saved models
    def saved(self) -> dict[str, Path]:
        """This visitor's saved models, by name."""
        return {p.stem: p for p in sorted((self.folder / "saved").glob("*.safetensors"))}

    def choices(self) -> list[str]:
        """What the visitor's model picker lists: everyone's models, then their own."""
        everyone = host_models()
        return [*everyone, *(name for name in self.saved() if name not in everyone)]

    def find(self, name: str) -> Path | None:
        return host_models().get(name) or self.saved().get(name)

    def save(self, name: str, clf: Classifier) -> Path:
        """Save `clf` as `name` (over this visitor's own model of that name, never anyone else's)."""
        path = checkpoint.named_path(self.folder / "saved", name)  # refuses unsafe and reserved names
        if path.stem.lower() in {n.lower() for n in host_models()}:
            raise Refusal("name_taken", name=path.stem)
        saved = self.saved()
        others = {n: p for n, p in saved.items() if n.lower() != path.stem.lower()}
        if len(others) >= LIMITS.saves:
            raise Refusal("quota_count", count=LIMITS.saves)
        size = 4 * clf.parameters + 4096  # its weights, and the header
        if sum(p.stat().st_size for p in others.values()) + size > LIMITS.save_bytes:
            raise Refusal("quota_bytes", mb=f"{LIMITS.save_bytes / 2**20:.0f}")
        room_for(size)
        self.touch()
        for same in saved.keys() - others.keys():  # the same name in another case: replaced
            saved[same].unlink(missing_ok=True)
        return checkpoint.save_named(self.folder / "saved", name, clf.model, **saved_metadata(clf))

    def download(self, clf: Classifier) -> Path:
        """The file the Download button offers, written once where Gradio serves it from (its cache),
        so that Gradio has no copy to make; one per visitor, rewritten for each finished run."""
        room_for(4 * clf.parameters + 4096)
        return checkpoint.save(self.downloads / DOWNLOAD_NAME, clf.model, **saved_metadata(clf))


def saved_metadata(clf: Classifier) -> dict:
    """What a saved copy of `clf` records: its accuracies, recipe and teaching, as its run recorded them."""
    return {k: clf.meta[k] for k in ("test_accuracy", "drawn_accuracy", "recipe", "device", "teaching")
            if k in clf.meta}


def visitor_of(current: Visitor | None) -> Visitor:
    """The visitor, made on their first request."""
    return current if current is not None else Visitor()
