"""A public host's limits, each tried with a small budget: training's cost, clock and line, runs nobody
follows, visitors' models in memory, the app's folder on disk and its upload route, missing data,
and training in a forked worker as ZeroGPU runs it."""

import asyncio
import dataclasses
import http.client
import multiprocessing
import pickle
import time
import urllib.parse
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest
import torch
from gradio_client import Client, handle_file
from gradio_client.exceptions import AppError

from app_server.memory import glibc
from mnist_model import Classifier, checkpoint
from mnist_model.model import MLP
from support.apprunner import form, join_without_reading, running_app
from support.lightcaller import CallError, Session, inputs_of
from support.strokes import data_url, pad_png
from support.waiting import wait_for

TIGHT = dict(MNIST_APP_KEEP_SECONDS="8", MNIST_APP_TRAINING_LINE="2", MNIST_APP_MAX_MODELS_MB="12",
             MNIST_APP_MAX_DISK_MB="60", MNIST_APP_UPLOAD_MB_PER_MINUTE="20", MNIST_APP_UNREAD_SECONDS="1")


def a_host(tiny_mnist, tiny_drawn, folder, **limits):
    return running_app(folder / "app.log", MNIST_DATA_DIR=str(tiny_mnist), MNIST_DRAWN_FILE=str(tiny_drawn),
                       MNIST_APP_DIR=str(folder / "app"), **TIGHT, **limits)


@pytest.fixture(scope="module")
def host(tiny_mnist, tiny_drawn, tmp_path_factory):
    """The app with a host's tight limits (TIGHT): two runs may wait, a run unread for 1 s ends, idle
    models and files kept 8 s, 12 MB of visitors' models (and runs) in memory, a 60 MB folder, 20 MB of
    uploads a minute per caller. Its clock per run is the default's (20 minutes): the tests that hold
    the training slot with a run stop it themselves, and a short clock ended it early on a busy machine
    (the waiting runs were then let in before the test saw them refused)."""
    folder = tmp_path_factory.mktemp("host")
    with a_host(tiny_mnist, tiny_drawn, folder) as url:
        yield url, folder / "app"


@pytest.fixture(scope="module")
def clocked_host(tiny_mnist, tiny_drawn, tmp_path_factory):
    """The host's limits (TIGHT) and a 6 s clock per run."""
    folder = tmp_path_factory.mktemp("clocked-host")
    with a_host(tiny_mnist, tiny_drawn, folder, MNIST_APP_MAX_WALL_SECONDS="6") as url:
        yield url


def shape_of(info: str) -> str:
    return info.split("MLP ", 1)[1].split(",")[0]


# --- training: cost, clock, line, and runs nobody follows ------------------------------------------


def test_a_run_over_the_hosts_budget_is_refused_up_front_saying_what_fits(app_url):
    client = Client(app_url, verbose=False)
    start = time.monotonic()
    with pytest.raises(AppError, match=r"This run would take about [\d:]+ here, and this server allows 10:00 per run. "
                                       r"With these settings \d+ epoch\(s\) fit"):
        client.predict("fast", hidden="1024,1024,1024,1024,1024,1024", epochs=200, batch_size=1, augment=True,
                       api_name="/train")
    assert time.monotonic() - start < 30  # refused before training, not after


def test_a_run_stops_at_the_hosts_time_limit(clocked_host):
    client = Client(clocked_host, verbose=False)
    start = time.monotonic()
    job = client.submit("fast", epochs=200, batch_size=1, api_name="/train")  # 80,000 steps: longer than 6 s anywhere
    job.result(timeout=300)
    assert "the run reached this server's time limit of 0:06" in job.outputs()[-1][0]
    assert time.monotonic() - start >= 6  # (when after it: the machine's load says)
    with pytest.raises(AppError, match="Train a model first"):
        client.predict(api_name="/use_trained")  # a stopped run leaves nothing to use


def test_a_run_nobody_reads_gives_the_training_slot_back(host):
    """A run whose stream nobody reads ends, keeping nothing, and the next caller's run goes ahead: it
    ends once its unread messages have waited 1 s (here; the host's clock would end it only after 20
    minutes). When a stream counts as unread is the next test's; reading Gradio's backlog,
    test_gradio_internals'."""
    url, folder = host
    log = folder.parent / "app.log"
    logged = len(log.read_text())
    client = Client(url, verbose=False)
    client.submit("fast", epochs=1, api_name="/train").result(timeout=120)  # (the server has priced a run once:
    # the unread run's handler, started first, then joins the line first, not after the next one's)
    join_without_reading(url, "train", *form("fast", epochs=200, batch_size=4))  # a long run, its stream never read
    time.sleep(1)
    job = client.submit("fast", epochs=1, api_name="/train")  # in line behind it (if it is not ended yet), then trains
    job.result(timeout=120)
    assert "Test accuracy" in job.outputs()[-1][4]
    said = log.read_text()[logged:]
    assert "refused" not in said  # (the unread run was let in: it held the slot until ended)
    assert "ended a training run whose stream nobody reads" in said  # (not by any other limit)


