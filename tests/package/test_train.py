"""The trainer: presets, validation, events, stop requests, determinism, learning on a tiny set."""

import copy
import threading
import time

import numpy as np
import pytest
import torch

from mnist_model import ConfigError
from mnist_model.augment import augment
from mnist_model.config import PRESETS, TrainConfig, preset
from mnist_model.data import MnistTensors, load_mnist
from mnist_model.sampling import as_float
from mnist_model.step import new_run, take_step
from mnist_model.train import fit, train
from mnist_model.train_events import EpochEnd, Evaluation, Finished, Progress, Stopped

TINY = dict(epochs=3, batch_size=16, lr=0.01, schedule="onecycle")


@pytest.fixture(scope="module")
def data(tiny_mnist):
    return load_mnist(tiny_mnist, download=False)


def test_seed_preset_is_the_tutorials_recipe():
    assert PRESETS["seed"] == TrainConfig(
        hidden=(64, 64, 64), epochs=2, batch_size=15, lr=0.001, optimizer="adam", schedule="constant", augment=False
    )


def test_best_preset_trains_with_augmentation_and_onecycle():
    assert PRESETS["best"].augment and PRESETS["best"].schedule == "onecycle"


def test_explicit_values_override_the_preset():
    cfg = preset("fast", epochs=5, hidden=[32])
    assert cfg.epochs == 5 and cfg.hidden == (32,) and cfg.lr == PRESETS["fast"].lr


@pytest.mark.parametrize(
    "overrides, message",
    [
        pytest.param({"epochs": 0}, "epochs must be a whole number from 1 to 200, got 0", id="zero-epochs"),
        pytest.param({"epochs": 2.5}, "epochs must be a whole number", id="fractional-epochs"),
        pytest.param({"batch_size": 0}, "batch size must be", id="zero-batch"),
        pytest.param({"lr": -1.0}, "learning rate must be a number above 0", id="negative-lr"),
        pytest.param({"lr": float("nan")}, "learning rate", id="nan-lr"),
        pytest.param({"optimizer": "rmsprop"}, "optimizer must be one of adam, sgd, got 'rmsprop'", id="optimizer"),
        pytest.param({"schedule": "cosine"}, "schedule must be one of constant, onecycle", id="schedule"),
        pytest.param({"hidden": (4,)}, "8 to 1024 units, got 4", id="hidden"),
        pytest.param({"seed": -1}, "seed must be a whole number of at least 0", id="seed"),
        pytest.param({"colour": "red"}, "unknown training setting(s): colour", id="unknown-field"),
    ],
)
def test_impossible_settings_are_refused_naming_the_field(overrides, message):
    with pytest.raises(ConfigError) as info:
        preset("fast", **overrides)
    assert message in str(info.value)


def test_unknown_preset_is_refused():
    with pytest.raises(ConfigError, match="unknown preset 'turbo': choose one of seed, fast, best"):
        preset("turbo")


def test_training_on_a_tiny_set_learns_and_reports_events_in_order(data):
    events = list(train(preset("fast", **TINY), data))
    kinds = [type(e).__name__ for e in events]
    assert kinds[-1] == "Finished"
    assert kinds.count("EpochEnd") == 3
    progress = [e for e in events if isinstance(e, Progress)]
    assert progress and all(p.loss > 0 and p.samples_per_s > 0 for p in progress)
    fractions = [p.fraction for p in progress]
    assert fractions == sorted(fractions) and fractions[-1] == 1.0
    done = events[-1]
    assert done.result.test_accuracy > 0.5  # chance is 0.1
    assert done.result.history[-1].test_accuracy == done.result.test_accuracy
    assert next(done.model.parameters()).device.type == "cpu" and not done.model.training


def test_a_stop_request_ends_the_run_within_one_step_and_returns_no_model(data):
    stop = threading.Event()
    events = []
    for event in train(preset("fast", **TINY), data, stop=stop):
        events.append(event)
        if isinstance(event, Progress) and event.step == 3:
            stop.set()
    assert isinstance(events[-1], Stopped)
    assert (events[-1].epoch, events[-1].step) == (1, 3)
    assert not any(isinstance(e, (Finished, EpochEnd)) for e in events)


def test_same_seed_gives_the_same_model_and_another_seed_does_not(data):
    cfg = preset("fast", **TINY, augment=True)
    a, b = fit(cfg, data), fit(cfg, data)
    c = fit(preset("fast", **TINY, augment=True, seed=1), data)
    for pa, pb in zip(a.model.parameters(), b.model.parameters()):
        assert torch.equal(pa, pb)
    assert not torch.equal(next(a.model.parameters()), next(c.model.parameters()))


def test_training_does_not_disturb_the_global_random_state(data):
    torch.manual_seed(123)
    expected = torch.rand(3)
    torch.manual_seed(123)
    fit(preset("fast", **TINY), data)
    assert torch.equal(torch.rand(3), expected)


