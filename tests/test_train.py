"""The trainer: presets, validation, events, stop requests, determinism, learning on a tiny set."""

import threading

import pytest
import torch

from mnist_model import ConfigError
from mnist_model.augment import augment
from mnist_model.data import load_mnist
from mnist_model.train import PRESETS, EpochEnd, Finished, Progress, Stopped, TrainConfig, fit, preset, train

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
    events = list(train(preset("fast", **TINY), data, report_every=0.0))
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
    for event in train(preset("fast", **TINY), data, stop=stop, report_every=0.0):
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


def test_evaluation_counts_add_up_and_lists_mistakes(data):
    from mnist_model.evaluate import evaluate

    model = fit(preset("fast", epochs=1, batch_size=64), data).model
    m = evaluate(model, data.test_x, data.test_y)
    assert sum(map(sum, m.confusion)) == len(data.test_y)
    assert m.accuracy == pytest.approx(sum(m.confusion[d][d] for d in range(10)) / len(data.test_y))
    wrong = len(data.test_y) - sum(m.confusion[d][d] for d in range(10))
    assert len(m.mistakes) == min(wrong, 32)
    assert all(t == int(data.test_y[i]) and t != p for i, t, p in m.mistakes)


def test_augmentation_keeps_shape_and_range_and_moves_pixels(data):
    images = data.train_x[:64]
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
