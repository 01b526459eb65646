"""Training from the app, through gradio_client, on the tiny generated data set ($MNIST_DATA_DIR)."""

import re
import time

import pytest
from gradio_client import Client, handle_file
from gradio_client.exceptions import AppError

from tests.strokes import data_url, pad_png

from mnist_model import checkpoint

FORM = dict(preset="fast", hidden="32", epochs=3, batch_size=16, lr=0.01, device="cpu")
# /train's outputs, as an API client gets them (the visitor's states are not among them)
PROGRESS, LOSS, MNIST_PLOT, DRAWN_PLOT, SUMMARY, PER_DIGIT, CONFUSION, MISTAKES, DOWNLOAD = range(9)


def train(client: Client, **changes):
    """Start a training run through the API; fields left out take the preset's values."""
    return client.submit(**{**FORM, **changes}, api_name="/train")


@pytest.fixture(scope="module")
def trained(app_url):
    """A client whose session has one finished run, and every streamed output of that run."""
    client = Client(app_url, verbose=False)
    job = train(client)
    job.result(timeout=300)
    return client, job.outputs()


def test_training_streams_progress_then_reports_accuracy(trained):
    _, outputs = trained
    progress = [o[0] for o in outputs if o[0] and "<progress" in o[0]]
    assert progress, "no progress event arrived"
    assert any("epoch 3/3" in p and "samples/s" in p for p in progress)
    final = outputs[-1]
    accuracy = float(re.search(r"Test accuracy ([\d.]+)%", final[SUMMARY])[1]) / 100
    assert accuracy > 0.5  # chance is 0.1
    assert "pen-written digits of writers it never saw" in final[SUMMARY]
    assert "Confusion matrix" in final[CONFUSION]
    assert "MNIST test" in final[PER_DIGIT] and "held-out writers" in final[PER_DIGIT]


def test_a_finished_run_can_be_used_for_drawing(trained, tmp_path):
    client, _ = trained
    info = client.predict(api_name="/use_trained")
    assert "your model" in info and "784 → 32 → 10" in info
    _, _, numbers = client.predict(data_url(pad_png(4)), api_name="/look_inside")
    assert [len(a) for a in numbers["activations"]] == [32]  # this session's drawings now go through it


def saved_files(app_dir) -> list:
    """Every visitor's saved models on the server's disk."""
    return sorted((app_dir / "visitors").glob("*/saved/*.safetensors"))


def test_a_finished_run_saves_and_loads_back(trained, app_dir):
    client, _ = trained
    message, _choices = client.predict("class-3b", api_name="/save")
    assert "Saved as `class-3b`" in message
    (path,) = [p for p in saved_files(app_dir) if p.name == "class-3b.safetensors"]
    assert checkpoint.load(path)[0].hidden == (32,)
    info = client.predict("class-3b", api_name="/load_checkpoint")
    assert "784 → 32 → 10" in info


@pytest.mark.parametrize(
    "name, message",
    [
        pytest.param("../../evil", "is not allowed", id="path-traversal"),
        pytest.param("mnist_mlp", "is the shipped model and cannot be overwritten", id="shipped-file-name"),
        pytest.param("shipped", "is the shipped model and cannot be overwritten", id="shipped-picker-name"),
        pytest.param("MNIST_MLP", "is the shipped model and cannot be overwritten", id="shipped-name-in-capitals"),
        pytest.param("Con", "is a device name on Windows", id="windows-device-name"),
    ],
)
def test_unsafe_save_names_are_refused(trained, name, message):
    client, _ = trained
    before = checkpoint.SHIPPED.read_bytes()
    with pytest.raises(AppError, match=message):
        client.predict(name, api_name="/save")
    assert checkpoint.SHIPPED.read_bytes() == before


