"""Training from the app, through gradio_client, on the tiny generated data set ($MNIST_DATA_DIR)."""

import re
import time

import pytest
import torch
from gradio_client import Client, handle_file
from gradio_client.exceptions import AppError
from gradio_client.utils import Status

from mnist_model import Classifier, checkpoint
from mnist_model.config import PRESETS
from mnist_model.data import load_mnist
from mnist_model.explain import dead_units
from support.strokes import data_url, pad_png
from support.waiting import wait_for

FORM = dict(preset="fast", hidden="32", epochs=3, batch_size=16, lr=0.01, device="cpu")
# /train's outputs, as an API client gets them (the visitor's states and the buttons are not among them)
PROGRESS, LOSS, MNIST_PLOT, DRAWN_PLOT, SUMMARY, PER_DIGIT, CONFUSION, MISTAKES, DOWNLOAD, STEP, GRADIENT, STEP_GRADIENT, \
    RUNS_TABLE = range(13)
LONG = dict(epochs=200, batch_size=4)  # 20,000 steps: longer than any test waits


def train(client: Client, **changes):
    """Start a training run through the API; fields left out take the preset's values."""
    return client.submit(**{**FORM, **changes}, api_name="/train")


def training_started(job) -> bool:
    return any(o[PROGRESS] and "<progress" in o[PROGRESS] and "samples/s" in o[PROGRESS] for o in job.outputs())


def labels(plot: dict) -> list[str]:
    return [run["label"] for run in plot["runs"]]


@pytest.fixture(scope="module")
def trained(app_url):
    """A client whose session has one finished run, and every streamed output of that run."""
    client = Client(app_url, verbose=False)
    job = train(client)
    job.result(timeout=300)
    return client, job.outputs()


def test_training_streams_progress_then_reports_accuracy(trained):
    _, outputs = trained
    progress = [o[PROGRESS] for o in outputs if o[PROGRESS] and "<progress" in o[PROGRESS]]
    assert progress, "no progress event arrived"
    assert any("epoch 3/3" in p and "samples/s" in p for p in progress)
    final = outputs[-1]
    accuracy = float(re.search(r"Test accuracy ([\d.]+)%", final[SUMMARY])[1]) / 100
    assert accuracy > 0.5  # chance is 0.1
    assert "pen-written digits of writers it never saw" in final[SUMMARY]
    assert "Confusion matrix" in final[CONFUSION]
    assert "MNIST test" in final[PER_DIGIT] and "held-out writers" in final[PER_DIGIT]


def test_a_run_plots_each_layers_gradient_length_on_a_log_scale_as_it_trains(trained):
    _, outputs = trained
    plots = [o[GRADIENT] for o in outputs if o[GRADIENT] and o[GRADIENT].get("runs")]  # (else: no change yet)
    assert len(plots) >= 2, "the gradient plot did not grow during the run"
    final = plots[-1]
    assert final["scale"] == "log" and final["y"] == "gradient"
    lines = sorted(final["runs"], key=lambda line: line["layer"])
    assert [(line["layer"], line["layers"]) for line in lines] == [(1, 2), (2, 2)]  # 784 → 32 → 10: two layers
    assert all(len(line["points"]) > 10 and all(y > 0 for _, y in line["points"]) for line in lines)
    assert len(plots[0]["runs"][0]["points"]) < len(lines[0]["points"])  # it grew as the run went on


def test_the_summary_names_the_runs_dead_units_per_layer_as_python_counts_them(trained, tiny_mnist):
    """Dead units over the test set (here the tiny one the app trains on): the summary names each
    layer's, as mnist_model.explain.dead_units finds them in the downloaded model."""
    _, outputs = trained
    final = outputs[-1]
    model = Classifier.load(final[DOWNLOAD]["value"]).model  # the file the client fetched
    dead = dead_units(model, load_mnist(tiny_mnist, download=False).test_x)
    (units,) = dead.units  # one hidden layer of 32
    named = f" ({', '.join(map(str, units[:12]))}{', …' if len(units) > 12 else ''})" if units else ""
    assert "**Dead units** (their sum was never above 0 for any of the 100 test digits" in final[SUMMARY]
    assert f"layer 1: {len(units)} of 32{named}." in final[SUMMARY]


def test_a_finished_run_can_be_used_for_drawing(trained):
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