@pytest.mark.parametrize("backlogs, cut_off", [
    pytest.param([0, 1, 0, 2, 1, 0, 1, 2, 1, 0], False, id="a-reader"),
    pytest.param([5, 6, 7, 6, 7, 8, 7, 8, 9, 8], False, id="a-slow-reader-far-behind"),
    pytest.param([3, 4, 5, 6, 7, 8, 9, 10, 11, 12], True, id="nobody-reads"),
])
def test_a_stream_is_given_up_only_when_nobody_has_read_it_for_a_while(monkeypatch, backlogs, cut_off):
    from types import SimpleNamespace

    from app_server import running

    clock = SimpleNamespace(now=0.0)
    monkeypatch.setattr(running, "time", SimpleNamespace(monotonic=lambda: clock.now))
    monkeypatch.setattr(running, "LIMITS", dataclasses.replace(running.LIMITS, unread_seconds=5))
    waiting = iter(backlogs)
    unread, given_up = running.Unread(lambda: next(waiting)), []
    for second in range(len(backlogs)):  # a check a second, as a run's heartbeat makes them
        clock.now = float(second)
        given_up.append(unread.for_too_long())
    assert any(given_up) is cut_off
    assert given_up[:6] == [False] * 6  # never before the stream has gone unread for 5 s


def a_long_run_training(url: str):
    """A new session's run that trains for minutes, once it is training: (its client, its job)."""
    client = Client(url, verbose=False)
    running = client.submit("fast", epochs=200, batch_size=1, api_name="/train")  # 80,000 steps: minutes anywhere
    wait_for(lambda: any("samples/s" in (o[0] or "") for o in running.outputs()), "a long run training")
    return client, running


def test_the_training_line_is_bounded_and_light_requests_never_wait_behind_it(host):
    url, _ = host
    holder, holding = a_long_run_training(url)
    waiting = [Client(url, verbose=False) for _ in range(2)]
    jobs = [c.submit("fast", epochs=1, api_name="/train") for c in waiting]
    wait_for(lambda: all(any("Waiting to train" in (o[0] or "") for o in j.outputs()) for j in jobs),
             "two runs waiting in line")
    late = Client(url, verbose=False)
    with pytest.raises(AppError, match="2 runs are waiting to train already, as many as this server lets wait"):
        late.predict("fast", epochs=1, api_name="/train")
    for _ in range(10):
        assert late.submit(data_url(pad_png(1)), api_name="/look_inside").result(timeout=120)[2]["predicted"] == 1
        late.submit(api_name="/model_info").result(timeout=120)
    # answered while the runs still wait (the holder trains until stopped), not after them
    assert not holding.done() and not any(job.done() for job in jobs)
    holder.predict(api_name="/stop")
    for job in jobs:
        job.result(timeout=120)
        assert "Test accuracy" in job.outputs()[-1][4]


def test_a_visitor_has_one_run_at_a_time(host):
    url, _ = host
    client, running = a_long_run_training(url)
    with pytest.raises(AppError, match="You have a run going already"):
        client.submit("fast", epochs=1, api_name="/train").result(timeout=30)
    client.predict(api_name="/stop")
    running.result(timeout=30)


# --- visitors' models in memory: a budget for all, expiry for the idle -------------------------------


def test_models_over_the_memory_budget_wait_on_disk_and_come_back_to_their_own_visitor(host, tmp_path):
    """Each model is 4 MB, the budget 12 MB: four visitors' models do not fit in memory together."""
    url, app_dir = host
    clients, shapes = [], []
    for i, units in enumerate((1021, 1022, 1023, 1024)):
        torch.manual_seed(i)
        path = checkpoint.save(tmp_path / f"m{units}.safetensors", MLP((units, 256)))
        client = Client(url, verbose=False)
        assert f"784 → {units} → 256 → 10" in client.predict(handle_file(str(path)), api_name="/upload_checkpoint")
        clients.append(client)
        shapes.append(f"784 → {units} → 256 → 10")
    kept = list((app_dir / "visitors").glob("*/kept/active.safetensors"))
    assert kept, "no model was sent to disk although four did not fit in memory"
    for client, shape in zip(clients, shapes):  # each visitor, asked again, answers with their own model
        _, _, numbers = client.predict(data_url(pad_png(3)), api_name="/look_inside")
        assert len(numbers["activations"][0]) == int(shape.split(" → ")[1])