@pytest.mark.parametrize(
    "changes, message",
    [
        pytest.param({"epochs": 0}, "epochs must be a whole number from 1 to 200", id="epochs"),
        pytest.param({"hidden": "4"}, "8 to 1024 units, got 4", id="hidden"),
        pytest.param({"hidden": "sixty-four"}, "hidden sizes must be whole numbers", id="hidden-text"),
        pytest.param({"lr": -0.1}, "learning rate must be", id="lr"),
        pytest.param({"device": "cuda:7"}, "cuda:7", id="device"),
    ],
)
def test_impossible_training_values_are_refused_naming_the_field(app_url, changes, message):
    client = Client(app_url, verbose=False)
    with pytest.raises(AppError, match=message):
        train(client, **changes).result(timeout=60)


def test_a_stopped_run_changes_nothing(app_url, app_dir):
    saved_before = saved_files(app_dir)
    client = Client(app_url, verbose=False)
    job = train(client, epochs=200, batch_size=8)
    deadline = time.monotonic() + 120
    while not any(o[0] and "<progress" in o[0] for o in job.outputs()):
        assert time.monotonic() < deadline and not job.done(), "training never reported progress"
        time.sleep(0.2)
    job.cancel()
    time.sleep(1.5)
    assert not any("Test accuracy" in str(o[SUMMARY]) for o in job.outputs()), "a stopped run reported a finished model"
    with pytest.raises(AppError, match="Train a model first"):
        client.predict(api_name="/use_trained")
    assert saved_files(app_dir) == saved_before


def test_a_bad_uploaded_checkpoint_is_refused_and_changes_nothing(app_url, tmp_path):
    client = Client(app_url, verbose=False)
    bad = tmp_path / "bad.safetensors"
    bad.write_bytes(b"\x80\x04not a checkpoint")
    with pytest.raises(AppError, match="not a safetensors checkpoint"):
        client.predict(handle_file(str(bad)), api_name="/upload_checkpoint")
    good = tmp_path / "good.safetensors"
    good.write_bytes(checkpoint.SHIPPED.read_bytes())
    info = client.predict(handle_file(str(good)), api_name="/upload_checkpoint")
    assert "784 → 64 → 64 → 64 → 10" in info


def test_explore_works_with_the_freshly_trained_model_of_another_shape(trained):
    client, _ = trained
    client.predict(api_name="/use_trained")
    pictures, unit, numbers = client.predict(data_url(pad_png(5)), api_name="/look_inside")
    assert pictures.count("<img") == 2 and len(numbers["logits"]) == 10


def test_one_training_at_a_time_the_second_visitor_waits_in_the_queue(app_url):
    from gradio_client.utils import Status

    first, second = Client(app_url, verbose=False), Client(app_url, verbose=False)
    running = train(first, epochs=200, batch_size=8)
    deadline = time.monotonic() + 120
    while not any(o[0] and "<progress" in o[0] for o in running.outputs()):
        assert time.monotonic() < deadline, "the first training never started"
        time.sleep(0.2)
    waiting = train(second)
    while waiting.status().code in (Status.STARTING, Status.JOINING_QUEUE):
        assert time.monotonic() < deadline
        time.sleep(0.1)
    status = waiting.status()
    assert status.code == Status.IN_QUEUE and status.rank == 0  # first in line, behind the running one
    # prediction is not held up by the training queue
    assert second.predict(data_url(pad_png(1)), api_name="/look_inside")[2]["predicted"] == 1
    running.cancel()
    waiting.result(timeout=300)  # the waiting run starts once the first one is stopped, and finishes
    assert "Test accuracy" in waiting.outputs()[-1][SUMMARY]


def test_train_with_only_a_preset_runs_that_presets_recipe(app_url):
    from mnist_model.train import PRESETS

    client = Client(app_url, verbose=False)
    job = client.submit("fast", api_name="/train")  # every other field left out: the preset's, not the form's
    job.result(timeout=300)
    final = job.outputs()[-1]
    assert "after 2 epoch(s)" in final[SUMMARY]
    download = final[DOWNLOAD]["value"]  # an update of the Download button: a file the client fetched
    assert checkpoint.load(download)[1]["recipe"] == PRESETS["fast"].to_dict()
    assert {row[2] for row in final[LOSS]["data"]} == {"fast"}  # the run is named after its recipe


