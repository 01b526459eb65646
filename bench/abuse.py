"""Attacks on a public host, over loopback, as an anonymous visitor would make them; bounded.

Starts `python app.py` (app A) with MNIST from --data-dir and these limits:

    MNIST_APP_MAX_MODELS_MB=300 MNIST_APP_MAX_DISK_MB=600 MNIST_APP_UPLOAD_MB_PER_MINUTE=4096
    MNIST_APP_IDLE_SECONDS=60 MNIST_APP_TRUSTED_PROXIES=1 MNIST_APP_QUEUE_PER_ADDRESS=100

(the upload rate raised from its default, 256 MB a minute per caller, so that models-in-memory's 60
uploads from one address get through; idle models sent to disk after a minute rather than five, so
that the bench can wait for it; one proxy trusted, so that a visitor "elsewhere" can say so in
X-Forwarded-For; one address's share of the queue raised from 40, as every visitor here is one
loopback address), and attacks it, one after another:

  png-bomb-upload     a 20 kB one-bit PNG of 13000 x 13000 pixels sent to /predict, 11 times
  png-bomb-drawing    the same picture as the pad's drawing (a data URL) to /look_inside, 11 times
  huge-upload         a 200 MB file posted straight to Gradio's upload route
  hijack-run          the largest run the form allows (200 epochs, 6 x 1024, batch 1, augmentation)
  unread-run          a 200-epoch run of the `fast` recipe (over a minute) started by one plain HTTP
                      request whose stream is never read: how long until the next visitor's run is done
  save-flood          50 saves in a row by one visitor
  bad-checkpoints     checkpoints with 5000-deep JSON metadata, a non-numeric and an infinite accuracy,
                      a 401-digit `created`, a list for `device`
  models-in-memory    60 API sessions each upload a 6 x 1024 network (24 MB), then each looks inside it:
                      answered by its own model, or told its session expired (never another model)
  training-queue      one long run trains (30 epochs of batch 4: 200 would be refused by the cost budget);
                      25 more sessions ask to train (some wait in line, the rest are refused), and 20
                      other sessions call /predict at once meanwhile (light callers, one thread:
                      support.lightcaller), timed against the same burst on
                      the idle app (measured before the attacks); then the long run is stopped
  teaching-crowd      a class's teacher and 30 other sessions, 10 drawings each, press Teach at once
                      (teaching waits in the training line like any run); then a session with a 6 x 1024
                      network teaches (over the teaching budget: refused up front)
  bad-inputs          /train with epochs "abc", batch size "1e3", epochs 1.5, augment "yes" and a
                      million-digit hidden size: each refused in one short line
  class-flood         one session adds 60 drawings as fast as it can (3 a second are taken); 200 fresh
                      sessions read /class_status (nothing may be stored for them); a teacher deletes
                      and removes what is not there (None, "abc", 2**70, the teacher's own number)
  class-squat         one session starts a class 5 times, then 59 anonymous sessions from one address
                      each start one (the server keeps 50 at once, 10 per address), each with a made-up
                      key; then a teacher at another address (X-Forwarded-For, app A trusting one proxy)
                      starts a class
  stroke-import       one anonymous session imports 4 collections of 499 drawings of 2000-point strokes
                      (the audit's, 1996 in all) through the page's import, then one at a collection's
                      bounds (2000 drawings, 300 000 points), read 3 times through /class_drawings (timed)
  join-guessing       100 fresh sessions from one address each join a random code; then a student at
                      that address, and one at another, join a real class
  paced-runs          a paced CNN at batch 1 (pace 0.1), then a paced 10 x 1024 sigmoid MLP (pace 0.5),
                      each followed by another visitor's 8-layer ReLU run: how long that run took, whether
                      it waited, and what the paced run's progress said about its end
  step-flood          24 fresh sessions each Step ten 1024-unit sigmoid layers, then 45 three 1024-unit
                      layers: how many were kept, the app folder and the server's memory
  stop-after-train    20 sessions at once each press Train (the `fast` recipe, 5 epochs) and Stop with no
                      gap, then Train again: each first run refused (the line full) or stopped, none
                      trained to its end; the Trains after them taken or refused
  big-checkpoints     a 10 x 1024 MLP (41 MB, the largest network the form trains) uploaded; a network
                      whose float32 weights are +-3e38 (finite, but its answers overflow) uploaded
  messages            /load_checkpoint "nosuch" in Chinese; an upload named "Seven.png" that is not a
                      checkpoint; a CNN at batch 60 000 (never fits: no "try again")

then upload-flood against app B (the same limits, but the default upload rate), and without-mnist
against app C (its MNIST folder empty, and no network to download it from):

  upload-flood        25 anonymous uploads of 30 MB each from one address, to Gradio's upload route
  without-mnist       a run of the `fast` recipe: the visitor must be told MNIST is missing, and why
                      the download failed

For each: what the client was told, a figure, the server's memory (resident set, VmRSS) and its peak
(VmHWM), and the app folder's size on disk. Meanwhile a client times /predict on app A, idle and
during its attacks. App A's memory is measured again after it has been left alone for 90 s.

    python -m bench.abuse --data-dir ../shared/mnist
    python -m bench.abuse --attacks stroke-import,class-squat,join-guessing   # these alone, on app A
"""

import argparse
import asyncio
import gzip
import json
import os
import secrets
import statistics
import struct
import sys
import tempfile
import threading
import time
import zlib
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import numpy as np
from gradio_client import Client, handle_file
from gradio_client.exceptions import AppError