def test_a_run_that_learns_not_a_digit_is_named_so_and_its_answers_say_whether_it_is_a_digit(app_url, tmp_path):
    client = Client(app_url, verbose=False)
    final = train(client, hidden="16", epochs=1, not_a_digit=0.2).result(timeout=600)
    assert labels(final[LOSS])[-1] == "fast, hidden 16, epochs 1, batch 16, lr 0.01, not a digit 0.2"
    assert "784 → 16 → 11, ReLU" in client.predict(api_name="/use_trained")
    picture = tmp_path / "drawn.png"
    picture.write_bytes(pad_png(4))
    answer = client.predict(handle_file(str(picture)), api_name="/predict")
    assert len(answer["probabilities"]) == 11 and len(answer["digits_only"]) == 10
    assert (answer["digit"] is None) == answer["not_a_digit"]


def test_a_tanh_network_trains_draws_and_saves_as_tanh(app_url, app_dir):
    client = Client(app_url, verbose=False)
    final = train(client, hidden="16,16", epochs=1, activation="tanh").result(timeout=300)
    assert "tanh units cannot die." in final[SUMMARY]
    assert "784 → 16 → 16 → 10, tanh" in client.predict(api_name="/use_trained")
    _, _, numbers = client.predict(data_url(pad_png(4)), api_name="/look_inside")
    assert all(-1 < value < 1 for layer in numbers["activations"] for value in layer)  # tanh's range
    assert any(value < 0 for layer in numbers["activations"] for value in layer)  # which ReLU's is not
    client.predict("tanh-net", api_name="/save")
    (path,) = [p for p in saved_files(app_dir) if p.name == "tanh-net.safetensors"]
    assert checkpoint.load(path)[0].activation == "tanh"


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
        pytest.param({"epochs": 0}, "Epochs must be a whole number from 1 to 200, got 0", id="epochs"),
        pytest.param({"epochs": 1.5}, "Epochs must be a whole number from 1 to 200, got 1.5", id="fractional-epochs"),
        pytest.param({"epochs": "abc"}, "Epochs must be a whole number from 1 to 200, got 'abc'", id="epochs-as-text"),
        pytest.param({"batch_size": "1e3"}, "Batch size must be a whole number from 1 to 60000, got '1e3'",
                     id="batch-as-text"),
        pytest.param({"lr": "fast"}, "Learning rate must be a number above 0", id="lr-as-text"),
        pytest.param({"augment": "yes"}, "Augmentation must be true or false, got 'yes'", id="augment-as-text"),
        pytest.param({"hidden": "4"}, "8 to 1024 units, got 4", id="hidden"),
        pytest.param({"hidden": "sixty-four"}, "Hidden sizes must be whole numbers", id="hidden-text"),
        pytest.param({"hidden": "9" * 1_000_000}, "got '" + "9" * 38 + "…", id="a-megabyte-of-hidden-echoed-in-brief"),
        pytest.param({"optimizer": "<b>rmsprop</b>"}, "Optimizer must be one of adam, sgd, got '&lt;b>rmsprop&lt;/b>'",
                     id="markup-is-shown-as-text"),
        pytest.param({"lr": -0.1}, "Learning rate must be", id="lr"),
        pytest.param({"pace": "slow"}, "The pace must be a number of steps per second above 0", id="pace-as-text"),
        pytest.param({"device": "cuda:7"}, "cuda:7", id="device"),
        pytest.param({"preset": "turbo"}, "Unknown preset 'turbo'", id="preset"),
    ],
)
def test_impossible_training_values_are_refused_in_one_line_naming_the_field(app_url, changes, message):
    client = Client(app_url, verbose=False)
    with pytest.raises(AppError) as info:
        train(client, **changes).result(timeout=60)
    assert message in str(info.value) and "\n" not in str(info.value) and len(str(info.value)) < 300


def test_impossible_values_leave_one_line_and_no_traceback_in_the_servers_log(app_url, app_log):
    client = Client(app_url, verbose=False)
    before = app_log.read_text()
    with pytest.raises(AppError):
        train(client, epochs="abc").result(timeout=60)
    new = app_log.read_text()[len(before):]
    assert "Traceback" not in new
    assert [line for line in new.splitlines() if "refused" in line] == [
        line for line in new.splitlines() if line.strip()]  # every line it wrote is a one-line refusal