def test_finished_runs_stay_on_the_plots_up_to_five_and_clear(app_url):
    client = Client(app_url, verbose=False)
    for seed in range(6):
        job = train(client, hidden="8", epochs=1, seed=seed)
        job.result(timeout=300)
    final = job.outputs()[-1]
    runs = [row[2] for row in final[LOSS]["data"]]
    assert len(set(runs)) == 5 and "seed 5" in runs[-1] and not any("seed 0" in r for r in runs)
    xs = [row[0] for row in final[MNIST_PLOT]["data"] if row[2] == runs[-1]]
    assert max(xs) == 1.0 and len(xs) >= 10  # x in epochs; many points for one short epoch
    loss, mnist, drawn = client.predict(api_name="/clear_runs")
    assert loss is None and mnist is None and drawn is None
    job = train(client, hidden="8", epochs=1)
    job.result(timeout=300)
    assert len({row[2] for row in job.outputs()[-1][LOSS]["data"]}) == 1


def test_a_step_shows_the_batch_the_loss_the_gradients_and_the_weight_change(app_url):
    client = Client(app_url, verbose=False)
    report = client.predict("seed", api_name="/step")
    assert report.count("<figure ") == 30  # the batch of 15, before and after the step
    assert "Loss on this batch" in report and report.count('class="gradient"') == 4
    assert 'class="step-change"' in report and "2 so far" not in report
    assert "2 so far" in client.predict("seed", api_name="/step")  # the same run goes on


def test_train_after_steps_continues_the_stepped_run(app_url):
    client = Client(app_url, verbose=False)
    for _ in range(3):
        client.predict("fast", hidden="16", api_name="/step")
    job = train(client, hidden="16", epochs=1)
    job.result(timeout=300)
    assert {row[2] for row in job.outputs()[-1][LOSS]["data"]} == {
        "fast, hidden 16, epochs 1, batch_size 16, lr 0.01, after 3 single steps"}


def test_messages_about_impossible_values_follow_the_pages_language(app_url):
    client = Client(app_url, verbose=False)
    with pytest.raises(AppError, match="训练轮数必须是 1 到 200 之间的整数"):
        train(client, epochs=0, lang="zh-CN").result(timeout=60)


def test_visitors_see_load_and_overwrite_only_their_own_saves(app_url, app_dir):
    alice, bob = Client(app_url, verbose=False), Client(app_url, verbose=False)
    for client, hidden in ((alice, "16"), (bob, "24")):
        train(client, hidden=hidden, epochs=1).result(timeout=300)
        client.predict("mine", api_name="/save")  # the same name: two files, one each
    mine = [p for p in saved_files(app_dir) if p.name == "mine.safetensors"]
    assert sorted(checkpoint.load(p)[0].hidden for p in mine) == [(16,), (24,)]
    assert "784 → 16 → 10" in alice.predict("mine", api_name="/load_checkpoint")
    assert "784 → 24 → 10" in bob.predict("mine", api_name="/load_checkpoint")
    carol = Client(app_url, verbose=False)  # Gradio itself refuses a name not in her own list
    with pytest.raises(AppError, match="mine is not in the list of choices"):
        carol.predict("mine", api_name="/load_checkpoint")


def test_a_visitors_saves_are_held_to_a_quota(app_url):
    client = Client(app_url, verbose=False)  # the test app keeps 3 per visitor (MNIST_APP_MAX_SAVES)
    train(client, hidden="8", epochs=1).result(timeout=300)
    for name in ("one", "two", "three", "Three"):  # the last saves over "three", whatever its case
        client.predict(name, api_name="/save")
    with pytest.raises(AppError, match="You have saved 3 models"):
        client.predict("four", api_name="/save")