MODELS_COMING_AND_GOING = """
import sys, tempfile
from pathlib import Path
from app_server import memory
if sys.argv[1] == "returned":
    memory.return_freed_memory()
from mnist_model import Classifier, checkpoint
from mnist_model.model import MLP
from app_server.visitors import VisitorStore

def resident():
    return next(int(l.split()[1]) for l in open("/proc/self/status") if l.startswith("VmRSS")) * 1024

folder = Path(tempfile.mkdtemp())
checkpoint.save(folder / "big.safetensors", MLP((1024,) * 6))  # 25 MB
store, start = VisitorStore(100 * 2**20), resident()
for i in range(20):
    (folder / str(i)).mkdir()
    store.put(str(i), "active", Classifier.load(folder / "big.safetensors"), "classifier", folder / str(i))
print(resident() - start, store.in_memory())
"""


@pytest.mark.skipif(glibc() is None, reason="needs glibc, the C library of most Linux hosts")
def test_models_coming_and_going_leave_the_process_no_larger_than_their_budget():
    """Twenty visitors load a 25 MB model each, the budget holds four: the process grows by what the
    budget holds, not by every model it once held (glibc would keep the freed buffers otherwise)."""
    import subprocess
    import sys

    from support.apprunner import REPO

    def growth(mode: str) -> tuple[int, int]:
        out = subprocess.run([sys.executable, "-c", MODELS_COMING_AND_GOING, mode], cwd=REPO, check=True,
                             capture_output=True, text=True, timeout=300).stdout
        return tuple(map(int, out.split()))

    grown, held = growth("returned")
    assert grown < held + 30 * 2**20, f"grew {grown / 2**20:.0f} MB for {held / 2**20:.0f} MB of models"
    kept, _ = growth("kept")  # the same without it: the check above can tell the difference
    assert kept > grown + 50 * 2**20


def test_an_idle_visitors_model_waits_on_disk_and_comes_back_when_they_return(tmp_path, monkeypatch):
    from app_server import visitors

    monkeypatch.setattr(visitors, "LIMITS", dataclasses.replace(visitors.LIMITS, idle_seconds=60, keep_seconds=600))
    store = visitors.VisitorStore(100 * 2**20)
    torch.manual_seed(4)
    idle, busy = Classifier(MLP((48,))), Classifier(MLP((32,)))
    store.put("idle", "active", idle, "classifier", tmp_path / "idle")
    store.put("busy", "active", busy, "classifier", tmp_path / "busy")
    store.entries["busy", "active"].used += 50  # used 50 s later than the idle one
    store.expire(now=store.entries["idle", "active"].used + 61)
    assert store.in_memory() == 4 * busy.parameters  # the idle one left memory, the other stayed
    assert (tmp_path / "idle" / "kept" / "active.safetensors").is_file()
    back = store.get("idle", "active")
    assert back is not idle and torch.equal(back.model.layers[0].weight, idle.model.layers[0].weight)
    assert store.in_memory() == 4 * (busy.parameters + idle.parameters)


def test_a_kind_of_value_kept_within_its_own_budget_forgets_its_least_recently_used_ones(tmp_path):
    """The networks kept for Step: 24 sessions stepping ten 1024-unit layers filled the app's folder."""
    from app_server import visitors

    torch.manual_seed(5)
    nets = [Classifier(MLP((48,))) for _ in range(4)]
    size = 4 * nets[0].parameters
    store = visitors.VisitorStore(100 * 2**20, {"classifier": 2 * size})
    store.put("a", "active", nets[0], "classifier", tmp_path / "a")
    store._evict(nets[0])  # (on disk: forgetting it removes its file too)
    kept = tmp_path / "a" / "kept" / "active.safetensors"
    assert kept.is_file()
    store.put("b", "active", nets[1], "classifier", tmp_path / "b")
    store.get("a", "active")  # a was used after b
    store.put("c", "active", nets[2], "classifier", tmp_path / "c")
    assert store.get("b", "active") is None and store.get("c", "active") is nets[2]  # b: the least recently used
    assert store.get("a", "active") is not None
    store._evict(store.get("a", "active"))
    store.get("c", "active")  # (a: the least recently used now, and on disk)
    store.put("d", "active", nets[3], "classifier", tmp_path / "d")
    assert store.get("a", "active") is None and not kept.exists()  # forgotten, in memory and on disk
    big = Classifier(MLP((512,)))
    store.put("e", "active", big, "classifier", tmp_path / "e")
    assert store.get("e", "active") is None  # over the whole budget: never kept
    # made room for, not expired: its visitor is not told their session expired (Step starts afresh)
    assert store.made_room_from("b", "active") and store.made_room_from("e", "active")
    assert not store.made_room_from("b", "active") and not store.made_room_from("c", "active")