def test_stop_ends_the_run_within_a_step_keeps_nothing_and_step_goes_on_from_it(app_url, app_dir):
    saved_before = saved_files(app_dir)
    client = Client(app_url, verbose=False)
    job = train(client, **LONG)
    wait_for(lambda: training_started(job), "training")
    client.predict(api_name="/stop")
    wait_for(job.done, "the stopped run's end")
    final = job.outputs()[-1]
    assert "Stopped: the previous model stays active" in final[PROGRESS]
    assert any("(stopped)" in label for label in labels(final[LOSS]))  # its curve stays to compare
    with pytest.raises(AppError, match="Train a model first"):
        client.predict(api_name="/use_trained")
    assert saved_files(app_dir) == saved_before
    report = client.predict(**{k: v for k, v in FORM.items() if k != "device"}, api_name="/step")
    assert "Stepping the network of the run you stopped" in report
    steps_done = int(re.search(r"One step: (\d+) so far", report)[1])
    assert steps_done > 1  # the run's own steps, and this one


def test_a_stop_sent_right_after_train_stops_it_and_a_train_after_it_is_taken(app_url):
    """/train then /stop with no gap said "There is no run of yours to stop" (a fresh session holds no
    visitor until its run's first answer) and the run trained to its end; a Train right after a Stop
    was refused while the stopped run was still ending."""
    for _ in range(3):
        client = Client(app_url, verbose=False)  # (a fresh session each time: no visitor yet)
        job = train(client, **LONG)
        wait_for(lambda job=job: job.status().code not in (Status.STARTING, Status.JOINING_QUEUE), "the Train's joining the queue")
        said = client.predict(api_name="/stop")  # at once: as a script sends one request after the other
        assert "Stopping" in said, said
        wait_for(job.done, "the stopped run's end")
        final = job.outputs()[-1][PROGRESS]
        assert "Stopped" in final or "Left the line" in final, final
        again = train(client, epochs=1)  # right after the Stop: taken, not "a run going already"
        again.result(timeout=300)
        assert "Test accuracy" in again.outputs()[-1][SUMMARY]


def test_a_stop_that_overtakes_its_train_on_the_way_still_stops_it(app_url):
    """A script's client submits /train and calls /stop at once, on two threads: the Stop could reach
    the server first and answer "There is no run of yours to stop" (3 of 10 here), and the run trained."""
    for _ in range(5):
        client = Client(app_url, verbose=False)
        job = train(client, **LONG)
        said = client.predict(api_name="/stop")  # no wait at all for the Train to join the queue
        assert "Stopping" in said, said
        wait_for(job.done, "the stopped run's end")
        final = job.outputs()[-1][PROGRESS]
        assert "Stopped" in final or "Left the line" in final, final


def test_step_refuses_a_network_too_big_to_keep_and_steps_one_that_fits(app_url):
    """Step keeps its network on the server: ten 1024-unit layers (157 MB each) filled its disk."""
    client = Client(app_url, verbose=False)
    form = {k: v for k, v in FORM.items() if k != "device"}
    with pytest.raises(AppError, match=r"this one would take 157 MB, and Step may keep 64 MB"):
        client.predict(**{**form, "hidden": ",".join(["1024"] * 10)}, api_name="/step")
    assert "One step: 1 so far" in client.predict(**{**form, "hidden": "1024,1024,1024"}, api_name="/step")


def test_step_waits_for_its_own_run_to_be_stopped(app_url):
    """Step and a run of the same visitor would change one network at once: Step says to stop first."""
    client = Client(app_url, verbose=False)
    job = train(client, **LONG)
    wait_for(lambda: training_started(job), "training")
    with pytest.raises(AppError, match="Your run is training: press Stop first"):
        client.predict(**{k: v for k, v in FORM.items() if k != "device"}, api_name="/step")
    client.predict(api_name="/stop")
    wait_for(job.done, "the stopped run's end")


