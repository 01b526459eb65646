import pytest
import torch

from mnist_model import ConfigError
from mnist_model.model import MLP, parse_hidden


def test_default_network_is_the_tutorials_784_64_64_64_10():
    model = MLP()
    shapes = [tuple(layer.weight.shape) for layer in model.layers]
    assert shapes == [(64, 784), (64, 64), (64, 64), (10, 64)]
    assert repr(model) == "MLP(784 -> 64 -> 64 -> 64 -> 10)"


def test_forward_returns_log_probabilities_for_images_or_flat_vectors():
    model = MLP((32,))
    images = torch.rand(5, 28, 28)
    out = model(images)
    assert out.shape == (5, 10)
    assert torch.allclose(out.exp().sum(1), torch.ones(5), atol=1e-5)
    assert torch.equal(out, model(images.view(5, 784)))


@pytest.mark.parametrize("hidden", [(8,), (1024,), (16, 16, 16, 16, 16, 16), (128, 32)], ids=["min-units", "max-units", "six-layers", "mixed"])
def test_hidden_layers_are_configurable(hidden):
    model = MLP(hidden)
    assert model.hidden == hidden
    assert len(model.layers) == len(hidden) + 1


@pytest.mark.parametrize(
    "hidden, message",
    [
        pytest.param((), "1 to 6 hidden layers, got 0", id="no-layers"),
        pytest.param((64,) * 7, "1 to 6 hidden layers, got 7", id="seven-layers"),
        pytest.param((7,), "8 to 1024 units, got 7", id="too-narrow"),
        pytest.param((1025,), "8 to 1024 units, got 1025", id="too-wide"),
        pytest.param((64.5,), "got 64.5", id="fractional"),
        pytest.param("64", "must be a list of integers", id="string"),
        pytest.param((True,), "got True", id="bool"),
    ],
)
def test_invalid_hidden_sizes_are_refused_with_the_value(hidden, message):
    with pytest.raises(ConfigError, match=message):
        MLP(hidden)


def test_hidden_sizes_parse_from_text():
    assert parse_hidden("64,64,64") == (64, 64, 64)
    assert parse_hidden(" 128 32 ") == (128, 32)
    with pytest.raises(ConfigError, match="whole numbers like 64,64,64, got 'a,b'"):
        parse_hidden("a,b")
