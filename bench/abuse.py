"""Attacks on a public host, over loopback, as an anonymous visitor would make them; bounded.

Starts `python app.py` (the host's default limits, MNIST from --data-dir) and, one after another:

  png-bomb-upload     a 20 kB one-bit PNG of 13000 x 13000 pixels sent to /predict, 11 times
  png-bomb-drawing    the same picture as the pad's drawing (a data URL) to /look_inside, 11 times
  huge-upload         a 200 MB file uploaded
  hijack-run          the largest run the form allows (200 epochs, 6 x 1024, batch 1, augmentation)
  unread-run          a 30-epoch run of the `seed` recipe (over a minute) started by one plain HTTP
                      request whose stream is never read: how long until the training slot is free
  save-flood          50 saves in a row by one visitor
  bad-checkpoints     checkpoints with 5000-deep JSON metadata, a non-numeric and an infinite accuracy

For each: what the client was told, the server's peak memory (its resident set's high-water mark,
VmHWM), and the app folder's size on disk. Meanwhile a client measures /predict, idle and during
the attacks.

    python -m bench.abuse --data-dir ../shared/mnist
"""

import argparse
import json
import os
import statistics
import struct
import sys
import tempfile
import threading
import time
import zlib
from pathlib import Path

import numpy as np
from gradio_client import Client, handle_file

from bench.machine import describe
from mnist_model.checkpoint import FORMAT
from mnist_model.model import MLP
from support.apprunner import join_without_reading, started_app
from support.strokes import data_url, pad_png


def peak_mb(pid: int) -> float:
    with open(f"/proc/{pid}/status") as f:
        return next(int(line.split()[1]) for line in f if line.startswith("VmHWM")) / 1024


def disk_mb(folder: Path) -> float:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) / 2**20


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


def one_line(exc_or_text) -> str:
    text = str(exc_or_text).strip().replace("\n", " ")
    return text if len(text) < 140 else text[:137] + "…"


def attempt(call) -> str:
    try:
        result = call()
        return f"answered: {one_line(result)}"
    except Exception as exc:  # the message the client got is the point
        return f"refused: {one_line(exc)}"


class Prober(threading.Thread):
    """A client calling /predict with a small drawing, again and again, timing each call."""

    def __init__(self, url: str, picture: dict):
        super().__init__(daemon=True)
        self.client, self.picture, self.times, self.stopped = Client(url, verbose=False), picture, [], False

    def run(self):
        while not self.stopped:
            start = time.perf_counter()
            try:
                self.client.predict(self.picture, api_name="/predict")
                self.times.append(time.perf_counter() - start)
            except Exception:  # noqa: BLE001 (a refused probe would show in the count)
                pass