from bench.machine import describe
from mnist_model import checkpoint
from mnist_model.checkpoint import FORMAT
from mnist_model.model import MLP
from support.apprunner import form, join_without_reading, started_app
from support.lightcaller import CallError, Session, inputs_of
from support.strokes import data_url, pad_png

LIMITS = {"MNIST_APP_MAX_MODELS_MB": "300", "MNIST_APP_MAX_DISK_MB": "600"}
PROXY = {"MNIST_APP_TRUSTED_PROXIES": "1",  # app A: a caller is who X-Forwarded-For says (a teacher elsewhere)
         "MNIST_APP_QUEUE_PER_ADDRESS": "100"}  # (every visitor here is one loopback address; tests/app/test_hosting.py
                                                # checks the share)
ELSEWHERE = {"X-Forwarded-For": "198.51.100.7"}  # a school at another address
FAST_UPLOADS = {"MNIST_APP_UPLOAD_MB_PER_MINUTE": "4096"}  # app A only
IDLE = {"MNIST_APP_IDLE_SECONDS": "60"}  # app A: idle models leave memory after a minute (default 5 minutes)
SETTLE = 90  # seconds app A is left alone after its attacks: its idle time (60 s) and a sweep (15 s)
SESSIONS = 60  # models-in-memory
WIDE = (1024,) * 6  # their network: about 24 MB of weights
CROWD = 30  # teaching-crowd's sessions besides the teacher
LONG_RUN = {"epochs": 30, "batch_size": 4}  # training-queue's: about 5 of the 10 minutes the cost budget allows here


# --- measuring ---------------------------------------------------------------------------------------


def memory_mb(pid: int, key: str = "VmRSS") -> float:
    """The process's resident set (VmRSS) or its high-water mark (VmHWM), in MB."""
    with open(f"/proc/{pid}/status") as f:
        return next(int(line.split()[1]) for line in f if line.startswith(key + ":")) / 1024


def disk_mb(folder: Path) -> float:
    total = 0
    for path in folder.rglob("*"):
        try:
            total += path.stat().st_size if path.is_file() else 0
        except FileNotFoundError:  # the app removed it meanwhile
            pass
    return total / 2**20


def settings(env: dict[str, str]) -> str:
    return " ".join(f"{k}={v}" for k, v in env.items())


def p95(times: list[float]) -> float:
    return float(np.percentile(times, 95)) * 1000 if times else float("nan")


def wait_until(condition, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.5)
    return True


class Prober(threading.Thread):
    """A client calling /predict with a small drawing, again and again, timing each call. It pauses
    between calls: every call uploads the picture, and all callers here share one address's upload
    rate (MNIST_APP_UPLOADS_PER_MINUTE, 600)."""

    PAUSE = 0.3

    def __init__(self, url: str, picture: Path):
        super().__init__(daemon=True)
        self.client, self.picture = Client(url, verbose=False), picture
        self.times, self.failed, self.stopped = [], 0, False

    def run(self):
        while not self.stopped:
            start = time.perf_counter()
            try:
                self.client.predict(handle_file(str(self.picture)), api_name="/predict")
                self.times.append(time.perf_counter() - start)
            except Exception:  # noqa: BLE001 (counted, and printed with the times)
                self.failed += 1
            time.sleep(self.PAUSE)

    def summary(self) -> str:
        return (f"p50 {statistics.median(self.times) * 1000:.0f} ms, p95 {p95(self.times):.0f} ms "
                f"({len(self.times)} calls, {self.failed} failed)")


# --- what the attacks send ---------------------------------------------------------------------------


def png_bomb(side: int = 13000) -> bytes:
    """A one-bit PNG of side x side white pixels: a few kB, half a gigabyte of pixels once decoded."""
    row = b"\x00" + b"\xff" * (side // 8)
    raw = zlib.compress(row * side, 9)

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", side, side, 1, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", raw) + chunk(b"IEND", b"")


def checkpoint_with(meta_patch: dict | None = None, raw_meta: str | None = None) -> bytes:
    from safetensors.torch import save

    meta = {"format": FORMAT, "hidden": [8], "recipe": {}, "test_accuracy": 0.9, **(meta_patch or {})}
    tensors = {k: v.contiguous() for k, v in MLP((8,)).state_dict().items()}
    return save(tensors, metadata={"mnist_model": raw_meta or json.dumps(meta)})


BAD_CHECKPOINTS = {
    "deep": lambda: checkpoint_with(
        raw_meta=f'{{"format": "{FORMAT}", "hidden": [8], "recipe": {{"x": {"[" * 5000}{"]" * 5000}}}}}'),
    "text accuracy": lambda: checkpoint_with({"test_accuracy": "high"}),
    "infinite accuracy": lambda: checkpoint_with(
        raw_meta=f'{{"format": "{FORMAT}", "hidden": [8], "test_accuracy": 1e309}}'),
    "401-digit created": lambda: checkpoint_with(
        raw_meta=f'{{"format": "{FORMAT}", "hidden": [8], "test_accuracy": 0.9, "created": 1{"0" * 400}}}'),
    "device list": lambda: checkpoint_with({"device": ["cuda:7"]}),
}

BAD_FIELDS = {
    'epochs "abc"': {"epochs": "abc"},
    'batch_size "1e3"': {"batch_size": "1e3"},
    "epochs 1.5": {"epochs": 1.5},
    'augment "yes"': {"augment": "yes"},
    "hidden 9 x 10^6": {"hidden": "9" * 1_000_000},
}


def one_line(exc_or_text, width: int = 140) -> str:
    text = str(exc_or_text).strip().replace("\n", " ")
    return text if len(text) < width else text[:width - 3] + "…"