def test_one_full_speed_run_at_a_time_the_next_waits_and_is_told_its_place(app_url):
    first, second = Client(app_url, verbose=False), Client(app_url, verbose=False)
    running = train(first, **LONG)
    wait_for(lambda: training_started(running), "the first training")
    waiting = train(second)
    wait_for(lambda: any(o[PROGRESS] and "Waiting to train" in o[PROGRESS] for o in waiting.outputs()),
             "the second visitor hearing their place")
    heard = time.monotonic()  # (its handler has begun: it said its place)
    assert "number 1 in line" in waiting.outputs()[-1][PROGRESS]
    # prediction is not held up by the training line
    assert second.predict(data_url(pad_png(1)), api_name="/look_inside")[2]["predicted"] == 1
    first.predict(api_name="/stop")
    stopped = time.monotonic()
    waiting.result(timeout=300)  # the waiting run starts once the first one is stopped, and finishes
    summary = waiting.outputs()[-1][SUMMARY]
    # the time it shows is the time its visitor waited, in line too, not its training's alone
    waited, training = map(float, re.search(r"(\d+\.\d) s from Train to done, (\d+\.\d) s of it training", summary).groups())
    assert waited >= stopped - heard and waited > training


def test_a_paced_run_trains_beside_a_full_speed_one(app_url):
    """A class watches a slow run; the teacher's fast run does not wait for it. (The paced run, a step
    a second for 5 epochs of 27 steps, lasts minutes: it cannot end before the fast one on a busy machine.)"""
    student, teacher = Client(app_url, verbose=False), Client(app_url, verbose=False)
    paced = train(student, preset="seed", hidden=None, epochs=5, batch_size=None, lr=None, pace=1)
    wait_for(lambda: training_started(paced), "the paced run")
    # the paced run shows its accuracy within seconds, not after an epoch of watching
    wait_for(lambda: any(run["points"] for run in paced.outputs()[-1][MNIST_PLOT]["runs"]), "a paced accuracy point",
             timeout=15)
    assert paced.outputs()[-1][LOSS]["x"] == "steps"  # within its first epoch, it is plotted in steps
    fast = train(teacher)
    fast.result(timeout=120)
    assert "Test accuracy" in fast.outputs()[-1][SUMMARY]
    assert not paced.done()
    student.predict(api_name="/stop")
    paced.result(timeout=30)


def test_a_paced_cnn_trains_beside_a_full_speed_run_and_says_when_it_will_be_stopped(app_url):
    """A paced CNN at batch 1 measured itself out of the light runs and held the only full-speed slot
    for 20 minutes, priced at 1:33, its progress saying "83:22:13 left"."""
    student, other = Client(app_url, verbose=False), Client(app_url, verbose=False)
    paced = train(student, preset="cnn", architecture="cnn", hidden=None, epochs=1, batch_size=1, lr=None,
                  augment=False, pace=0.2)  # (400 steps on the tests' data: 33 minutes)
    wait_for(lambda: training_started(paced), "the paced CNN")
    wait_for(lambda: "stopped at this server's limit" in paced.outputs()[-1][PROGRESS],  # (its pace: longer)
             "the paced CNN's progress saying it will be stopped at the limit")
    fast = train(other, preset="deep_relu")
    fast.result(timeout=300)
    assert "Test accuracy" in fast.outputs()[-1][SUMMARY]
    assert not any(o[PROGRESS] and "in line" in o[PROGRESS] for o in fast.outputs())  # it never waited
    student.predict(api_name="/stop")
    wait_for(paced.done, "the paced CNN's end")


def test_train_with_only_a_preset_runs_that_presets_recipe(app_url):
    client = Client(app_url, verbose=False)
    job = client.submit("fast", api_name="/train")  # every other field left out: the preset's, not the form's
    job.result(timeout=300)
    final = job.outputs()[-1]
    assert "after 2 epoch(s)" in final[SUMMARY]
    download = final[DOWNLOAD]["value"]  # an update of the Download button: a file the client fetched
    assert checkpoint.load(download)[1]["recipe"] == PRESETS["fast"].to_dict()
    assert labels(final[LOSS]) == ["fast"]  # the run is named after its recipe


