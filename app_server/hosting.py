"""What a public host needs: bounded memory, disk, training time and waiting, set by environment variables.

Every file the app writes lives under one app-owned folder, APP_DIR ($MNIST_APP_DIR, default
<temp>/mnist-app-<port>): Gradio's own cache (uploads, downloads) and each visitor's saved models and
the models their session keeps on disk. `prepare()` (called by app.launch, never at import) empties
it; `start_sweeping()` sweeps it while the app serves; it is removed when the app stops. Its size is
held to a budget on every way in: Gradio's upload route (`app_ui.guards.UploadGuard`, with a rate per caller as
well) and the app's own writes (`room_for`). Classes' collections, meant to outlive a restart, live
elsewhere (MNIST_APP_DATA_DIR, see classes.py) under their own bounds.

    MNIST_APP_DIR                the app's folder                                   <temp>/mnist-app-<port>
    MNIST_APP_MAX_DISK_MB        the app's folder, at most (megabytes)               2048
    MNIST_APP_MAX_MODELS_MB      visitors' models and runs in memory, all together   1024
    MNIST_APP_MAX_RUN_SECONDS    a training run's estimated cost, at most (s)        600
    MNIST_APP_MAX_WALL_SECONDS   a training run's wall-clock time, at most (s)       2 x the above
    MNIST_APP_MAX_TEACH_SECONDS  a teaching's estimated cost, at most (s); its wall time 2 x that   30
    MNIST_APP_TRAINING_LINE      runs waiting to train, at most                      10
    MNIST_APP_PACED_RUNS         paced runs training side by side, at most           6
    MNIST_APP_QUEUE              requests waiting in Gradio's queue, all kinds       64
    MNIST_APP_QUEUE_PER_ADDRESS  requests of one caller (IP address) waiting or running at once  40
    MNIST_APP_QUEUE_PER_SESSION  requests of one session waiting or running at once  8
    MNIST_APP_MAX_SAVES          saved models per visitor                            5
    MNIST_APP_MAX_SAVE_MB        megabytes of saved models per visitor               60
    MNIST_APP_MAX_UPLOAD_MB      an upload's size                                    32
    MNIST_APP_UPLOADS_PER_MINUTE uploads one caller (IP address) may make a minute   600
    MNIST_APP_UPLOAD_MB_PER_MINUTE  megabytes one caller may upload a minute         256
    MNIST_APP_TRUSTED_PROXIES    proxies in front of the app (callers told apart by X-Forwarded-For)  0
    MNIST_APP_KEEP_SECONDS       how long an idle visitor's models and files live    3600
    MNIST_APP_IDLE_SECONDS       idle seconds before a visitor's models go to disk   300
    MNIST_APP_UNREAD_SECONDS     unread seconds before a run nobody follows ends     20
    MNIST_APP_MODELS             a folder of models the host offers everyone (read-only)
"""

import logging
import math
import os
import shutil
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from mnist_model import checkpoint

from .errors import Refusal

LOG = logging.getLogger("mnist_app")

MB = 2**20
UPLOAD_GRACE = 120.0  # seconds: an upload is surely read by then (the request that sent it is done)


def number(name: str, default: float) -> float:
    """The environment variable `name` as a number (`default` when unset); a host's typo stops the app."""
    value = os.environ.get(name)
    try:
        return float(value) if value else default
    except ValueError:
        raise SystemExit(f"{name} must be a number, got {value!r}") from None