def attempt(call) -> str:
    try:
        result = call()
        return f"answered: {one_line(result)}"
    except Exception as exc:  # noqa: BLE001 (the message the client got is the point)
        return f"refused: {one_line(exc)}"


def refused(outcomes: list[str]) -> int:
    return sum(o.startswith("refused") for o in outcomes)


def post_upload(url: str, name: str, body: bytes) -> tuple[int | str, str]:
    """POST a file straight to Gradio's upload route, as any script can (gradio_client would check
    the size against the page's limit first): the status and the answer's text, or the error."""
    try:
        response = httpx.post(f"{url}gradio_api/upload", files={"files": (name, body)}, timeout=120)
        return response.status_code, response.text
    except httpx.HTTPError as exc:
        return type(exc).__name__, str(exc)


def progress_of(job) -> list[str]:
    """The progress lines a /train job has streamed so far (its first output)."""
    return [str(out[0]) for out in job.outputs() if out and out[0]]


# --- the apps under attack ---------------------------------------------------------------------------


@dataclass
class Row:
    attack: str
    app: str
    verdict: str
    figure: str
    rss: float
    peak: float
    disk: float


@dataclass
class Target:
    """An app under attack, and the files the attacks send."""

    name: str
    url: str
    pid: int
    folder: Path  # its app folder (MNIST_APP_DIR)
    log: Path
    files: Path
    rows: list[Row] = field(default_factory=list)
    idle_burst: list[float] = field(default_factory=list)  # predict_burst before the attacks

    def client(self) -> Client:
        return Client(self.url, verbose=False)

    def rss(self) -> float:
        return memory_mb(self.pid)

    def attack(self, name: str, attack) -> None:
        """Run `attack(self)`, which returns (verdict, figure), and record it with the server's state after."""
        try:
            verdict, figure = attack(self)
        except Exception as exc:  # noqa: BLE001 (an attack the app broke: recorded, and the bench goes on)
            verdict, figure = f"FAILED: {type(exc).__name__}: {one_line(exc)}", "-"
        self.rows.append(Row(name, self.name, verdict, figure, self.rss(), memory_mb(self.pid, "VmHWM"),
                             disk_mb(self.folder)))
        print(f"{name}: {verdict} [{figure}]", file=sys.stderr)

    def log_report(self) -> str:
        """Tracebacks and one-line refusals in the server's log, and the end of its first traceback
        (the log goes with the bench's temporary folder)."""
        lines = self.log.read_text().splitlines()
        tracebacks = [i for i, line in enumerate(lines) if line.startswith("Traceback")]
        refusals = sum("refused " in line for line in lines)
        report = f"app {self.name}: {len(tracebacks)} tracebacks, {refusals} one-line refusals"
        if tracebacks:
            end = next((i for i in range(tracebacks[0] + 1, len(lines)) if not lines[i].startswith(" ")), len(lines) - 1)
            report += "; its first ends:\n    " + "\n    ".join(lines[max(tracebacks[0], end - 8):end + 1])
        return report


@contextmanager
def target(name: str, work: Path, files: Path, **env: str):
    folder = work / f"app-{name}"
    log = work / f"app-{name}.log"
    with started_app(log, MNIST_APP_DIR=str(folder / "app"), MNIST_APP_DATA_DIR=str(folder / "classes"), **env) as (url, proc):
        yield Target(name, url, proc.pid, folder / "app", log, files)


# --- the attacks -------------------------------------------------------------------------------------


def png_bomb_upload(app: Target) -> tuple[str, str]:
    client = app.client()
    outcomes = [attempt(lambda: client.predict(handle_file(str(app.files / "bomb.png")), api_name="/predict"))
                for _ in range(11)]
    return outcomes[-1], f"{refused(outcomes)} of 11 refused"


def png_bomb_drawing(app: Target) -> tuple[str, str]:
    client, bomb = app.client(), data_url((app.files / "bomb.png").read_bytes())
    outcomes = [attempt(lambda: client.predict(bomb, api_name="/look_inside")) for _ in range(11)]
    return outcomes[-1], f"{refused(outcomes)} of 11 refused"


def huge_upload(app: Target) -> tuple[str, str]:
    started = time.perf_counter()
    status, message = post_upload(app.url, "big.bin", bytes(200 * 2**20))
    return f"{status}: {one_line(message)}", f"told in {time.perf_counter() - started:.1f} s"


def hijack_run(app: Target) -> tuple[str, str]:
    started = time.perf_counter()
    outcome = attempt(lambda: app.client().predict(
        "fast", hidden="1024,1024,1024,1024,1024,1024", epochs=200, batch_size=1, augment=True, api_name="/train"))
    return outcome, f"told in {time.perf_counter() - started:.1f} s"


def unread_run(app: Target) -> tuple[str, str]:
    started = time.perf_counter()
    # 200 epochs of the fast preset: over a minute if nobody stops it (30 ended by themselves, in 10 s,
    # before they counted as unread), within the server's price (the tutorial's batch of 15 for as long
    # was refused there on a busy machine, and nothing was left to end)
    join_without_reading(app.url, "train", *form("fast", epochs=200))
    time.sleep(2)
    app.client().submit("fast", epochs=1, api_name="/train").result(timeout=900)
    ended = "ended a training run whose stream nobody reads" in app.log.read_text()
    # (the server's unread rule ends it after MNIST_APP_UNREAD_SECONDS; Gradio may close a stream whose
    # client never connected to it before that: either way its slot is given back)
    return (f"the unread run gave its slot back ({'the server ended it' if ended else 'closed before the server had to end it'}); "
            f"the next visitor's run finished"), f"{time.perf_counter() - started:.0f} s after the unread one began"


