"""Latency of the app's /predict endpoint through gradio_client, as an API user sees it.

Starts `python app.py` on a free port (shipped model) and measures, in one run:
  roundtrip  one client, sequential calls: /predict with a 280x280 drawing vs /model_info, the
             app's cheapest endpoint (the protocol's own floor), p50/p95
  load       N concurrent clients (default 20) calling /predict for S seconds (default 30):
             requests, errors, p50/p95
  training   (with --training) 10 concurrent clients for S seconds while the app is idle, then
             again while a CPU training run (started through /train) is going on, p50/p95 each

    python -m bench.serve_latency [--clients 20] [--seconds 30] [--training --data-dir ../shared/mnist]

Clients, server and (with --training) the training all share this machine's cores. All clients
call from one address, and every /predict uploads its picture: the app's upload rate per address
(MNIST_APP_UPLOADS_PER_MINUTE, 600 by default) would refuse most of them, so it is raised here
(UPLOAD_RATE) to measure serving, not that limit.
"""

import argparse
import os
import statistics
import tempfile
import threading
import time
from pathlib import Path

import numpy as np
from gradio_client import Client, handle_file

from bench.machine import describe
from support.apprunner import running_app
from support.strokes import pad_png


UPLOAD_RATE = {"MNIST_APP_UPLOADS_PER_MINUTE": "100000", "MNIST_APP_UPLOAD_MB_PER_MINUTE": "100000"}


def picture(folder: Path, digit: int = 3) -> dict:
    """A drawing as the pad makes it (280 x 280 PNG, ink in its alpha channel), to upload."""
    (folder / "digit.png").write_bytes(pad_png(digit))
    return handle_file(str(folder / "digit.png"))


def percentiles(times: list[float]) -> str:
    if not times:
        return "no successful request"
    return f"p50 {statistics.median(times) * 1e3:.0f} ms, p95 {np.percentile(times, 95) * 1e3:.0f} ms"


def sequential(client: Client, args: tuple, api_name: str, n: int) -> list[float]:
    for _ in range(3):
        client.predict(*args, api_name=api_name)
    times = []
    for _ in range(n):
        start = time.perf_counter()
        client.predict(*args, api_name=api_name)
        times.append(time.perf_counter() - start)
    return times


def concurrent(url: str, payload: dict, clients: int, seconds: float) -> tuple[list[float], int, int]:
    """(latencies of successful calls, requests, errors) of `clients` threads looping /predict."""
    times, errors, lock = [], [0], threading.Lock()
    ready = [Client(url, verbose=False) for _ in range(clients)]
    stop_at = time.monotonic() + seconds

    def worker(client):
        while time.monotonic() < stop_at:
            start = time.perf_counter()
            try:
                client.predict(payload, api_name="/predict")
            except Exception:  # counted: the benchmark reports every failure
                with lock:
                    errors[0] += 1
                continue
            with lock:
                times.append(time.perf_counter() - start)

    threads = [threading.Thread(target=worker, args=(c,)) for c in ready]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return times, len(times) + errors[0], errors[0]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--clients", type=int, default=20, help="concurrent clients in the load test (default: 20)")
    parser.add_argument("--seconds", type=float, default=30, help="length of each concurrent phase (default: 30)")
    parser.add_argument("--calls", type=int, default=100, help="sequential calls per endpoint (default: 100)")
    parser.add_argument("--training", action="store_true", help="also measure 10 clients during a CPU training run")
    parser.add_argument("--data-dir", default=os.environ.get("MNIST_DATA_DIR"), help="MNIST for --training")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="serve-latency-"))
    env = {"MNIST_DATA_DIR": args.data_dir} if args.data_dir else {}
    with running_app(folder / "app.log", MNIST_APP_DIR=str(folder / "app"), **UPLOAD_RATE, **env) as url:
        payload = picture(folder)
        client = Client(url, verbose=False)
        print(f"machine: {describe()}; the app with {' '.join(f'{k}={v}' for k, v in UPLOAD_RATE.items())}\n")
        predict = sequential(client, (payload,), "/predict", args.calls)
        floor = sequential(client, (), "/model_info", args.calls)
        print(f"roundtrip, 1 client, {args.calls} calls each:")
        print(f"  /predict (a 280x280 drawing): {percentiles(predict)}")
        print(f"  /model_info (the floor):   {percentiles(floor)}")
        times, requests, errors = concurrent(url, payload, args.clients, args.seconds)
        print(f"load, {args.clients} clients for {args.seconds:.0f} s: {requests} requests, {errors} errors, "
              f"{requests / args.seconds:.1f} requests/s, {percentiles(times)}")
        if args.training:
            idle, _, idle_errors = concurrent(url, payload, 10, args.seconds)
            trainer = Client(url, verbose=False)
            # `best` without pen-written digits, for longer than the clients measure (within the host's budget)
            job = trainer.submit("best", drawn=0, epochs=40, device="cpu", api_name="/train")
            while not any(o[0] and "<progress" in o[0] for o in job.outputs()):
                if job.done():
                    raise SystemExit(f"the training run did not start: {job.exception()}")
                time.sleep(0.2)  # wait until training really runs (data loaded, steps going)
            busy, _, busy_errors = concurrent(url, payload, 10, args.seconds)
            trainer.predict(api_name="/stop")
            print(f"10 clients, idle:            {percentiles(idle)}, {idle_errors} errors")
            print(f"10 clients, during training: {percentiles(busy)}, {busy_errors} errors")
            ratio = np.percentile(busy, 95) / np.percentile(idle, 95)
            print(f"  p95 during training / p95 idle = {ratio:.2f} (goal: at most 2)")


if __name__ == "__main__":
    main()