def test_a_visitor_whose_step_network_was_forgotten_for_room_gets_none_not_an_expired_session(tmp_path, monkeypatch):
    """6 sessions stepping 3 x 1024 units at once: 5 of 36 Steps said "your session expired"."""
    from app_server import visitors

    torch.manual_seed(6)
    nets = [Classifier(MLP((48,))) for _ in range(2)]
    monkeypatch.setattr(visitors, "STORE", visitors.VisitorStore(100 * 2**20, {"classifier": 4 * nets[0].parameters}))
    first, second = visitors.Visitor(), visitors.Visitor()
    first.put("active", nets[0])
    second.put("active", nets[1])  # the budget holds one: the first is forgotten
    assert first.get("active") is None and second.get("active") is nets[1]


def test_an_idle_visitors_model_stays_in_memory_when_the_disk_has_no_room_for_it(tmp_path, monkeypatch):
    from app_server import visitors
    from app_server.errors import Refusal

    monkeypatch.setattr(visitors, "LIMITS", dataclasses.replace(visitors.LIMITS, idle_seconds=60, keep_seconds=600))

    def no_room(nbytes):
        raise Refusal("disk_full")

    monkeypatch.setattr(visitors, "room_for", no_room)
    store, clf = visitors.VisitorStore(100 * 2**20), Classifier(MLP((48,)))
    store.put("idle", "active", clf, "classifier", tmp_path / "idle")
    store.expire(now=store.entries["idle", "active"].used + 61)
    assert store.get("idle", "active") is clf  # not thrown away for being idle: it waits for its hour
    assert not (tmp_path / "idle" / "kept").exists() or not any((tmp_path / "idle" / "kept").iterdir())


def test_an_idle_visitors_models_expire_and_they_are_told_so(host, tmp_path):
    url, app_dir = host
    torch.manual_seed(9)
    path = checkpoint.save(tmp_path / "idle.safetensors", MLP((48,)))
    client = Client(url, verbose=False)
    client.predict(handle_file(str(path)), api_name="/upload_checkpoint")
    # idle for longer than the host keeps anything (8 s), and two sweeps (every 2 s) more, with room for
    # a sweep late on a busy machine (nothing can be polled meanwhile: asking for the model keeps it)
    time.sleep(8 + 2 * 2 + 4)
    with pytest.raises(AppError, match="Your session expired"):
        client.predict(data_url(pad_png(3)), api_name="/look_inside")
    info = client.predict(api_name="/reset_model")  # and they can go on, with the shipped model
    assert "the shipped model" in info


# --- the app's folder on disk, and Gradio's upload route ------------------------------------------