def save_flood(app: Target) -> tuple[str, str]:
    client = app.client()
    client.submit("fast", hidden="8", epochs=1, api_name="/train").result(timeout=600)
    outcomes = [attempt(lambda i=i: client.predict(f"flood-{i}", api_name="/save")) for i in range(50)]
    return outcomes[-1], f"{50 - refused(outcomes)} saved, {refused(outcomes)} refused"


def bad_checkpoints(app: Target) -> tuple[str, str]:
    client, outcomes = app.client(), []
    for name, build in BAD_CHECKPOINTS.items():
        path = app.files / f"{name.replace(' ', '-')}.safetensors"
        path.write_bytes(build())
        outcomes.append(f"{name}: " + attempt(lambda p=path: client.predict(handle_file(str(p)),
                                                                            api_name="/upload_checkpoint")))
    return " / ".join(one_line(o, 90) for o in outcomes), f"{sum('refused' in o for o in outcomes)} of 5 refused"


def whose_model(client: Client, drawing: str) -> str:
    """Which model answers a session's /look_inside: its own (6 x 1024), another, or none (expired)."""
    try:
        _, _, numbers = client.predict(drawing, api_name="/look_inside")
    except AppError as exc:
        return "told their session expired" if "session expired" in str(exc).lower() else f"refused: {one_line(exc, 60)}"
    except Exception as exc:  # noqa: BLE001 (not an answer from the app: shown as what it is)
        return f"{type(exc).__name__}: {one_line(exc, 60)}"
    layers = [len(a) for a in numbers["activations"]]
    return "by their own model" if layers == list(WIDE) else f"by a {layers} model"


def tally(answers: list[str]) -> str:
    return ", ".join(f"{n} {answer}" for answer, n in Counter(answers).most_common()) or "none"


def models_in_memory(app: Target) -> tuple[str, str]:
    before = app.rss()
    clients = [app.client() for _ in range(SESSIONS)]
    wide = app.files / "wide.safetensors"
    checkpoint.save(wide, MLP(WIDE))
    with ThreadPoolExecutor(4) as pool:
        uploads = list(pool.map(lambda c: attempt(lambda: c.predict(handle_file(str(wide)), api_name="/upload_checkpoint")),
                                clients))
    drawing = data_url(pad_png(3))
    answers = [whose_model(c, drawing) for c in clients]
    growth = app.rss() - before
    for c in clients:
        c.close()
    taken = [a for u, a in zip(uploads, answers) if not u.startswith("refused")]
    turned_away = [(u, a) for u, a in zip(uploads, answers) if u.startswith("refused")]
    verdict = f"{len(taken)} of {SESSIONS} uploads taken, then answered: {tally(taken)}"
    if turned_away:
        why = turned_away[0][0][len("refused: "):].split(" for url")[0]  # gradio_client names the status alone
        verdict += (f"; {len(turned_away)} refused ({why}), then "
                    f"answered: {tally([a for _, a in turned_away])}")
    return verdict, f"memory +{growth:.0f} MB (goal < 500)"


def training_queue(app: Target) -> tuple[str, str]:
    holder = app.client()
    long_run = holder.submit("fast", **LONG_RUN, api_name="/train")
    if not wait_until(lambda: any("<progress" in p for p in progress_of(long_run)) or long_run.done(), 180):
        return "the long run did not start training within 3 minutes", "-"
    if long_run.done():
        return f"the long run was refused: {one_line(long_run.exception(), 100)}", "-"
    queued = [app.client().submit("fast", epochs=1, api_name="/train") for _ in range(25)]

    def placed(job) -> bool:
        return job.done() or any("Waiting to train" in p for p in progress_of(job))

    wait_until(lambda: all(placed(job) for job in queued), 60)
    waited = sum(any("Waiting to train" in p for p in progress_of(job)) for job in queued)
    refusals = [str(job.exception()) for job in queued if job.done() and job.exception() is not None]

    times = predict_burst(app)
    holder.predict(api_name="/stop")
    stopped = wait_until(long_run.done, 120) and "Stopped" in " ".join(progress_of(long_run))
    wait_until(lambda: all(job.done() for job in queued), 600)
    finished = sum(job.done() and job.exception() is None and "Test accuracy" in str(job.outputs()[-1][4])
                   for job in queued)
    holder.close()
    verdict = (f"long run {'stopped' if stopped else 'NOT stopped'}; of 25 more: {waited} waited in line "
               f"({finished} then trained to the end), {len(refusals)} refused"
               + (f" ({one_line(refusals[0], 80)})" if refusals else "")
               + f"; {len(times)} of 20 /predict answered")
    return verdict, (f"/predict {len(times)}/20 answered, p95 {p95(times):.0f} ms (goal 20/20, p95 < 1500 ms; the same "
                     f"burst on the idle app: p95 {p95(app.idle_burst):.0f} ms)")


def with_drawings(app: Target, start_class: bool = False, model: Path | None = None) -> Client:
    """A session (a class's teacher with `start_class`; with `model` uploaded as its active one) that
    added 10 drawings at a hand's pace."""
    client, picture = app.client(), handle_file(str(app.files / "digit.png"))
    if start_class:
        client.predict(api_name="/class_start")
    if model is not None:
        client.predict(handle_file(str(model)), api_name="/upload_checkpoint")
    for digit in range(10):
        client.predict(picture, digit, api_name="/class_add")
        time.sleep(0.34)  # within a session's rate (3 a second)
    return client