@dataclass(frozen=True)
class HostLimits:
    run_seconds: float  # a training run's estimated cost on this machine, at most
    wall_seconds: float  # a training run's wall-clock time, at most: then it stops as if Stop were pressed
    teach_seconds: float  # a teaching's estimated cost on this machine, at most (it stops at twice that)
    training_line: int  # runs waiting to train; more are told to come back later
    paced_runs: int  # paced runs side by side
    queue: int  # requests waiting in Gradio's queue, every kind together
    queue_per_address: int  # requests of one address waiting or running at once (a class of 30 phones shares one)
    queue_per_session: int  # requests of one session waiting or running at once (a page's load sends a few)
    saves: int  # saved models per visitor
    save_bytes: int  # bytes of saved models per visitor
    upload_mb: float  # an upload's size, at most
    uploads_per_minute: int  # uploads one caller may make in a minute (a class behind one address makes many)
    upload_bytes_per_minute: int  # bytes one caller may upload in a minute
    keep_seconds: float  # an idle visitor's models and files live this long
    idle_seconds: float  # an idle visitor's models stay in memory this long, then wait on disk
    unread_seconds: float  # a run whose stream nobody reads ends after this long
    sweep_seconds: float  # the app's folder is swept, and idle models sent to disk, this often
    disk_bytes: int  # the app's folder, at most
    models_bytes: int  # visitors' models and training runs in memory, all together
    steps_bytes: int  # the networks kept for Step and "go on" (weights, gradients, the optimiser's state), all together
    trusted_proxies: int  # proxies in front of the app (a Space's): a caller is who they say sent it

    @classmethod
    def from_env(cls) -> "HostLimits":
        run = number("MNIST_APP_MAX_RUN_SECONDS", 600)
        keep = number("MNIST_APP_KEEP_SECONDS", 3600)
        idle = number("MNIST_APP_IDLE_SECONDS", 300)
        return cls(run_seconds=run, wall_seconds=number("MNIST_APP_MAX_WALL_SECONDS", 2 * run),
                   teach_seconds=number("MNIST_APP_MAX_TEACH_SECONDS", 30),
                   training_line=int(number("MNIST_APP_TRAINING_LINE", 10)),
                   paced_runs=int(number("MNIST_APP_PACED_RUNS", 6)),
                   queue=int(number("MNIST_APP_QUEUE", 64)),
                   queue_per_address=int(number("MNIST_APP_QUEUE_PER_ADDRESS", 40)),
                   queue_per_session=int(number("MNIST_APP_QUEUE_PER_SESSION", 8)), saves=int(number("MNIST_APP_MAX_SAVES", 5)),
                   save_bytes=int(number("MNIST_APP_MAX_SAVE_MB", 60) * MB),
                   # (the largest model the form trains, downloaded, can be uploaded again)
                   upload_mb=number("MNIST_APP_MAX_UPLOAD_MB", math.ceil(checkpoint.LARGEST_BYTES / MB) + 1),
                   uploads_per_minute=int(number("MNIST_APP_UPLOADS_PER_MINUTE", 600)),
                   upload_bytes_per_minute=int(number("MNIST_APP_UPLOAD_MB_PER_MINUTE", 256) * MB), keep_seconds=keep,
                   idle_seconds=idle, unread_seconds=number("MNIST_APP_UNREAD_SECONDS", 20),
                   sweep_seconds=max(1.0, min(60.0, keep / 4, idle / 4)),
                   disk_bytes=int(number("MNIST_APP_MAX_DISK_MB", 2048) * MB),
                   models_bytes=int(number("MNIST_APP_MAX_MODELS_MB", 1024) * MB),
                   steps_bytes=int(number("MNIST_APP_MAX_STEPS_MB", 256) * MB),
                   trusted_proxies=int(number("MNIST_APP_TRUSTED_PROXIES", 0)))


LIMITS = HostLimits.from_env()
# one folder per served port by default, so that two apps on one machine do not empty each other's
APP_DIR = Path(os.environ.get("MNIST_APP_DIR")
               or Path(tempfile.gettempdir()) / f"mnist-app-{os.environ.get('GRADIO_SERVER_PORT', '7860')}")
GRADIO_DIR = APP_DIR / "gradio"  # Gradio's cache: uploads, and the files outputs hand to the page (downloads)
VISITOR_DIR = APP_DIR / "visitors"  # one folder per visitor: their saved models, and what their session keeps
HOST_MODELS = os.environ.get("MNIST_APP_MODELS")  # models the host offers everyone, read-only


def gradio_cache() -> str:
    """Gradio's cache folder, inside the app's folder (whatever GRADIO_TEMP_DIR said: the disk budget,
    the sweeper and the downloads count on it being there): set before any component is made
    (app.py), a setting, not a write."""
    os.environ["GRADIO_TEMP_DIR"] = str(GRADIO_DIR)
    return os.environ["GRADIO_TEMP_DIR"]


