"""What a public host needs: bounded memory, disk and training time, set by environment variables.

Every file the app writes lives under one app-owned folder, APP_DIR ($MNIST_APP_DIR, default
<temp>/mnist-app-<port>): Gradio's own cache (GRADIO_TEMP_DIR), pictures, and each visitor's saved models
and downloads. It is emptied when the app starts and swept while it serves: a visitor's folder goes
when their session ends or KEEP_SECONDS after it was last used, pictures KEEP_SECONDS after they
were made. Call prepare() before Gradio is imported (app.py does).

    MNIST_APP_DIR                the app's folder                                   <temp>/mnist-app-<port>
    MNIST_APP_MAX_RUN_SECONDS    a training run's estimated cost, at most (s)        600
    MNIST_APP_MAX_WALL_SECONDS   a training run's wall-clock time, at most (s)       2 x the above
    MNIST_APP_QUEUE              visitors waiting for one kind of request            20
    MNIST_APP_MAX_SAVES          saved models per visitor                            5
    MNIST_APP_MAX_SAVE_MB        megabytes of saved models per visitor               60
    MNIST_APP_MAX_UPLOAD_MB      an upload's size                                    32
    MNIST_APP_KEEP_SECONDS       how long an idle visitor's files and pictures live  3600
    MNIST_APP_MODELS             a folder of models the host offers everyone (read-only)
"""

import os
import shutil
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path


def _number(name: str, default: float) -> float:
    value = os.environ.get(name)
    try:
        return float(value) if value else default
    except ValueError:
        raise SystemExit(f"{name} must be a number, got {value!r}") from None


@dataclass(frozen=True)
class Limits:
    run_seconds: float  # a training run's estimated cost on this machine, at most
    wall_seconds: float  # a training run's wall-clock time, at most: then it stops as if Stop were pressed
    queue: int  # visitors waiting for one kind of request; more are told to come back later
    saves: int  # saved models per visitor
    save_bytes: int  # bytes of saved models per visitor
    upload_mb: float  # an upload's size, at most
    keep_seconds: float  # an idle visitor's files, and every picture, live this long
    sweep_seconds: float  # the app's folder is swept this often

    @classmethod
    def from_env(cls) -> "Limits":
        run = _number("MNIST_APP_MAX_RUN_SECONDS", 600)
        keep = _number("MNIST_APP_KEEP_SECONDS", 3600)
        return cls(run_seconds=run, wall_seconds=_number("MNIST_APP_MAX_WALL_SECONDS", 2 * run),
                   queue=int(_number("MNIST_APP_QUEUE", 20)), saves=int(_number("MNIST_APP_MAX_SAVES", 5)),
                   save_bytes=int(_number("MNIST_APP_MAX_SAVE_MB", 60) * 2**20),
                   upload_mb=_number("MNIST_APP_MAX_UPLOAD_MB", 32), keep_seconds=keep,
                   sweep_seconds=max(1.0, min(600.0, keep / 4)))


LIMITS = Limits.from_env()
# one folder per served port by default, so that two apps on one machine do not empty each other's
APP_DIR = Path(os.environ.get("MNIST_APP_DIR")
               or Path(tempfile.gettempdir()) / f"mnist-app-{os.environ.get('GRADIO_SERVER_PORT', '7860')}")
GRADIO_DIR = APP_DIR / "gradio"  # Gradio's cache: uploads, and the files outputs hand to the page
PICTURE_DIR = APP_DIR / "pictures"  # first-layer weights, as PNG files for the gallery
VISITOR_DIR = APP_DIR / "visitors"  # one folder per visitor: their saved models and downloads
HOST_MODELS = os.environ.get("MNIST_APP_MODELS")  # models the host offers everyone, read-only


def prepare() -> None:
    """Empty the app's folder (what an earlier run left) and point Gradio's cache, and mnist_model's
    cache of drawings, into it."""
    shutil.rmtree(APP_DIR, ignore_errors=True)
    for folder in (GRADIO_DIR, PICTURE_DIR, VISITOR_DIR):
        folder.mkdir(parents=True, exist_ok=True)
    os.environ["GRADIO_TEMP_DIR"] = str(GRADIO_DIR)
    os.environ.setdefault("MNIST_CACHE_DIR", str(APP_DIR / "cache"))


def size(folder: Path = APP_DIR) -> int:
    """Bytes of the files under `folder`."""
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def sweep(now: float | None = None) -> None:
    """Delete pictures and visitors' folders not touched for LIMITS.keep_seconds."""
    oldest = (time.time() if now is None else now) - LIMITS.keep_seconds
    for folder in (PICTURE_DIR, VISITOR_DIR):
        for path in folder.glob("*") if folder.is_dir() else ():
            try:
                if path.stat().st_mtime < oldest:
                    shutil.rmtree(path) if path.is_dir() else path.unlink()
            except FileNotFoundError:  # gone meanwhile (the visitor's session ended)
                pass


def start_sweeping() -> threading.Thread:
    """Sweep the app's folder every LIMITS.sweep_seconds, in a daemon thread."""
    def loop():
        while True:
            time.sleep(LIMITS.sweep_seconds)
            sweep()

    thread = threading.Thread(target=loop, name="mnist-app-sweeper", daemon=True)
    thread.start()
    return thread


MAX_UNREAD = 10  # messages a run may stream that nobody reads, before it ends (about as many seconds)


def listeners_gone(blocks, request) -> bool:
    """Whether nobody reads this visitor's stream of events: an API client that never reads it, or
    stopped. (When a page closes, its stream closes and Gradio stops iterating the run itself.)"""
    if request is None or not getattr(request, "session_hash", None):
        return False
    waiting = getattr(blocks, "_queue", None)  # Gradio keeps each session's undelivered messages there
    queue = getattr(waiting, "pending_messages_per_session", {}).get(request.session_hash)
    return queue is not None and queue.qsize() > MAX_UNREAD
