"""A public host's limits: training budget and clock, runs nobody follows, the app's folder swept,
and training in a forked worker as ZeroGPU runs it."""

import multiprocessing
import os
import pickle
import time

import pytest
from gradio_client import Client
from gradio_client.exceptions import AppError

from tests.apprunner import join_without_reading, running_app

HOST = dict(MNIST_APP_MAX_WALL_SECONDS="6", MNIST_APP_KEEP_SECONDS="4", MNIST_APP_QUEUE="3")


@pytest.fixture(scope="module")
def host(tiny_mnist, tiny_drawn, tmp_path_factory):
    """The app with a host's tight limits (HOST): a 6 s clock per run, idle files kept 4 s."""
    folder = tmp_path_factory.mktemp("host")
    with running_app(folder / "app.log", MNIST_DATA_DIR=str(tiny_mnist), MNIST_DRAWN_FILE=str(tiny_drawn),
                     MNIST_APP_DIR=str(folder / "app"), **HOST) as url:
        yield url, folder / "app"


def test_a_run_over_the_hosts_budget_is_refused_up_front_saying_what_fits(app_url):
    client = Client(app_url, verbose=False)
    start = time.monotonic()
    with pytest.raises(AppError, match=r"This run would take about [\d:]+ here, and this server allows 10:00 per run. "
                                       r"With these settings \d+ epoch\(s\) fit"):
        client.predict("fast", hidden="1024,1024,1024,1024,1024,1024", epochs=200, batch_size=1, augment=True,
                       api_name="/train")
    assert time.monotonic() - start < 30  # refused before training, not after


def test_the_budget_says_so_when_not_even_one_epoch_fits(monkeypatch):
    from app_ui import train_tab
    from app_ui.page import PageMessage
    from mnist_model.train import preset

    monkeypatch.setattr(train_tab, "estimate_seconds", lambda cfg, device, train_size: 7200.0 * cfg.epochs)
    monkeypatch.setattr(train_tab, "mnist_on", lambda device: type("Data", (), {"train_y": range(60_000)}))
    with pytest.raises(PageMessage, match="even one epoch takes 2:00:00"):
        train_tab.check_budget(preset("fast"), "cpu", "en")
    with pytest.raises(PageMessage, match="仅一轮就需要 2:00:00"):
        train_tab.check_budget(preset("fast"), "cpu", "zh-CN")


def test_a_run_stops_at_the_hosts_time_limit(host):
    url, _ = host
    client = Client(url, verbose=False)
    start = time.monotonic()
    job = client.submit("fast", epochs=200, batch_size=4, api_name="/train")
    job.result(timeout=120)
    assert "the run reached this server's time limit of 0:06" in job.outputs()[-1][0]
    assert 6 <= time.monotonic() - start < 30
    with pytest.raises(AppError, match="Train a model first"):
        client.predict(api_name="/use_trained")  # a stopped run leaves nothing


def test_a_run_nobody_reads_stops_within_seconds(host):
    url, app_dir = host
    log = app_dir.parent / "app.log"
    ended_before = log.read_text().count("ended a training run whose stream nobody reads")
    join_without_reading(url, "train", "fast", None, 200, 4)  # a long run, its stream never read
    time.sleep(1)
    client = Client(url, verbose=False)
    start = time.monotonic()
    job = client.submit("fast", epochs=1, api_name="/train")  # waits for the training slot
    job.result(timeout=120)
    assert "Test accuracy" in job.outputs()[-1][4]
    assert time.monotonic() - start < 25  # the unread run gave the slot up within seconds, not at its 6 s clock...
    # ...and not only because of it: the clock alone would also free it, so check it stopped early
    assert time.monotonic() - start < 6 + 25
    # the unread run did start (a request Gradio refused at the door would prove nothing) and was ended
    assert log.read_text().count("ended a training run whose stream nobody reads") == ended_before + 1


def test_a_visitors_files_go_once_idle_and_the_folder_stays_bounded(host):
    url, app_dir = host
    client = Client(url, verbose=False)
    for name in ("a", "b"):
        client.submit("fast", hidden="8", epochs=1, api_name="/train").result(timeout=120)
        client.predict(name, api_name="/save")
    visitors = list((app_dir / "visitors").iterdir())
    assert visitors and any((v / "saved" / "a.safetensors").exists() for v in visitors)
    deadline = time.monotonic() + 30
    while any(v.exists() for v in visitors):  # idle for 4 s, swept every second
        assert time.monotonic() < deadline, "an idle visitor's folder was never swept"
        time.sleep(0.5)
    assert sum(p.stat().st_size for p in (app_dir / "pictures").rglob("*") if p.is_file()) < 5 * 2**20