def prepare() -> None:
    """Empty the app's folder (what an earlier run left) and make its subfolders."""
    shutil.rmtree(APP_DIR, ignore_errors=True)
    for folder in (GRADIO_DIR, VISITOR_DIR):
        folder.mkdir(parents=True, exist_ok=True)
    DISK.forget()


def remove() -> None:
    """Remove the app's folder: the app is stopping, and nothing in it outlives the app."""
    shutil.rmtree(APP_DIR, ignore_errors=True)


class Disk:
    """The app's folder's size, measured at most every `fresh` seconds and counted up by what the
    app itself writes between two measurements."""

    def __init__(self, fresh: float = 2.0):
        self.fresh, self._lock = fresh, threading.Lock()
        self._measured, self._bytes, self._swept = 0.0, 0, 0.0

    def used(self) -> int:
        with self._lock:
            if time.monotonic() - self._measured > self.fresh:
                self._bytes = size(APP_DIR)
                self._measured = time.monotonic()
            return self._bytes

    def wrote(self, nbytes: int) -> None:
        with self._lock:
            self._bytes += nbytes

    def forget(self) -> None:
        with self._lock:
            self._measured = 0.0

    def room_for(self, nbytes: int) -> bool:
        """Whether `nbytes` more fit in the app's folder (sweeping what has expired first if not, at
        most every `fresh` seconds: a stream of refused requests costs no more than one)."""
        if nbytes > LIMITS.disk_bytes:
            return False
        if self.used() + nbytes <= LIMITS.disk_bytes:
            return True
        with self._lock:
            due = time.monotonic() - self._swept > self.fresh
            if due:
                self._swept = time.monotonic()
        if not due:
            return False
        sweep()
        self.forget()
        return self.used() + nbytes <= LIMITS.disk_bytes


DISK = Disk()


def room_for(nbytes: int) -> None:
    """Refuse (Refusal) a write that the app's folder has no room for; count it in if there is room."""
    if not DISK.room_for(nbytes):
        raise Refusal("disk_full")
    DISK.wrote(nbytes)


def size(folder: Path = APP_DIR) -> int:
    """Bytes of the files under `folder`."""
    total = 0
    for path in folder.rglob("*"):
        try:
            total += path.stat().st_size if path.is_file() else 0
        except FileNotFoundError:  # gone meanwhile
            pass
    return total


def sweep(now: float | None = None) -> None:
    """Delete visitors' folders not touched for LIMITS.keep_seconds; when the app's folder is over
    its budget, also the oldest files in Gradio's cache (uploads, pictures shown) older than
    UPLOAD_GRACE, so that one caller's uploads cannot keep everyone else's out for long."""
    now = time.time() if now is None else now
    for path in VISITOR_DIR.glob("*") if VISITOR_DIR.is_dir() else ():
        try:
            if path.stat().st_mtime < now - LIMITS.keep_seconds:
                shutil.rmtree(path) if path.is_dir() else path.unlink()
        except FileNotFoundError:  # gone meanwhile (the visitor's session ended)
            pass
    excess = size(APP_DIR) - LIMITS.disk_bytes * 0.9
    if excess > 0 and GRADIO_DIR.is_dir():
        cached = []
        for path in GRADIO_DIR.rglob("*"):
            try:
                if path.is_file() and path.relative_to(GRADIO_DIR).parts[0] != "downloads":
                    stat = path.stat()
                    cached.append((stat.st_mtime, stat.st_size, path))
            except FileNotFoundError:
                pass
        for mtime, nbytes, path in sorted(cached):
            if excess <= 0 or mtime > now - UPLOAD_GRACE:
                break
            path.unlink(missing_ok=True)
            excess -= nbytes


def start_sweeping(also=()) -> threading.Thread:
    """Sweep the app's folder every LIMITS.sweep_seconds, in a daemon thread; `also` are further
    callables to run then (the visitors' models that expired)."""
    def loop():
        while True:
            time.sleep(LIMITS.sweep_seconds)
            for job in (sweep, *also):
                try:
                    job()
                except Exception:  # noqa: BLE001 (logged; the next sweep comes all the same)
                    LOG.exception("the sweeper's %s failed", getattr(job, "__qualname__", job))

    thread = threading.Thread(target=loop, name="mnist-app-sweeper", daemon=True)
    thread.start()
    return thread
