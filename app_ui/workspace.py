"""Saved models that belong to their visitor.

A Workspace is one visitor's own folder under hosting.VISITOR_DIR, named by a random token that
lives only on the server (in the visitor's gr.State): no other visitor can list, load or overwrite
what is in it, and it is deleted when the visitor's session ends (or swept when idle). It holds the
visitor's saved models, within a quota (count and bytes), and their current download. Models the
host offers (hosting.HOST_MODELS, read-only) and the shipped one are listed for everyone; Download
and Upload keep a model across sessions.
"""

import secrets
import shutil
from pathlib import Path

from mnist_model import Classifier, checkpoint
from mnist_model.i18n import text

from .hosting import HOST_MODELS, LIMITS, VISITOR_DIR
from .page import PageMessage

DOWNLOAD_NAME = "mnist_mlp_trained.safetensors"


def host_models() -> dict[str, Path]:
    """Models everyone may pick: the shipped one, then the host's (read-only)."""
    found = {"shipped": checkpoint.SHIPPED}
    if HOST_MODELS:
        found.update({name: path for name, path in checkpoint.list_named(HOST_MODELS).items() if name != "shipped"})
    return found


class Workspace:
    def __init__(self):
        self.folder = VISITOR_DIR / secrets.token_hex(16)
        (self.folder / "saved").mkdir(parents=True)

    def touch(self) -> None:
        """Mark the folder as in use (the sweeper deletes idle ones)."""
        self.folder.touch()

    def saved(self) -> dict[str, Path]:
        """This visitor's saved models, by name."""
        return {p.stem: p for p in sorted((self.folder / "saved").glob("*.safetensors"))}

    def choices(self) -> list[str]:
        """What the visitor's model picker lists: everyone's models, then their own."""
        everyone = host_models()
        return [*everyone, *(name for name in self.saved() if name not in everyone)]

    def find(self, name: str) -> Path | None:
        return host_models().get(name) or self.saved().get(name)

    def save(self, name: str, clf: Classifier, lang: str = "en") -> Path:
        """Save `clf` as `name` (over this visitor's own model of that name, never anyone else's)."""
        path = checkpoint.named_path(self.folder / "saved", name)  # refuses unsafe and reserved names
        if path.stem.lower() in {n.lower() for n in host_models()}:
            raise PageMessage(text("name_taken", lang, name=path.stem))
        saved = self.saved()
        others = {n: p for n, p in saved.items() if n.lower() != path.stem.lower()}
        if len(others) >= LIMITS.saves:
            raise PageMessage(text("quota_count", lang, count=LIMITS.saves))
        size = 4 * sum(p.numel() for p in clf.model.parameters()) + 4096  # its weights, and the header
        if sum(p.stat().st_size for p in others.values()) + size > LIMITS.save_bytes:
            raise PageMessage(text("quota_bytes", lang, mb=f"{LIMITS.save_bytes / 2**20:.0f}"))
        self.touch()
        for same in saved.keys() - others.keys():  # the same name in another case: replaced
            saved[same].unlink(missing_ok=True)
        return checkpoint.save_named(self.folder / "saved", name, clf.model, **saved_metadata(clf))

    def download(self, clf: Classifier) -> Path:
        """The file the Download button offers: one per visitor, rewritten for each finished run."""
        self.touch()
        return checkpoint.save(self.folder / DOWNLOAD_NAME, clf.model, **saved_metadata(clf))

    def delete(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)


def saved_metadata(clf: Classifier) -> dict:
    """What a saved copy of `clf` records: its accuracies and recipe, as its run recorded them."""
    return {k: clf.meta[k] for k in ("test_accuracy", "drawn_accuracy", "recipe", "device") if k in clf.meta}


def workspace_of(current: Workspace | None) -> Workspace:
    """The visitor's workspace, made on first use."""
    return current if current is not None and current.folder.is_dir() else Workspace()
