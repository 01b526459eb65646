"""Training from the app, through gradio_client, on the tiny generated data set ($MNIST_DATA_DIR)."""

import re
import time

import pytest
from gradio_client import Client, handle_file
from gradio_client.exceptions import AppError

from strokes import data_url, pad_png

from mnist_model import checkpoint

FORM = dict(preset_name="fast", hidden="32", epochs=3, batch_size=16, lr=0.01, optimizer="adam",
            schedule="onecycle", augment=False, seed=0, device_name="cpu")


def train_args(**changes):
    values = {**FORM, **changes}
    return [values[k] for k in FORM]


@pytest.fixture(scope="module")
def trained(app_url):
    """A client whose session has one finished run, and every streamed output of that run."""
    client = Client(app_url, verbose=False)
    job = client.submit(*train_args(), api_name="/train")
    job.result(timeout=300)
    return client, job.outputs()


def test_training_streams_progress_then_reports_accuracy(trained):
    _, outputs = trained
    progress = [o[0] for o in outputs if o[0] and "<progress" in o[0]]
    assert progress, "no progress event arrived"
    assert any("epoch 3/3" in p and "samples/s" in p for p in progress)
    final = outputs[-1]
    summary = final[3]
    accuracy = float(re.search(r"Test accuracy ([\d.]+)%", summary)[1]) / 100
    assert accuracy > 0.5  # chance is 0.1
    assert "Confusion matrix" in final[5]


def test_a_finished_run_can_be_used_for_drawing(trained, tmp_path):
    client, _ = trained
    info = client.predict(api_name="/use_trained")
    assert "your model" in info and "784 → 32 → 10" in info
    _, _, numbers = client.predict(data_url(pad_png(4)), api_name="/look_inside")
    assert [len(a) for a in numbers["activations"]] == [32]  # this session's drawings now go through it


def test_a_finished_run_saves_and_loads_back(trained, app_save_dir):
    client, _ = trained
    message, _choices = client.predict("class-3b", api_name="/save")
    assert "class-3b.safetensors" in message
    assert checkpoint.load(app_save_dir / "class-3b.safetensors")[0].hidden == (32,)
    info = client.predict("class-3b", api_name="/load_checkpoint")
    assert "784 → 32 → 10" in info


@pytest.mark.parametrize(
    "name, message",
    [
        pytest.param("../../evil", "is not allowed", id="path-traversal"),
        pytest.param("mnist_mlp", "is the shipped model and cannot be overwritten", id="shipped-file-name"),
        pytest.param("shipped", "is the shipped model and cannot be overwritten", id="shipped-picker-name"),
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
        pytest.param({"device_name": "cuda:7"}, "cuda:7", id="device"),
    ],
)
def test_impossible_training_values_are_refused_naming_the_field(app_url, changes, message):
    client = Client(app_url, verbose=False)
    with pytest.raises(AppError, match=message):
        client.predict(*train_args(**changes), api_name="/train")


def test_a_stopped_run_changes_nothing(app_url, app_save_dir):
    saved_before = sorted(app_save_dir.iterdir())
    client = Client(app_url, verbose=False)
    job = client.submit(*train_args(epochs=200, batch_size=8), api_name="/train")
    deadline = time.monotonic() + 120
    while not any(o[0] and "<progress" in o[0] for o in job.outputs()):
        assert time.monotonic() < deadline and not job.done(), "training never reported progress"
        time.sleep(0.2)
    job.cancel()
    time.sleep(1.5)
    assert not any("Test accuracy" in str(o[3]) for o in job.outputs()), "a stopped run reported a finished model"
    with pytest.raises(AppError, match="Train a model first"):
        client.predict(api_name="/use_trained")
    assert sorted(app_save_dir.iterdir()) == saved_before


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
    running = first.submit(*train_args(epochs=200, batch_size=8), api_name="/train")
    deadline = time.monotonic() + 120
    while not any(o[0] and "<progress" in o[0] for o in running.outputs()):
        assert time.monotonic() < deadline, "the first training never started"
        time.sleep(0.2)
    waiting = second.submit(*train_args(), api_name="/train")
    while waiting.status().code in (Status.STARTING, Status.JOINING_QUEUE):
        assert time.monotonic() < deadline
        time.sleep(0.1)
    status = waiting.status()
    assert status.code == Status.IN_QUEUE and status.rank == 0  # first in line, behind the running one
    # prediction is not held up by the training queue
    assert second.predict(data_url(pad_png(1)), api_name="/look_inside")[2]["predicted"] == 1
    running.cancel()
    waiting.result(timeout=300)  # the waiting run starts once the first one is stopped, and finishes
    assert "Test accuracy" in waiting.outputs()[-1][3]