def teaching_crowd(app: Target) -> tuple[str, str]:
    """A class's teacher and CROWD other sessions press Teach at once: each gets a place in line (and
    then its answer) or a one-line refusal, the teacher first; a 6 x 1024 network's teaching is refused."""
    with ThreadPoolExecutor(8) as pool:
        clients = list(pool.map(lambda teacher: with_drawings(app, teacher), [True] + [False] * CROWD))
    teacher, crowd = clients[0], clients[1:]
    started = time.monotonic()
    jobs = [client.submit(api_name="/class_teach") for client in crowd]
    teaching = teacher.submit(api_name="/class_teach")
    everyone = [teaching, *jobs]
    wait_until(lambda: all(job.done() for job in everyone), 900)
    answered = time.monotonic() - started
    def told_place(job) -> bool:  # a {"waiting": place, "eta": seconds} answer before the last
        return any(isinstance(o, dict) and "waiting" in o for o in job.outputs())

    placed = sum(told_place(job) for job in jobs)
    taught = sum(job.done() and job.exception() is None for job in jobs)
    refusals = [str(job.exception()) for job in jobs if job.done() and job.exception() is not None]
    teacher_taught = teaching.done() and teaching.exception() is None
    wide = app.files / "wide.safetensors"
    checkpoint.save(wide, MLP(WIDE))
    big = with_drawings(app, model=wide)
    too_big = attempt(lambda: big.predict(api_name="/class_teach"))
    for client in [*clients, big]:
        client.close()
    verdict = (f"the teacher {'was told its place and ' if told_place(teaching) else 'was NOT told its place and '}"
               f"{'taught' if teacher_taught else 'did NOT teach'}; of {CROWD} more: {placed} told their "
               f"place, {taught} taught, {len(refusals)} refused" + (f" ({one_line(refusals[0], 70)})" if refusals else "")
               + f"; 6 x 1024: {one_line(too_big, 110)}")
    unanswered = sum(not job.done() for job in everyone)
    return verdict, f"{len(everyone) - unanswered} of {len(everyone)} answered, the last after {answered:.0f} s"


def predict_burst(app: Target, sessions: int = 20) -> list[float]:
    """`sessions` sessions call /predict at the same moment (light callers, all in one thread): the
    seconds each took to be answered."""
    async def burst() -> list[float | None]:
        async with httpx.AsyncClient(base_url=app.url, timeout=120) as http:
            inputs = await inputs_of(http)

            async def timed_predict() -> float | None:
                session, start = Session(http, inputs), time.perf_counter()
                try:
                    await session.call("predict", await session.upload(app.files / "digit.png"))
                except (CallError, httpx.HTTPError):  # counted as unanswered
                    return None
                return time.perf_counter() - start

            return await asyncio.gather(*(timed_predict() for _ in range(sessions)))

    return [t for t in asyncio.run(burst()) if t is not None]


def bad_inputs(app: Target) -> tuple[str, str]:
    client, messages, short = app.client(), [], 0
    for name, fields in BAD_FIELDS.items():
        try:
            client.predict("fast", **fields, api_name="/train")
            messages.append(f"{name}: ACCEPTED")
        except AppError as exc:
            message = str(exc)
            short += len(message) < 300 and "\n" not in message.strip()
            messages.append(f"{name}: {one_line(message, 60)}")
        except Exception as exc:  # noqa: BLE001 (not the app's one-line refusal: shown as such)
            messages.append(f"{name}: {type(exc).__name__} {one_line(exc, 50)}")
    return " / ".join(messages), f"{short} of {len(BAD_FIELDS)} refused in one line under 300 characters"


def class_squat(app: Target) -> tuple[str, str]:
    """One session starts a class 5 times, then 59 anonymous sessions from one address each start one
    with a made-up key; then a teacher at another address starts one."""
    again = app.client()
    codes = {again.predict(api_name="/class_start")["code"] for _ in range(5)}
    outcomes = []
    for _ in range(59):
        client = app.client()
        outcomes.append(attempt(lambda c=client: c.predict(key=secrets.token_hex(16), api_name="/class_start")["code"]))
        client.close()
    first_refusal = next((o for o in outcomes if o.startswith("refused")), "none refused")
    teacher = Client(app.url, verbose=False, headers=ELSEWHERE)
    real = attempt(lambda: teacher.predict(api_name="/class_start")["code"])
    return (f"one session starting 5 times got {len(codes)} class; {59 - refused(outcomes)} of 59 more sessions "
            f"started one, then: {one_line(first_refusal, 90)}; a teacher elsewhere: {one_line(real, 60)}"), \
        f"class store {disk_mb(app.folder.parent / 'classes'):.1f} MB"