@pytest.mark.parametrize("optimizer, schedule", [("sgd", "constant"), ("sgd", "onecycle"), ("adam", "constant")])
def test_every_optimizer_and_schedule_trains(data, optimizer, schedule):
    lr = 0.1 if optimizer == "sgd" else 0.01
    done = fit(preset("fast", epochs=3, batch_size=16, lr=lr, optimizer=optimizer, schedule=schedule), data)
    assert done.result.test_accuracy > 0.3


def test_evaluation_agrees_with_a_prediction_per_image(data):
    """Against the network asked about each test image on its own, as the tutorial's loop does."""
    from mnist_model.evaluate import evaluate

    model = fit(preset("fast", epochs=1, batch_size=64), data).model
    m = evaluate(model, data.test_x, data.test_y)
    with torch.no_grad():
        predicted = [int(model(image[None]).argmax()) for image in data.test_x]
    labels = data.test_y.tolist()
    assert m.accuracy == sum(p == t for p, t in zip(predicted, labels)) / len(labels)
    for digit in range(10):
        mine = [p for p, t in zip(predicted, labels) if t == digit]
        assert m.per_class[digit] == pytest.approx(mine.count(digit) / len(mine))
        assert m.confusion[digit] == [mine.count(q) for q in range(10)]
    wrong = [(i, t, p) for i, (p, t) in enumerate(zip(predicted, labels)) if p != t]
    assert m.mistakes == wrong[:32]


def test_augmentation_keeps_shape_and_range_and_moves_pixels(data):
    images = as_float(data.train_x[:64])
    out = augment(images, torch.Generator().manual_seed(0))
    assert out.shape == images.shape
    assert out.min() >= 0 and out.max() <= 1.0 + 1e-6
    assert (out - images).abs().mean() > 0.01
    again = augment(images, torch.Generator().manual_seed(0))
    assert torch.equal(out, again)


def test_data_on_another_device_than_asked_is_refused(data):
    with pytest.raises(ConfigError, match="the data is on cpu"):
        next(train(preset("fast"), data, device=torch.device("meta")))


def test_fast_dilation_equals_max_pooling():
    from mnist_model.augment import _dilate

    x = torch.rand(7, 28, 28)
    assert torch.equal(_dilate(x), torch.nn.functional.max_pool2d(x.unsqueeze(1), 3, 1, 1).squeeze(1))


def test_sampling_grid_equals_affine_grid():
    from mnist_model.augment import _base_grid

    theta = torch.randn(5, 2, 3)
    expected = torch.nn.functional.affine_grid(theta, (5, 1, 28, 28), align_corners=False)
    grid = (_base_grid(28, 28, "cpu") @ theta.transpose(1, 2)).view(5, 28, 28, 2)
    assert torch.allclose(grid, expected, atol=1e-5)


def test_a_short_run_draws_curves_of_at_least_100_loss_and_10_accuracy_points_in_epochs(data):
    events = list(train(preset("fast", epochs=2, batch_size=16, lr=0.01), data, evaluations=12))
    losses = [e for e in events if isinstance(e, Progress)]
    accuracies = [e for e in events if isinstance(e, Evaluation)]
    assert len(losses) >= 50 and len(accuracies) >= 10  # 50 steps in all: a point per step
    positions = [e.position for e in losses]
    assert positions == sorted(positions) and positions[-1] == 2.0 and 0 < positions[0] < 0.1  # epochs, not steps
    assert [e.position for e in accuracies if e.step == e.steps_per_epoch] == [1.0, 2.0]  # and every epoch's end
    assert sum(0 < e.position < 1 for e in accuracies) >= 4  # several during a short epoch


def test_a_long_run_still_has_about_200_loss_points():
    from mnist_model.train import LOSS_POINTS

    n = 6000
    big = MnistTensors(torch.rand(n, 28, 28), torch.randint(10, (n,)), torch.rand(10, 28, 28), torch.randint(10, (10,)))
    events = list(train(preset("fast", hidden=(8,), epochs=4, batch_size=8), big))
    points = sum(isinstance(e, Progress) for e in events)
    assert LOSS_POINTS <= points <= LOSS_POINTS + 4  # 3,000 steps: one point per 15 steps


