"""The neuron's view and dead units, the page's side: what Explore is handed, what the Train tab says."""

import pytest
import torch

from app_server.visitors import Visitor
from app_ui import neuron
from app_ui.explore_tab import active_dead
from app_ui.neuron import dead_summary, dead_value
from mnist_model import Classifier
from mnist_model.data import load_mnist
from mnist_model.explain import DeadUnits, dead_units
from mnist_model.model import MLP


def test_explore_is_handed_the_active_models_dead_units_over_the_test_set(tiny_data, tiny_mnist, shipped):
    value = active_dead(Visitor())  # a visitor with no model of their own: the shipped one
    dead = dead_units(shipped.model, load_mnist(tiny_mnist, download=False).test_x)
    assert value == {"sizes": [64, 64, 64], "activation": "relu", "units": dead.units, "images": 100}
    assert dead.count > 0


def test_dead_units_are_counted_once_per_model(tiny_data, monkeypatch):
    clf = Classifier(MLP((16,), "sigmoid"))
    first = dead_value(clf)
    monkeypatch.setattr(neuron, "dead_units", lambda *args: pytest.fail("counted again"))
    assert dead_value(clf) == first and first["activation"] == "sigmoid"


def test_without_mnist_explore_says_so_and_nothing_is_downloaded(tmp_path, monkeypatch):
    monkeypatch.setenv("MNIST_DATA_DIR", str(tmp_path))
    assert dead_value(Classifier(MLP((16, 8)))) == {"sizes": [16, 8], "activation": "relu", "missing": True}
    assert list(tmp_path.iterdir()) == []


SUMMARIES = {
    "relu": ("**Dead units** (their sum was never above 0 for any of the 10,000 test digits: always off, and "
             "they no longer learn): layer 1: 2 of 16 (3, 9); layer 2: 0 of 8."),
    "leaky_relu": "(with leaky ReLU they still learn, slowly): layer 1: 2 of 16 (3, 9); layer 2: 0 of 8.",
    "sigmoid": "Sigmoid units cannot die. Units whose sum was never above 0",
    "tanh": "tanh units cannot die.",
}


@pytest.mark.parametrize("activation", SUMMARIES)
def test_the_train_tabs_summary_names_dead_units_and_says_what_they_mean(activation):
    said = dead_summary(DeadUnits(activation, [[3, 9], []], [16, 8], 10_000))
    assert SUMMARIES[activation] in said


def test_the_summary_names_at_most_twelve_units_a_layer_in_either_language():
    dead = DeadUnits("relu", [list(range(20))], [32], 10_000)
    assert "layer 1: 20 of 32 (0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, …)." in dead_summary(dead)
    assert "第 1 层：32 个中有 20 个 (0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, …)" in dead_summary(dead, "zh-CN")
    assert dead_summary(None) == ""


def test_a_unit_dead_by_its_bias_is_named_in_explore(tiny_data):
    model = MLP((16,))
    with torch.no_grad():
        model.layers[0].bias[5] = -1000.0
    assert 5 in dead_value(Classifier(model))["units"][0]