def p95(times: list[float]) -> float:
    return float(np.percentile(times, 95)) * 1000 if times else float("nan")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data-dir", default=os.environ.get("MNIST_DATA_DIR"), required="MNIST_DATA_DIR" not in os.environ)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="abuse-"))
    app_dir = folder / "app"
    files = folder / "files"
    files.mkdir()
    (files / "bomb.png").write_bytes(png_bomb())
    (files / "digit.png").write_bytes(pad_png(3))
    rows = []
    with started_app(folder / "app.log", MNIST_DATA_DIR=args.data_dir, MNIST_APP_DIR=str(app_dir)) as (url, proc):
        client = Client(url, verbose=False)
        digit = handle_file(str(files / "digit.png"))
        for _ in range(20):
            client.predict(digit, api_name="/predict")
        idle = Prober(url, digit)
        idle.start()
        time.sleep(15)
        idle.stopped = True
        idle.join()
        start_mb, start_disk = peak_mb(proc.pid), disk_mb(app_dir)
        busy = Prober(url, digit)
        busy.start()

        def record(name: str, outcome: str):
            rows.append((name, outcome, peak_mb(proc.pid), disk_mb(app_dir)))
            print(f"{name}: {outcome}", file=sys.stderr)

        bomb = handle_file(str(files / "bomb.png"))
        record("png-bomb-upload", [attempt(lambda: client.predict(bomb, api_name="/predict")) for _ in range(11)][-1])
        bomb_url = data_url((files / "bomb.png").read_bytes())
        record("png-bomb-drawing", [attempt(lambda: client.predict(bomb_url, api_name="/look_inside"))
                                    for _ in range(11)][-1])
        big = files / "big.bin"
        with open(big, "wb") as f:
            f.truncate(200 * 2**20)
        record("huge-upload", attempt(lambda: client.predict(handle_file(str(big)), api_name="/upload_checkpoint")))
        big.unlink()
        record("hijack-run", attempt(lambda: client.predict(
            "fast", hidden="1024,1024,1024,1024,1024,1024", epochs=200, batch_size=1, augment=True,
            api_name="/train")))

        # a run started by one request whose event stream nobody reads
        started = time.perf_counter()
        join_without_reading(url, "train", "seed", None, 30)  # 30 epochs: over a minute if nobody stops it
        time.sleep(2)
        other = Client(url, verbose=False)
        job = other.submit("fast", epochs=1, api_name="/train")
        job.result(timeout=900)
        ended = "ended a training run whose stream nobody reads" in (folder / "app.log").read_text()
        record("unread-run", f"{'stopped' if ended else 'NOT stopped by the server'}: the next visitor's run "
                             f"finished {time.perf_counter() - started:.0f} s after the unread one began")

        train_client = Client(url, verbose=False)
        train_client.submit("fast", hidden="8", epochs=1, api_name="/train").result(timeout=600)
        outcomes = [attempt(lambda i=i: train_client.predict(f"flood-{i}", api_name="/save")) for i in range(50)]
        refused = sum(o.startswith("refused") for o in outcomes)
        record("save-flood", f"{50 - refused} saved, {refused} refused: {outcomes[-1]}")

        bad = []
        for name, blob in (("deep.safetensors", checkpoint_with(
                raw_meta=f'{{"format": "{FORMAT}", "hidden": [8], "recipe": {{"x": {"[" * 5000}{"]" * 5000}}}}}')),
                           ("text-accuracy.safetensors", checkpoint_with({"test_accuracy": "high"})),
                           ("infinite-accuracy.safetensors",
                            checkpoint_with(raw_meta=f'{{"format": "{FORMAT}", "hidden": [8], "test_accuracy": 1e309}}'))):
            (files / name).write_bytes(blob)
            bad.append(attempt(lambda n=name: client.predict(handle_file(str(files / n)), api_name="/upload_checkpoint")))
        record("bad-checkpoints", " / ".join(bad))
        busy.stopped = True
        busy.join()
        log = (folder / "app.log").read_text()

    print(f"machine: {describe()}; app: default limits, app folder {app_dir}\n")
    print(f"server memory before the attacks: {start_mb:.0f} MB (peak so far); app folder {start_disk:.1f} MB\n")
    print("| attack | what the client was told | server peak memory after | app folder after |")
    print("|---|---|---|---|")
    for name, outcome, mb, disk in rows:
        print(f"| {name} | {outcome} | {mb:.0f} MB | {disk:.1f} MB |")
    print(f"\n/predict while idle: p50 {statistics.median(idle.times) * 1000:.0f} ms, p95 {p95(idle.times):.0f} ms "
          f"({len(idle.times)} calls); during the attacks: p50 {statistics.median(busy.times) * 1000:.0f} ms, "
          f"p95 {p95(busy.times):.0f} ms ({len(busy.times)} calls); p95 ratio {p95(busy.times) / p95(idle.times):.2f}")
    print(f"tracebacks in the server's log: {log.count('Traceback')}; one-line refusals: {log.count('refused ')}")


if __name__ == "__main__":
    main()