def test_a_step_changes_the_weights_exactly_as_one_optimiser_step_on_its_batch(data):
    cfg = preset("seed")
    run = new_run(cfg)
    take_step(run, data)  # not the first step: Adam's running averages matter too
    model, optimizer = copy.deepcopy(run.model), torch.optim.Adam(run.model.parameters(), lr=cfg.lr)
    optimizer = torch.optim.Adam(model.parameters(), lr=cfg.lr)
    optimizer.load_state_dict(copy.deepcopy(run.optimizer.state_dict()))
    report = take_step(run, data)
    assert report.images.shape == (15, 28, 28) and report.steps == 2
    loss = torch.nn.functional.nll_loss(model(torch.from_numpy(report.images)), torch.from_numpy(report.labels))
    optimizer.zero_grad()
    loss.backward()
    assert report.loss == pytest.approx(loss.item(), rel=1e-6)
    assert report.gradient_norms == pytest.approx(
        [float(torch.cat([l.weight.grad.ravel(), l.bias.grad.ravel()]).norm()) for l in model.layers], rel=1e-5)
    before = model.layers[0].weight.detach().clone()
    optimizer.step()
    for mine, independent in zip(run.model.parameters(), model.parameters()):
        torch.testing.assert_close(mine, independent, rtol=0, atol=1e-7)
    torch.testing.assert_close(torch.from_numpy(report.weight_change), model.layers[0].weight.detach() - before,
                               rtol=0, atol=1e-7)
    with torch.no_grad():
        after = model(torch.from_numpy(report.images)).exp().numpy()
    np.testing.assert_allclose(report.after, after, atol=1e-6)
    assert report.loss_after < report.loss  # the step went downhill on its own batch


def test_training_continues_a_run_taken_step_by_step(data):
    cfg = preset("fast", epochs=1, batch_size=16, lr=0.01)
    run = new_run(cfg)
    for _ in range(3):
        take_step(run, data)
    stepped = [p.detach().clone() for p in run.model.parameters()]
    fresh = fit(cfg, data).model
    events = []
    for event in train(cfg, data, go_on=run):
        events.append(event)
        if isinstance(event, Progress) and event.step == 1:  # after Train's first step: close to the stepped net
            moved = max(float((p.detach() - q).abs().max()) for p, q in zip(run.model.parameters(), stepped))
            assert moved < 0.05
    done = events[-1]
    assert done.result.continued == 3
    assert not torch.equal(next(done.model.parameters()), next(fresh.parameters()))


def test_a_paced_run_takes_its_time(data):
    start = time.perf_counter()
    list(train(preset("fast", epochs=1, batch_size=100, lr=0.01), data, pace=20.0))  # 4 steps at 20 per second
    assert time.perf_counter() - start >= 3 / 20


def test_a_stop_request_ends_a_paced_run_without_waiting_out_the_pace(data):
    stop = threading.Event()
    events = []
    for event in train(preset("fast", epochs=1, batch_size=100, lr=0.01), data, stop=stop, pace=0.05):
        events.append(event)
        if not stop.is_set():
            stop.set()
            asked = time.perf_counter()
    assert isinstance(events[-1], Stopped) and time.perf_counter() - asked < 10  # the next step was 20 s away


@pytest.mark.parametrize("batch_size", [400, 200, 134, 100], ids=["1-step", "2-steps", "3-steps", "4-steps"])
def test_the_one_cycle_schedule_copes_with_runs_of_a_few_steps(data, batch_size):
    assert isinstance(fit(preset("fast", epochs=1, batch_size=batch_size), data), Finished)


# --- the gradient's flow (issue 22) -----------------------------------------------------------------


def test_each_loss_point_carries_each_layers_gradient_length_from_the_runs_own_backward_pass(data):
    cfg = TrainConfig(hidden=(16, 16), epochs=1, batch_size=16)
    events = list(train(cfg, data, torch.device("cpu"), report_every=0.0))
    points = [e for e in events if isinstance(e, Progress) and e.point]
    measured = [p for p in points if p.gradients is not None]
    assert len(measured) >= len(points) // 2 and measured[-1] is points[-1]  # every other point, and the last
    assert all(len(p.gradients) == 3 and all(g > 0 for g in p.gradients) for p in measured)
    assert all(e.gradients is None for e in events if isinstance(e, Progress) and not e.point)
    # the finished network still holds its last step's gradients: the last point's lengths are theirs,
    # each layer's weights' and biases' gradients together
    model = events[-1].model
    expected = [torch.cat([layer.weight.grad.flatten(), layer.bias.grad.flatten()]).norm().item()
                for layer in model.layers]
    assert points[-1].gradients == pytest.approx(expected, rel=1e-5)


def test_the_lesson_pair_differs_only_in_its_activation():
    sigmoid, relu = PRESETS["deep_sigmoid"], PRESETS["deep_relu"]
    assert (sigmoid.activation, relu.activation) == ("sigmoid", "relu") and sigmoid.hidden == (64,) * 8
    assert {**sigmoid.to_dict(), "activation": "relu"} == relu.to_dict()


def test_through_eight_sigmoid_layers_the_first_layers_gradient_vanishes_and_through_relus_it_does_not(data):
    def first_over_last(name: str) -> float:
        first = next(e for e in train(preset(name), data, torch.device("cpu"), max_steps=1) if isinstance(e, Progress))
        return first.gradients[0] / first.gradients[-1]

    assert first_over_last("deep_sigmoid") < 1e-5 < 1e-3 < first_over_last("deep_relu")


def test_a_step_on_a_run_of_other_batches_takes_the_lessons_batch_and_names_the_runs(data):
    report = take_step(new_run(preset("fast", batch_size=64)), data)
    assert len(report.labels) == 15 and report.run_batch == 64