def upload_request(url: str, size: int, send: bytes = b"", headers: dict | None = None) -> tuple[int, str]:
    """POST to Gradio's upload route claiming `size` bytes (sending only `send`): the status and the reply."""
    parts = urllib.parse.urlparse(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    connection.putrequest("POST", "/gradio_api/upload")
    for key, value in {"Content-Type": "multipart/form-data; boundary=x", "Content-Length": str(size),
                       **(headers or {})}.items():
        connection.putheader(key, value)
    connection.endheaders()
    if send:
        connection.send(send)
    response = connection.getresponse()
    return response.status, response.read().decode()


def test_an_upload_the_folder_has_no_room_for_is_refused_before_it_is_read(host):
    url, _ = host
    status, reply = upload_request(url, 500 * 2**20)  # 500 MB claimed, nothing sent
    assert status == 507 and reply == "This server has no room for more uploads right now. Try again later."
    status, reply = upload_request(url, 500 * 2**20, headers={"Accept-Language": "zh-CN,zh;q=0.9"})
    assert reply == "服务器暂时没有空间接收更多上传。请稍后再试。"


def test_one_caller_uploading_too_much_in_a_minute_is_told_to_wait(host, tmp_path):
    url, app_dir = host
    big = tmp_path / "big.bin"
    big.write_bytes(b"\0" * 8 * 2**20)
    client = Client(url, verbose=False)
    refused = 0
    for _ in range(4):  # 32 MB, the caller may send 20 MB a minute
        try:
            client.predict(handle_file(str(big)), api_name="/upload_checkpoint")
        except Exception as exc:  # the upload itself is refused (429), or the file is not a checkpoint
            refused += "429" in str(exc)
    assert refused >= 1
    size = sum(p.stat().st_size for p in app_dir.rglob("*") if p.is_file())
    assert size < 60 * 2**20


def raw_call(url: str, api_name: str, *data) -> list:
    """Call an endpoint as a script would, with values no Gradio client sends."""
    async def call():
        async with httpx.AsyncClient(base_url=url, timeout=60) as http:
            return await Session(http, await inputs_of(http)).call(api_name, *data)

    with ThreadPoolExecutor(1) as thread:  # (its own event loop: the browser tests' Playwright may run one here)
        return thread.submit(asyncio.run, call()).result()


@pytest.mark.parametrize("endpoint, given", [
    ("predict", "a-server-path"), ("class_add", "a-server-path"),  # (a file input's own check refuses those)
    ("predict", "a-link"), ("upload_checkpoint", "a-link"), ("class_add", "a-link"),
])
def test_only_uploaded_files_are_read_never_a_server_path_or_a_link(app_url, app_log, tmp_path, endpoint, given):
    """Gradio hands a picture input the path of any file on the server when it comes without its
    `meta`, and downloads a link of any size for any file input: both refused in one line, before
    anything is read or fetched."""
    file = tmp_path / ("3.png" if endpoint != "upload_checkpoint" else "mine.safetensors")
    file.write_bytes(pad_png(3)) if endpoint != "upload_checkpoint" else checkpoint.save(file, MLP((16,)))
    value = ({"path": str(file)} if given == "a-server-path"
             else {"path": "http://127.0.0.1:9/" + file.name, "meta": {"_type": "gradio.FileData"}})
    before = app_log.read_text()
    with pytest.raises(CallError, match="Only a file uploaded to this server can be read here"):
        raw_call(app_url, endpoint, value, *([3] if endpoint == "class_add" else []))
    new = app_log.read_text()[len(before):]
    assert "Traceback" not in new and "refused a file that was not uploaded" in new


@pytest.mark.parametrize("up", [1, 2], ids=["its-folder", "the-cache-itself"])
def test_a_folder_of_the_upload_cache_is_not_an_uploaded_file(app_url, app_log, up):
    """(the cache's own folder passed the check, and reading it failed naming IsADirectoryError)"""
    from app_ui.gradio_internals import UPLOAD_ROUTE

    (uploaded,) = httpx.post(app_url.rstrip("/") + UPLOAD_ROUTE, files={"files": ("3.png", pad_png(3))},
                             timeout=30).json()
    folder = str(Path(uploaded).parents[up - 1])
    with pytest.raises(CallError, match="Only a file uploaded to this server can be read here"):
        raw_call(app_url, "predict", {"path": folder, "meta": {"_type": "gradio.FileData"}})
    assert raw_call(app_url, "predict", {"path": uploaded, "meta": {"_type": "gradio.FileData"}})  # (the file is read)


def test_an_upload_its_caller_drops_midway_is_logged_in_one_line_and_the_server_goes_on(app_url, app_log):
    """(a phone off the Wi-Fi mid-upload: Gradio's upload route raised ClientDisconnect, and the server
    logged some 80 lines of traceback for it)"""
    import socket

    parts = urllib.parse.urlparse(app_url)
    before = app_log.read_text()
    with socket.create_connection((parts.hostname, parts.port), timeout=30) as connection:
        connection.sendall(b"POST /gradio_api/upload HTTP/1.1\r\nHost: x\r\n"
                           b"Content-Type: multipart/form-data; boundary=X\r\nContent-Length: 100000\r\n\r\n"
                           b'--X\r\nContent-Disposition: form-data; name="files"; filename="a.png"\r\n\r\n'
                           + b"A" * 5000)
        time.sleep(0.5)  # (the route is reading it)
    wait_for(lambda: "ended by its caller before it was whole" in app_log.read_text()[len(before):],
             "the dropped upload's line in the log")
    assert "Traceback" not in app_log.read_text()[len(before):]
    assert httpx.get(app_url, timeout=30).status_code == 200  # (the server goes on)


def test_a_refused_path_is_logged_on_its_own_line_whatever_it_holds(app_url, app_log):
    """(a link with a line break in it wrote a second, forged line into the server's log)"""
    value = {"path": "http://127.0.0.1:9/x.png\n2099-01-01 00:00:00,000 mnist_app FORGED",
             "meta": {"_type": "gradio.FileData"}}
    before = app_log.read_text()
    with pytest.raises(CallError, match="Only a file uploaded to this server can be read here"):
        raw_call(app_url, "predict", value)
    new = app_log.read_text()[len(before):]
    assert "FORGED" in new and "\n2099-01-01" not in new


@pytest.mark.parametrize("endpoint, values", [
    pytest.param("predict", [None], id="too-few-values"),
    pytest.param("predict", ["/etc/hostname", None, None], id="a-string-for-a-picture"),
    pytest.param("predict", [{"path": "/etc/hostname", "meta": {"_type": "gradio.FileData"}}, None, None],
                 id="a-server-path-with-meta"),
    pytest.param("upload_checkpoint", [{"path": "/etc/hostname"}] + [None] * 3, id="a-server-path-to-a-file-input"),
    pytest.param("load_checkpoint", ["no-such-model", None, None], id="a-value-outside-a-dropdowns-choices"),
    pytest.param("load_checkpoint", [["shipped"], None, None], id="a-list-of-choices-for-one"),
])
def test_values_that_do_not_fit_an_endpoint_are_refused_in_one_line(app_url, app_log, endpoint, values):
    """What Gradio refuses before any handler runs: the caller told why, the log one line."""
    async def call():
        async with httpx.AsyncClient(base_url=app_url, timeout=60) as http:
            return await Session(http, {endpoint: len(values)}).call(endpoint, *values)  # (sent as they are)

    before = app_log.read_text()
    with pytest.raises(CallError, match="These values do not fit this endpoint"):
        with ThreadPoolExecutor(1) as thread:
            thread.submit(asyncio.run, call()).result()
    new = app_log.read_text()[len(before):]
    assert "Traceback" not in new and "refused a malformed call" in new


def test_values_that_do_not_fit_are_refused_in_the_language_the_call_names(app_url):
    """/load_checkpoint "nosuch" with lang zh-CN was answered in English."""
    async def call():
        async with httpx.AsyncClient(base_url=app_url, timeout=60) as http:
            return await Session(http, {"load_checkpoint": 3}).call("load_checkpoint", "nosuch", None, "zh-CN")

    with pytest.raises(CallError, match="这些值与该接口不符"):
        with ThreadPoolExecutor(1) as thread:
            thread.submit(asyncio.run, call()).result()


def test_an_upload_that_does_not_say_its_size_is_refused(host):
    url, _ = host
    parts = urllib.parse.urlparse(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    connection.putrequest("POST", "/gradio_api/upload")
    connection.putheader("Transfer-Encoding", "chunked")
    connection.endheaders()
    response = connection.getresponse()
    assert response.status == 411 and "must say its size" in response.read().decode()


@pytest.mark.parametrize("proxies, caller", [
    pytest.param(0, "10.0.0.1", id="no-proxy-trusted: the address itself"),
    pytest.param(1, "1.2.3.4", id="one-proxy: the address it saw, not what the caller wrote before it"),
    pytest.param(3, "10.0.0.1", id="fewer-forwards-than-proxies: the address itself"),
])
def test_behind_a_proxy_callers_are_told_apart_by_the_address_it_saw(monkeypatch, proxies, caller):
    import dataclasses

    from app_server import callers, hosting

    monkeypatch.setattr(hosting, "LIMITS", dataclasses.replace(hosting.LIMITS, trusted_proxies=proxies))
    scope = {"client": ("10.0.0.1", 5000), "headers": [(b"x-forwarded-for", b"6.6.6.6, 1.2.3.4")]}
    assert callers.caller_of(scope) == caller


def test_when_the_folder_is_over_budget_the_oldest_uploads_make_room(tmp_path, monkeypatch):
    """One caller's uploads cannot keep everyone else's out until they expire: the oldest cached files
    (uploads, never a visitor's download) go first, and none younger than a request takes."""
    import dataclasses
    import os

    from app_server import hosting

    gradio = tmp_path / "gradio"
    monkeypatch.setattr(hosting, "APP_DIR", tmp_path)
    monkeypatch.setattr(hosting, "GRADIO_DIR", gradio)
    monkeypatch.setattr(hosting, "VISITOR_DIR", tmp_path / "visitors")
    monkeypatch.setattr(hosting, "LIMITS", dataclasses.replace(hosting.LIMITS, disk_bytes=1000))
    now = time.time()
    files = {"old": (gradio / "a" / "old.bin", 800, now - 1000), "older": (gradio / "b" / "older.bin", 300, now - 2000),
             "new": (gradio / "c" / "new.bin", 300, now), "download": (gradio / "downloads" / "k" / "m.bin", 300, now - 3000)}
    for path, nbytes, mtime in files.values():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"x" * nbytes)
        os.utime(path, (mtime, mtime))
    hosting.sweep(now)
    assert {name for name, (path, _, _) in files.items() if path.exists()} == {"new", "download"}


def test_a_visitors_files_go_once_idle(host):
    url, app_dir = host
    client = Client(url, verbose=False)
    client.submit("fast", hidden="8", epochs=1, api_name="/train").result(timeout=120)
    client.predict("a", api_name="/save")
    visitors = [v for v in (app_dir / "visitors").iterdir() if (v / "saved" / "a.safetensors").exists()]
    assert visitors
    wait_for(lambda: not any(v.exists() for v in visitors), "an idle visitor's folder swept", timeout=30)


@pytest.mark.slow  # (starts an app of its own)
def test_the_app_folder_is_removed_when_the_app_stops(tiny_mnist, tiny_drawn, tmp_path):
    folder = tmp_path / "app"
    with running_app(tmp_path / "app.log", MNIST_DATA_DIR=str(tiny_mnist), MNIST_DRAWN_FILE=str(tiny_drawn),
                     MNIST_APP_DIR=str(folder)) as url:
        client = Client(url, verbose=False)
        client.submit("fast", hidden="8", epochs=1, api_name="/train").result(timeout=120)
        assert any(folder.rglob("*.safetensors"))  # the download, at least
    assert not folder.exists()


def test_importing_the_app_changes_nothing_on_disk(tmp_path):
    import subprocess
    import sys

    from support.apprunner import REPO

    folder = tmp_path / "app"
    (folder / "visitors" / "someone").mkdir(parents=True)
    (folder / "visitors" / "someone" / "model.safetensors").write_bytes(b"kept")
    before = sorted((p.relative_to(folder), p.read_bytes() if p.is_file() else None) for p in folder.rglob("*"))
    subprocess.run([sys.executable, "-c", "import app"], cwd=REPO, check=True, capture_output=True,
                   env={**__import__("os").environ, "MNIST_APP_DIR": str(folder)}, timeout=300)
    after = sorted((p.relative_to(folder), p.read_bytes() if p.is_file() else None) for p in folder.rglob("*"))
    assert after == before


# --- without MNIST -----------------------------------------------------------------------------------


@pytest.mark.slow  # (starts an app of its own)
def test_without_mnist_a_run_is_refused_saying_what_is_missing_and_why(tiny_drawn, tmp_path):
    with running_app(tmp_path / "app.log", MNIST_DATA_DIR=str(tmp_path / "no-mnist"), MNIST_DRAWN_FILE=str(tiny_drawn),
                     MNIST_APP_DIR=str(tmp_path / "app")) as url:
        client = Client(url, verbose=False)
        job = client.submit("fast", api_name="/train")
        with pytest.raises(AppError) as info:
            job.result(timeout=120)
    message = str(info.value)
    assert message.startswith("MNIST is not in ") and str(tmp_path / "no-mnist") in message
    assert "download failed: " in message and "download failed: )" not in message
    assert "train-images-idx3-ubyte" in message


# --- ZeroGPU: the training function runs in a forked worker --------------------------------------


def forked(fn, *args):
    """Run the generator `fn(*args)` in a forked process, as Hugging Face's `spaces.GPU` does, and
    yield what it yields, pickled (by value) across a pipe. `forked.worker` is the process; closing
    this generator ends the worker (as spaces does), and `forked.closed` says it was closed."""
    context = multiprocessing.get_context("fork")
    receive, send = context.Pipe(duplex=False)

    def worker():
        for item in fn(*args):
            send.send_bytes(pickle.dumps(item))
        send.send_bytes(pickle.dumps(StopIteration))

    process = context.Process(target=worker, daemon=True)
    process.start()
    send.close()
    forked.worker, forked.closed = process, False
    try:
        while (item := pickle.loads(receive.recv_bytes())) is not StopIteration:
            yield item
        process.join(30)
    except GeneratorExit:
        forked.closed = True
        process.terminate()
        process.join(5)
        raise


def test_training_survives_the_trip_from_a_forked_worker(tiny_data):
    from app_server.training import in_forked_worker
    from mnist_model.config import preset
    from mnist_model.train_events import Evaluation, Progress
    from mnist_model.training_run import Done, RunRequest, run

    request = RunRequest(preset("fast", hidden=(16,), epochs=2, batch_size=16), device="cpu")
    events = list(forked(in_forked_worker(run), request))
    assert forked.worker.exitcode == 0  # the worker finished on its own, and handed everything over
    done = events[-1]
    assert isinstance(done, Done) and next(done.classifier.model.parameters()).device.type == "cpu"
    assert done.report.mnist.accuracy == done.result.test_accuracy  # the evaluation came back too
    assert done.report.drawn.accuracy == done.result.drawn_accuracy
    assert sum(isinstance(e, Progress) and e.point for e in events) >= 50  # the curves' points
    assert sum(isinstance(e, Evaluation) for e in events) >= 10
    assert done.classifier.predict_proba(pad_png(7)).shape == (10,)
    assert done.state is not None and done.state.steps == 2 * 25  # Step can go on with it


def test_stop_closes_a_run_in_a_forked_worker_that_cannot_hear_it(tiny_data, monkeypatch):
    """On ZeroGPU the stop request does not reach the worker: the app itself stops reading and closes
    the worker's stream, within a step, and the page hears that the run stopped."""
    from app_server import training as server
    from app_ui import training
    from mnist_model.training_run import run

    def deaf_worker(request, stop):  # the worker never sees the app's stop request
        yield from forked(server.in_forked_worker(run), request)

    monkeypatch.setattr(server, "run_training", deaf_worker)
    monkeypatch.setattr(server, "in_worker", True)
    # (priced from this machine's speed, measured once: a busy moment must not refuse it)
    monkeypatch.setattr(server, "LIMITS", dataclasses.replace(server.LIMITS, run_seconds=float("inf")))
    given = {"preset": "fast", "epochs": 200, "batch_size": 4, "device": "cpu", "lang": "en", "runs": []}
    stream = training.train_stream(*(given.get(name) for name in training.TRAIN_INPUTS), None)
    first = next(stream)
    visitor = first["visitor"]
    seen = []
    for out in stream:
        seen.append(out)
        if "samples/s" in out.get("progress", ""):
            asyncio.run(training.stop_run(visitor))
            break
    last = list(stream)[-1]
    assert "Stopped" in last["progress"]
    assert forked.closed and not forked.worker.is_alive()


def queued(*callers: tuple[str, str]) -> list[tuple[dict, str]]:
    """Events waiting or running in Gradio's queue: (address, session) each, as scopes."""
    return [({"client": (address, 5000), "headers": []}, session) for address, session in callers]


@pytest.mark.parametrize("running, address, session, refused", [
    pytest.param(queued(*[("10.0.0.1", f"phone-{i}") for i in range(30)]), "10.0.0.1", "phone-30", None,
                 id="a-class-of-30-phones-behind-one-address-all-adding-at-once"),
    pytest.param(queued(*[("10.0.0.1", f"s-{i}") for i in range(40)]), "10.0.0.1", "s-40", "from your address",
                 id="40-from-one-address"),
    pytest.param(queued(*[("10.0.0.1", f"s-{i}") for i in range(40)]), "10.0.0.2", "other", None,
                 id="another-address-meanwhile"),
    pytest.param(queued(*[("10.0.0.1", "one") for _ in range(8)]), "10.0.0.1", "one", "from this session",
                 id="8-from-one-session"),
    pytest.param(queued(*[("10.0.0.1", "one") for _ in range(7)]), "10.0.0.1", "one", None,
                 id="a-page-loading-with-7-under-way"),
])
def test_one_caller_cannot_fill_the_queue_everyone_shares(running, address, session, refused):
    from app_ui.guards import queue_refusal

    message = queue_refusal({"client": (address, 5000), "headers": []}, session, running)
    assert message is None if refused is None else refused in message


def test_behind_a_proxy_the_queue_tells_callers_apart_by_the_address_it_saw(monkeypatch):
    from app_server import hosting
    from app_ui.guards import queue_refusal

    monkeypatch.setattr(hosting, "LIMITS", dataclasses.replace(hosting.LIMITS, trusted_proxies=1))
    proxied = [({"client": ("10.9.9.9", 1), "headers": [(b"x-forwarded-for", f"192.0.2.{i}".encode())]}, f"s{i}")
               for i in range(40)]  # 40 callers, one proxy
    assert queue_refusal({"client": ("10.9.9.9", 1), "headers": [(b"x-forwarded-for", b"192.0.2.77")]},
                         "s77", proxied) is None


def test_a_handlers_caller_is_the_address_its_trusted_proxy_saw(monkeypatch):
    """What classes are counted by (starts, joins): as the upload guard and the queue tell callers apart."""
    from types import SimpleNamespace

    from app_server import callers, hosting

    monkeypatch.setattr(hosting, "LIMITS", dataclasses.replace(hosting.LIMITS, trusted_proxies=1))
    request = SimpleNamespace(client=SimpleNamespace(host="10.9.9.9"), headers={"x-forwarded-for": "1.2.3.4, 192.0.2.5"})
    assert callers.caller(request) == "192.0.2.5"
    assert callers.caller(SimpleNamespace(client=SimpleNamespace(host="10.9.9.9"), headers={})) == "10.9.9.9"
    assert callers.caller(None) == ""  # a call from Python: no address to count