def stroke_collection(drawings: int, points: int) -> bytes:
    """An exported collection of `drawings` drawings of one `points`-point stroke each."""
    stroke = [[i % 250, i // 250] for i in range(points)]
    items = [{"student": 0, "digit": i % 10, "pixels": [0] * 784, "strokes": [stroke]} for i in range(drawings)]
    return gzip.compress(json.dumps({"format": "mnist_model.class/1", "drawings": items}).encode())


def stroke_import(app: Target) -> tuple[str, str]:
    """One session imports the audit's 4 stroke-heavy collections through the page's import, then
    one at the collection's bound; /class_drawings read 3 times, timed."""
    audit, bound = app.files / "strokes-audit.json.gz", app.files / "strokes-bound.json.gz"
    audit.write_bytes(stroke_collection(499, 2000))
    bound.write_bytes(stroke_collection(2000, 150))  # 2000 drawings, 300 000 points: both of a collection's bounds

    async def attack():
        async with httpx.AsyncClient(base_url=app.url, timeout=300) as http:
            config = (await http.get("config")).json()
            upload = next(c["id"] for c in config["components"] if c.get("props", {}).get("elem_id") == "collection-import")
            index = next(i for i, d in enumerate(config["dependencies"]) if [upload, "upload"] in d["targets"])
            inputs = len(config["dependencies"][index]["inputs"])
            session = Session(http, await inputs_of(http))
            told = []
            for path in (audit,) * 4 + (bound,):
                started = time.perf_counter()
                try:
                    values = [await session.upload(path), *[None] * (inputs - 2), "en"]
                    outputs = await session.page_event(index, *values)
                    told.append(f"taken ({time.perf_counter() - started:.1f} s) {one_line(str(outputs[-1]), 40)}")
                except CallError as exc:
                    told.append(f"refused ({time.perf_counter() - started:.1f} s): {one_line(exc, 70)}")
            reads = []
            for _ in range(3):
                started = time.perf_counter()
                count = len((await session.call("class_drawings"))[0]["drawings"])
                reads.append(time.perf_counter() - started)
            return told, count, reads

    told, count, reads = asyncio.run(attack())
    return (f"4 audit imports: {' / '.join(dict.fromkeys(told[:4]))}; at the bound: {told[4]}"), \
        f"/class_drawings of {count}: {max(reads):.2f} s at most (3 reads)"


def join_guessing(app: Target) -> tuple[str, str]:
    """100 fresh sessions from one address each join a random code; then a student at that address,
    and one at another, join a real class."""
    code = Client(app.url, verbose=False, headers={"X-Forwarded-For": "198.51.100.8"}).predict(
        api_name="/class_start")["code"]
    outcomes = []
    for _ in range(100):
        client = app.client()
        guess = "".join(secrets.choice("0123456789ABCDEFGHJKMNPQRSTVWXYZ") for _ in range(8))
        outcomes.append(attempt(lambda c=client, g=guess: c.predict(g, api_name="/class_join")))
        client.close()
    told = Counter(one_line(o, 60).split("'")[0] for o in outcomes)  # (without the code each names)
    here = attempt(lambda: app.client().predict(code, api_name="/class_join"))
    elsewhere = attempt(lambda: Client(app.url, verbose=False, headers=ELSEWHERE).predict(code, api_name="/class_join"))
    return (f"100 guesses: {'; '.join(f'{n} x {m}' for m, n in told.most_common(2))}; a real student here: "
            f"{one_line(here, 50)}; elsewhere: {one_line(elsewhere, 50)}"), f"{100 - refused(outcomes)} guesses let through"


def class_flood(app: Target) -> tuple[str, str]:
    """One session adds 60 drawings as fast as it can; 200 fresh sessions each read the class status
    (nothing may be stored for them); a teacher deletes and removes what is not there."""
    client, picture = app.client(), handle_file(str(app.files / "digit.png"))
    outcomes = [attempt(lambda: client.predict(picture, 3, api_name="/class_add")) for _ in range(60)]
    store = app.folder.parent / "classes"
    before = disk_mb(store)
    for _ in range(200):
        reader = app.client()
        reader.predict(api_name="/class_status")
        reader.close()
    teacher = app.client()
    teacher.predict(api_name="/class_start")
    bad = [attempt(lambda e=e, v=v: teacher.predict(v, api_name=e)) for e, v in
           (("/class_delete", None), ("/class_delete", "abc"), ("/class_remove", 2**70), ("/class_remove", 0))]
    return (f"{60 - refused(outcomes)} of 60 fast adds taken ({one_line(next((o for o in outcomes if o.startswith('refused')), 'none refused'), 70)}); "
            f"bad numbers: {' / '.join(one_line(b, 50) for b in bad)}"), \
        f"class store +{disk_mb(store) - before:.2f} MB for 200 readers"



def paced_runs(app: Target) -> tuple[str, str]:
    """A paced run of a network too heavy to be measured beside the others, then another visitor's
    short run: it must not wait behind the paced one, which says when the server will stop it."""
    said = []
    for name, preset, fields in (
            ("CNN", "cnn", {"architecture": "cnn", "batch_size": 1, "epochs": 1, "pace": 0.1, "augment": False, "drawn": 0}),
            ("10 x 1024 sigmoid", "deep_sigmoid", {"hidden": ",".join(["1024"] * 10), "activation": "sigmoid",
                                                   "batch_size": 64, "epochs": 1, "pace": 0.5})):
        holder, other = app.client(), app.client()
        paced = holder.submit(preset, **fields, api_name="/train")
        if not wait_until(lambda: any("<progress" in p for p in progress_of(paced)) or paced.done(), 180):
            said.append(f"{name}: did not start within 3 minutes")
            continue
        if paced.done():
            said.append(f"{name}: refused: {one_line(paced.exception(), 100)}")
            continue
        time.sleep(5)  # its first measures
        started = time.perf_counter()
        short = other.submit("deep_relu", api_name="/train")
        short.result(timeout=900)
        took = time.perf_counter() - started
        waited = any("in line" in p for p in progress_of(short))
        limit = "says it is stopped at the limit" if any("stopped at this server" in p for p in progress_of(paced)) \
            else "does NOT say it is stopped at the limit"
        holder.predict(api_name="/stop")
        wait_until(paced.done, 120)
        said.append(f"paced {name}: the other run {'WAITED' if waited else 'did not wait'}, done in {took:.0f} s; "
                    f"the paced run's progress {limit}")
        holder.close()
        other.close()
    return " / ".join(said), "the other run never waits" if all("did not wait" in s for s in said) else "a run waited"


def step_flood(app: Target) -> tuple[str, str]:
    """Fresh sessions Step big networks, each one network kept on the server."""
    before = app.rss()
    told, first = [], None
    for layers, sessions in ((10, 24), (3, 45)):
        outcomes = []
        for _ in range(sessions):
            client = app.client()
            outcomes.append(attempt(lambda c=client: c.predict("deep_sigmoid", hidden=",".join(["1024"] * layers),
                                                                 batch_size=64, api_name="/step")))
            client.close()
        told.append(f"{layers} x 1024: {sessions - refused(outcomes)} stepped, {refused(outcomes)} refused")
        first = first or next((o for o in outcomes if o.startswith("refused")), None)
    told, first = "; ".join(told), first or "none refused"
    return f"{told} ({one_line(first, 110)})", \
        f"memory +{app.rss() - before:.0f} MB, app folder {disk_mb(app.folder):.0f} MB"


def stop_after_train(app: Target, sessions: int = 20) -> tuple[str, str]:
    """Every session presses Train and Stop with no gap (as a script does), then Train again: each
    first Train is either refused (the line is full) or stopped; none may train to its end."""
    def one(_) -> tuple[str, str]:
        client = app.client()
        try:
            job = client.submit("fast", epochs=5, api_name="/train")
            while job.status().code.name in ("STARTING", "JOINING_QUEUE"):
                time.sleep(0.01)
            client.predict(api_name="/stop")
            wait_until(job.done, 300)
            final = progress_of(job)[-1] if progress_of(job) else ""
            first = ("refused" if job.exception() is not None else
                     "stopped" if "Stopped" in final or "Left the line" in final else "trained to its end")
            again = attempt(lambda: client.submit("fast", epochs=1, api_name="/train").result(timeout=900))
            return first, f"refused ({one_line(again[len('refused: '):], 60)})" if again.startswith("refused") else "taken"
        finally:
            client.close()

    started = time.perf_counter()
    with ThreadPoolExecutor(sessions) as pool:
        results = list(pool.map(one, range(sessions)))
    return (f"first Trains: {tally([first for first, _ in results])}; the Trains after: "
            f"{tally([again for _, again in results])}"), f"all done in {time.perf_counter() - started:.0f} s"


def big_checkpoints(app: Target) -> tuple[str, str]:
    import torch

    client = app.client()
    largest, overflowing = app.files / "ten-1024.safetensors", app.files / "overflowing.safetensors"
    checkpoint.save(largest, MLP((1024,) * 10))
    model = MLP((64, 64, 64))
    with torch.no_grad():
        for p in model.parameters():
            p.fill_(3e38)
    checkpoint.save(overflowing, model)
    told = [f"{path.stat().st_size / 2**20:.0f} MB {kind}: " + one_line(attempt(
        lambda p=path: client.predict(handle_file(str(p)), api_name="/upload_checkpoint")), 110)
            for kind, path in (("10 x 1024", largest), ("+-3e38 weights", overflowing))]
    drawn = whose_model(client, data_url(pad_png(3)))
    return " / ".join(told), f"then the session's model answered: {drawn}"


def messages(app: Target) -> tuple[str, str]:
    client = app.client()
    not_a_checkpoint = app.files / "Seven.png"
    not_a_checkpoint.write_bytes(pad_png(7))
    told = {
        "nosuch (zh-CN)": attempt(lambda: client.predict("nosuch", lang="zh-CN", api_name="/load_checkpoint")),
        "Seven.png": attempt(lambda: client.predict(handle_file(str(not_a_checkpoint)), api_name="/upload_checkpoint")),
        "CNN at batch 60000": attempt(lambda: client.predict("cnn", batch_size=60000, api_name="/train")),
    }
    plain = sum("&lt;" not in t and "&gt;" not in t and "&amp;" not in t for t in told.values())
    return " / ".join(f"{k}: {one_line(v, 100)}" for k, v in told.items()), \
        (f"Chinese: {'yes' if any(ord(c) > 0x3000 for c in told['nosuch (zh-CN)']) else 'NO'}; name as given: "
         f"{'yes' if 'Seven.png' in told['Seven.png'] else 'NO'}; try again: "
         f"{'SAID' if 'try again' in told['CNN at batch 60000'].lower() else 'not said'}; {plain} of 3 plain text")

def upload_flood(app: Target) -> tuple[str, str]:
    statuses, messages = [], {}
    for i in range(25):
        body = i.to_bytes(4, "big") + bytes(30 * 2**20 - 4)  # each one different: no two share a file
        status, message = post_upload(app.url, f"flood-{i}.bin", body)
        statuses.append(status)
        messages.setdefault(status, one_line(message, 70))
    counts = ", ".join(f"{statuses.count(s)} x {s}" + ("" if s == 200 else f" \"{messages[s]}\"")
                       for s in dict.fromkeys(statuses))
    return f"25 uploads of 30 MB: {counts}", f"app folder {disk_mb(app.folder):.0f} MB (goal < 700)"


def without_mnist(app: Target) -> tuple[str, str]:
    started = time.perf_counter()
    try:
        app.client().submit("fast", api_name="/train").result(timeout=300)
        return "the run went ahead without MNIST?", "-"
    except AppError as exc:
        message = str(exc)
    right = message.startswith("MNIST is not in") and "download failed: " in message
    return (f"{'as it should' if right else 'NOT the expected message'}: {one_line(message, 200)}",
            f"told in {time.perf_counter() - started:.0f} s")


MAIN_ATTACKS = {
    "png-bomb-upload": png_bomb_upload, "png-bomb-drawing": png_bomb_drawing, "huge-upload": huge_upload,
    "hijack-run": hijack_run, "unread-run": unread_run, "save-flood": save_flood,
    "bad-checkpoints": bad_checkpoints,
    # (before models-in-memory, whose idle models fill the app folder's budget: uploads are refused then)
    "teaching-crowd": teaching_crowd,
    "models-in-memory": models_in_memory, "training-queue": training_queue,
    "bad-inputs": bad_inputs, "class-flood": class_flood, "class-squat": class_squat,
    "stroke-import": stroke_import, "join-guessing": join_guessing,
    "paced-runs": paced_runs, "step-flood": step_flood, "stop-after-train": stop_after_train,
    "big-checkpoints": big_checkpoints, "messages": messages,
}
OTHER_ATTACKS = ("upload-flood", "without-mnist")  # on apps B and C


# --- the bench ---------------------------------------------------------------------------------------


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data-dir", default=os.environ.get("MNIST_DATA_DIR"), required="MNIST_DATA_DIR" not in os.environ)
    parser.add_argument("--attacks", default=",".join([*MAIN_ATTACKS, *OTHER_ATTACKS]),
                        help="the attacks to make, comma-separated (default: all of them, in the order above)")
    args = parser.parse_args()
    chosen = args.attacks.split(",")
    if unknown := set(chosen) - {*MAIN_ATTACKS, *OTHER_ATTACKS}:
        parser.error(f"no such attack: {', '.join(sorted(unknown))}")
    os.environ["GRADIO_ANALYTICS_ENABLED"] = "False"  # the clients' telemetry: this bench is offline
    with tempfile.TemporaryDirectory(prefix="abuse-") as tmp:
        work = Path(tmp)
        files = work / "files"
        files.mkdir()
        (files / "bomb.png").write_bytes(png_bomb())
        (files / "digit.png").write_bytes(pad_png(3))
        (work / "no-mnist").mkdir()

        with target("A", work, files, MNIST_DATA_DIR=args.data_dir, **LIMITS, **FAST_UPLOADS, **IDLE, **PROXY) as main_app:
            client = main_app.client()
            for _ in range(20):
                client.predict(handle_file(str(files / "digit.png")), api_name="/predict")
            main_app.idle_burst = predict_burst(main_app)  # training-queue's burst, on the idle app
            idle = Prober(main_app.url, files / "digit.png")
            idle.start()
            time.sleep(20)
            idle.stopped = True
            idle.join()
            start_rss, start_disk = main_app.rss(), disk_mb(main_app.folder)
            busy = Prober(main_app.url, files / "digit.png")
            busy.start()
            for name, attack in MAIN_ATTACKS.items():
                if name in chosen:
                    main_app.attack(name, attack)
            busy.stopped = True
            busy.join()
            end_rss, end_peak, end_disk = main_app.rss(), memory_mb(main_app.pid, "VmHWM"), disk_mb(main_app.folder)
            time.sleep(SETTLE)  # nobody calls: idle models go to disk, freed memory goes back
            settled_rss = main_app.rss()
            rows, logs = main_app.rows, [main_app.log_report()]

        if "upload-flood" in chosen:
            with target("B", work, files, MNIST_DATA_DIR=args.data_dir, **LIMITS) as flood_app:
                flood_app.attack("upload-flood", upload_flood)
                rows, logs = rows + flood_app.rows, logs + [flood_app.log_report()]

        if "without-mnist" in chosen:
            with target("C", work, files, MNIST_DATA_DIR=str(work / "no-mnist"), **LIMITS) as bare_app:
                bare_app.attack("without-mnist", without_mnist)
                rows, logs = rows + bare_app.rows, logs + [bare_app.log_report()]

    print(f"machine: {describe()}")
    print(f"app A: {settings(LIMITS)} {settings(FAST_UPLOADS)} (raised for models-in-memory) {settings(IDLE)} "
          f"{settings(PROXY)}, MNIST from "
          f"{args.data_dir}; app B (upload-flood): {settings(LIMITS)}, the default upload rate (256 MB a minute "
          f"per caller); app C (without-mnist): {settings(LIMITS)}, MNIST_DATA_DIR an empty folder, no network")
    print(f"app A before the attacks: {start_rss:.0f} MB resident, app folder {start_disk:.1f} MB\n")
    print("| attack | app | what the client was told | figure | server memory | server peak | app folder |")
    print("|---|---|---|---|---|---|---|")
    for r in rows:
        print(f"| {r.attack} | {r.app} | {r.verdict} | {r.figure} | {r.rss:.0f} MB | {r.peak:.0f} MB | {r.disk:.1f} MB |")
    print(f"\napp A's peak memory over the bench: {end_peak:.0f} MB; after the attacks {end_rss:.0f} MB resident "
          f"({end_rss - start_rss:+.0f} MB from where it started, {start_rss:.0f} MB); left alone {SETTLE} s more: "
          f"{settled_rss:.0f} MB ({settled_rss - start_rss:+.0f} MB)")
    print(f"app folder (A) after the bench: {end_disk:.1f} MB, at most {max(r.disk for r in rows):.1f} MB after an "
          f"attack (any app), of a budget of {LIMITS['MNIST_APP_MAX_DISK_MB']} MB")
    print(f"/predict on app A while idle: {idle.summary()}; during its attacks: {busy.summary()}; "
          f"p95 ratio {p95(busy.times) / p95(idle.times):.2f}")
    print("server logs:\n" + "\n".join(f"  {log}" for log in logs))


if __name__ == "__main__":
    main()