def test_the_app_folder_is_emptied_at_start(tmp_path, monkeypatch):
    from app_ui import hosting

    monkeypatch.setattr(hosting, "APP_DIR", tmp_path / "app")
    for name in ("GRADIO_DIR", "PICTURE_DIR", "VISITOR_DIR"):
        monkeypatch.setattr(hosting, name, tmp_path / "app" / getattr(hosting, name).name)
    monkeypatch.setenv("GRADIO_TEMP_DIR", "elsewhere")
    (tmp_path / "app" / "visitors" / "old").mkdir(parents=True)
    (tmp_path / "app" / "leftover.bin").write_bytes(b"x" * 1000)
    hosting.prepare()
    assert sorted(p.name for p in (tmp_path / "app").iterdir()) == ["gradio", "pictures", "visitors"]
    assert not any((tmp_path / "app" / "visitors").iterdir())
    assert os.environ["GRADIO_TEMP_DIR"] == str(tmp_path / "app" / "gradio")


def test_sweeping_deletes_only_what_was_idle_for_too_long(tmp_path, monkeypatch):
    from app_ui import hosting

    monkeypatch.setattr(hosting, "PICTURE_DIR", tmp_path / "pictures")
    monkeypatch.setattr(hosting, "VISITOR_DIR", tmp_path / "visitors")
    old, fresh = tmp_path / "pictures" / "old.png", tmp_path / "pictures" / "fresh.png"
    visitor = tmp_path / "visitors" / "abc"
    for path in (old, fresh):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"png")
    visitor.mkdir(parents=True)
    long_ago = time.time() - hosting.LIMITS.keep_seconds - 60
    os.utime(old, (long_ago, long_ago))
    os.utime(visitor, (long_ago, long_ago))
    hosting.sweep()
    assert fresh.exists() and not old.exists() and not visitor.exists()


# --- ZeroGPU: the training function runs in a forked worker --------------------------------------


def forked(fn, *args):
    """Run the generator `fn(*args)` in a forked process, as Hugging Face's `spaces.GPU` does, and
    yield what it yields, pickled (by value) across a pipe; closing this generator ends the worker."""
    context = multiprocessing.get_context("fork")
    receive, send = context.Pipe(duplex=False)

    def worker():
        for item in fn(*args):
            send.send_bytes(pickle.dumps(item))
        send.send_bytes(pickle.dumps(StopIteration))

    process = context.Process(target=worker, daemon=True)
    process.start()
    send.close()
    try:
        while (item := pickle.loads(receive.recv_bytes())) is not StopIteration:
            yield item
    finally:
        process.terminate()
        process.join(5)
        forked.last = process


def test_training_survives_the_trip_from_a_forked_worker(tiny_mnist, tiny_drawn, monkeypatch):
    monkeypatch.setenv("MNIST_DATA_DIR", str(tiny_mnist))
    monkeypatch.setenv("MNIST_DRAWN_FILE", str(tiny_drawn))
    from app_ui.train_tab import Done, in_forked_worker, mnist_on, run_training
    from mnist_model.train import Evaluation, Progress, preset

    mnist_on.cache_clear()
    cfg = preset("fast", hidden=(16,), epochs=2, batch_size=16)
    events = list(forked(in_forked_worker(run_training), cfg, "cpu", None, None))
    done = events[-1]
    assert isinstance(done, Done) and next(done.finished.model.parameters()).device.type == "cpu"
    assert done.report.mnist.accuracy == done.finished.result.test_accuracy  # the evaluation came back too
    assert done.report.drawn.accuracy == done.finished.result.drawn_accuracy
    assert sum(isinstance(e, Progress) and e.point for e in events) >= 50  # the curves' points
    assert sum(isinstance(e, Evaluation) for e in events) >= 10
    from tests.strokes import render_sketch
    from mnist_model import Classifier

    assert Classifier(done.finished.model).predict_proba(render_sketch(7)).shape == (10,)


def test_stopping_a_run_in_a_forked_worker_ends_the_worker(tiny_mnist, tiny_drawn, monkeypatch):
    monkeypatch.setenv("MNIST_DATA_DIR", str(tiny_mnist))
    monkeypatch.setenv("MNIST_DRAWN_FILE", str(tiny_drawn))
    from app_ui.train_tab import in_forked_worker, mnist_on, run_training
    from mnist_model.train import Progress, preset

    mnist_on.cache_clear()
    run = forked(in_forked_worker(run_training), preset("fast", epochs=200, batch_size=4), "cpu", None, None)
    seen = [event for event, _ in zip(run, range(20))]  # a few events, then Stop: the page stops iterating
    run.close()
    assert any(isinstance(e, Progress) for e in seen)
    assert not forked.last.is_alive()
