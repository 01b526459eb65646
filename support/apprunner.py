"""Start `python app.py` as a user would, on a free port, and stop it again (tests and benchmarks)."""

import os
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def running_app(log: Path, timeout: float = 180, command: tuple[str, ...] = ("app.py",), **env: str):
    """Yield the URL of a freshly started app (`python app.py`, or another `command` of python's);
    extra environment variables go to the app."""
    with started_app(log, timeout, command, **env) as (url, _):
        yield url


@contextmanager
def started_app(log: Path, timeout: float = 180, command: tuple[str, ...] = ("app.py",), **env: str):
    """As running_app, yielding (URL, the app's process). Its classes are kept beside its log unless
    MNIST_APP_DATA_DIR says where (never in the user's own data folder)."""
    port = free_port()
    env = {**os.environ, "GRADIO_SERVER_PORT": str(port), "GRADIO_SERVER_NAME": "127.0.0.1",
           "GRADIO_ANALYTICS_ENABLED": "False", "MNIST_APP_DATA_DIR": str(Path(log).parent / f"classes-{port}"),
           **env}
    with open(log, "w") as out:
        proc = subprocess.Popen([sys.executable, *command], cwd=REPO, env=env, stdout=out, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}/"
    deadline = time.monotonic() + timeout
    try:
        while True:
            try:
                urllib.request.urlopen(url, timeout=2)
                break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"the app did not start: {Path(log).read_text()[-2000:]}") from None
                time.sleep(0.5)
        yield url, proc
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


def form(preset: str, **fields) -> list:
    """The Train tab's form as an event's first inputs, in their order: the preset, then every field
    of mnist_model.config.FIELDS (those not given left empty: the preset's)."""
    from mnist_model.config import FIELD_NAMES

    if unknown := set(fields) - set(FIELD_NAMES):
        raise ValueError(f"not fields of the form: {sorted(unknown)}")
    return [preset, *(fields.get(name) for name in FIELD_NAMES)]


def join_without_reading(url: str, api_name: str, *values, session_hash: str = "nobody-reads") -> None:
    """Start an event with one plain HTTP request (Gradio's queue/join) and never read its stream, as
    a careless or hostile client does: `values` are the endpoint's first inputs, the rest left empty."""
    import json

    with urllib.request.urlopen(f"{url}config", timeout=10) as response:
        config = json.load(response)
    index, dependency = next((i, d) for i, d in enumerate(config["dependencies"]) if d.get("api_name") == api_name)
    data = list(values) + [None] * (len(dependency["inputs"]) - len(values))
    body = json.dumps({"data": data, "fn_index": index, "session_hash": session_hash, "event_data": None,
                       "trigger_id": dependency["targets"][0][0] if dependency.get("targets") else None}).encode()
    request = urllib.request.Request(f"{url}gradio_api/queue/join", data=body,
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=10) as response:
        response.read()