def test_finished_runs_stay_on_the_plots_up_to_five_each_its_own_and_clear(app_url):
    client = Client(app_url, verbose=False)
    for seed in range(6):
        job = train(client, hidden="8", epochs=1, seed=seed)
        job.result(timeout=300)
    final = job.outputs()[-1]
    runs = labels(final[LOSS])
    assert len(runs) == 5 and "seed 5" in runs[-1] and not any("seed 0" in r for r in runs)
    assert labels(final[MNIST_PLOT]) == runs == labels(final[DRAWN_PLOT])  # the same runs on all three plots
    last = final[MNIST_PLOT]["runs"][-1]["points"]
    assert len(last) >= 10 and final[MNIST_PLOT]["x"] == "epochs" and last[-1][0] == 1.0  # one whole epoch
    loss, mnist, drawn, gradient = client.predict(api_name="/clear_runs")
    assert loss["runs"] == [] and mnist["runs"] == [] and drawn["runs"] == [] and gradient["runs"] == []
    job = train(client, hidden="8", epochs=1)
    job.result(timeout=300)
    assert len(labels(job.outputs()[-1][LOSS])) == 1


def test_a_step_shows_the_batch_the_loss_the_gradients_and_the_weight_change(app_url):
    client = Client(app_url, verbose=False)
    report = client.predict("seed", api_name="/step")
    assert report.count("<figure ") == 30  # the batch of 15, before and after the step
    assert "Loss on this batch" in report and report.count('class="gradient"') == 4
    assert 'class="step-change"' in report and "2 so far" not in report
    assert "Stepping a fresh, untrained network" in report
    assert "2 so far" in client.predict("seed", api_name="/step")  # the same run goes on


def test_step_after_a_finished_run_goes_on_with_that_run(trained):
    client, _ = trained
    report = client.predict(**{k: v for k, v in FORM.items() if k != "device"}, api_name="/step")
    assert "Stepping the network your last run trained" in report
    assert int(re.search(r"One step: (\d+) so far", report)[1]) == 3 * 25 + 1  # 3 epochs of 25 steps, and this one


def steps_so_far(report: str) -> int:
    return int(re.search(r"One step: (\d+) so far", report)[1])


def test_train_after_steps_trains_the_recipe_from_a_fresh_network_and_clears_the_step_panel(app_url):
    client = Client(app_url, verbose=False)
    for _ in range(3):
        client.predict("fast", hidden="16", api_name="/step")
    job = train(client, hidden="16", epochs=1)
    job.result(timeout=300)
    assert job.outputs()[0][STEP] == ""  # the old Step panel does not stay above the new run
    assert labels(job.outputs()[-1][LOSS]) == ["fast, hidden 16, epochs 1, batch 16, lr 0.01"]
    assert steps_so_far(client.predict("fast", hidden="16", api_name="/step")) == 25 + 1  # its one epoch, and this


def test_train_asked_to_go_on_after_stop_and_two_steps_counts_every_step(app_url):
    client = Client(app_url, verbose=False)
    job = train(client, hidden="16", **LONG)
    wait_for(lambda: training_started(job), "training")
    client.predict(api_name="/stop")
    job.result(timeout=300)
    stopped_at = steps_so_far(client.predict("fast", hidden="16", api_name="/step")) - 1
    assert stopped_at > 0 and steps_so_far(client.predict("fast", hidden="16", api_name="/step")) == stopped_at + 2
    job = train(client, hidden="16", epochs=1, go_on=True)
    job.result(timeout=300)
    label = labels(job.outputs()[-1][LOSS])[-1]
    assert label == f"fast, hidden 16, epochs 1, batch 16, lr 0.01, on from step {stopped_at + 2}"
    assert steps_so_far(client.predict("fast", hidden="16", api_name="/step")) == stopped_at + 2 + 25 + 1


def test_train_asked_to_go_on_from_a_network_of_another_shape_is_refused(app_url):
    client = Client(app_url, verbose=False)
    with pytest.raises(AppError, match="There is no network to go on from yet"):
        train(client, hidden="16", go_on=True).result(timeout=60)
    client.predict("fast", hidden="16", api_name="/step")
    with pytest.raises(AppError, match="is 784 → 16 → 10, ReLU; the form asks for 784 → 8 → 10, ReLU"):
        train(client, hidden="8", go_on=True).result(timeout=60)
    with pytest.raises(AppError, match="is 784 → 16 → 10, ReLU; the form asks for 784 → 16 → 10, sigmoid"):
        train(client, hidden="16", activation="sigmoid", go_on=True).result(timeout=60)


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
    carol = Client(app_url, verbose=False)  # a name not in her own list: refused in one line
    with pytest.raises(AppError, match="These values do not fit this endpoint"):
        carol.predict("mine", api_name="/load_checkpoint")


def test_a_visitors_saves_are_held_to_a_quota(app_url):
    client = Client(app_url, verbose=False)  # the test app keeps 3 per visitor (MNIST_APP_MAX_SAVES)
    train(client, hidden="8", epochs=1).result(timeout=300)
    for name in ("one", "two", "three", "Three"):  # the last saves over "three", whatever its case
        client.predict(name, api_name="/save")
    with pytest.raises(AppError, match="You have saved 3 models"):
        client.predict("four", api_name="/save")


def test_a_bad_uploaded_checkpoint_is_refused_and_changes_nothing(app_url, tmp_path):
    client = Client(app_url, verbose=False)
    bad = tmp_path / "bad.safetensors"
    bad.write_bytes(b"\x80\x04not a checkpoint")
    with pytest.raises(AppError, match="not a safetensors checkpoint") as refused:
        client.predict(handle_file(str(bad)), api_name="/upload_checkpoint")
    assert str(refused.value).startswith("bad.safetensors is not")  # its name as given (it read "Bad.safetensors")
    good = tmp_path / "good.safetensors"
    good.write_bytes(checkpoint.SHIPPED.read_bytes())
    info = client.predict(handle_file(str(good)), api_name="/upload_checkpoint")
    assert "784 → 64 → 64 → 64 → 10" in info


def test_the_largest_model_the_form_trains_can_be_uploaded_again_and_an_overflowing_one_cannot(app_url, tmp_path):
    """A downloaded 10 x 1024 model (41 MB) was refused at 32 MB; finite weights that overflow
    (±3e38) were taken and answered every drawing with probabilities of NaN."""
    from mnist_model.model import MAX_LAYERS, MAX_UNITS, MLP

    client = Client(app_url, verbose=False)
    biggest = MLP((MAX_UNITS,) * MAX_LAYERS)
    path = tmp_path / "biggest.safetensors"
    checkpoint.save(path, biggest)
    assert path.stat().st_size <= checkpoint.LARGEST_BYTES
    info = client.predict(handle_file(str(path)), api_name="/upload_checkpoint")
    assert "784 → 1024 → 1024" in info
    with torch.no_grad():
        for layer in biggest.layers:
            layer.weight.fill_(3e38)
    checkpoint.save(path, biggest)
    with pytest.raises(AppError, match="could overflow"):
        client.predict(handle_file(str(path)), api_name="/upload_checkpoint")


def test_a_run_too_big_for_the_servers_memory_is_refused_for_good_not_told_to_try_again(app_url):
    client = Client(app_url, verbose=False)
    job = train(client, preset="cnn", architecture="cnn", batch_size=60000, epochs=1, lang="zh-CN")
    with pytest.raises(AppError, match="等多久都不够") as refused:
        job.result(timeout=120)
    assert "一分钟" not in str(refused.value)  # ("try again in a minute" would never help)


def test_explore_works_with_the_freshly_trained_model_of_another_shape(trained):
    client, _ = trained
    client.predict(api_name="/use_trained")
    pictures, unit, numbers = client.predict(data_url(pad_png(5)), api_name="/look_inside")
    assert pictures.count("<img") == 2 and len(numbers["logits"]) == 10


def test_the_finished_runs_figures_stand_side_by_side_as_numbers(app_url):
    """Only the latest run's accuracy was written out: a lesson pair was compared by eye on the curves."""
    client = Client(app_url, verbose=False)
    client.predict(api_name="/clear_runs")
    runs = [train(client, epochs=1), None]
    runs[0].result(timeout=300)
    runs[1] = train(client, epochs=1, lr=0.05)
    runs[1].result(timeout=300)
    table = runs[1].outputs()[-1][RUNS_TABLE]
    assert table.count("<tr>") == 3  # a heading, then each run, oldest first
    for run in runs:
        summary = run.outputs()[-1][SUMMARY]
        accuracy = re.search(r"Test accuracy (\d+\.\d+%)", summary).group(1)
        seconds = re.search(r"(\d+\.\d) s from Train to done", summary).group(1)
        assert f"<td>{accuracy}</td>" in table and f"<td>{seconds} s</td>" in table
    client.predict(api_name="/clear_runs")
    third = train(client, epochs=1)
    third.result(timeout=300)
    assert third.outputs()[-1][RUNS_TABLE].count("<tr>") == 2  # the cleared runs are gone from it too
