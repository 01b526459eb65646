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


@pytest.mark.parametrize("hidden", [(8,), (1024,), (16,) * 10, (128, 32)], ids=["min-units", "max-units", "ten-layers", "mixed"])
def test_hidden_layers_are_configurable(hidden):
    model = MLP(hidden)
    assert model.hidden == hidden
    assert len(model.layers) == len(hidden) + 1


@pytest.mark.parametrize(
    "hidden, message",
    [
        pytest.param((), "1 to 10 hidden layers, got 0", id="no-layers"),
        pytest.param((64,) * 11, "1 to 10 hidden layers, got 11", id="eleven-layers"),
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


@pytest.mark.parametrize("activation, function", [
    ("relu", torch.relu), ("sigmoid", torch.sigmoid), ("tanh", torch.tanh),
    ("leaky_relu", lambda x: torch.where(x >= 0, x, 0.01 * x)),
])
def test_each_hidden_layer_applies_the_chosen_activation_and_the_output_none(activation, function):
    torch.manual_seed(0)
    model = MLP((16, 12), activation)
    x = torch.rand(4, 784)
    expected = model.layers[2](function(model.layers[1](function(model.layers[0](x)))))
    torch.testing.assert_close(model.logits(x), expected)
    assert model.network == {"architecture": "mlp", "hidden": (16, 12), "activation": activation}


def test_relu_is_the_default_activation_and_an_unknown_one_is_refused_naming_the_choices():
    assert MLP().activation == "relu"
    with pytest.raises(ConfigError, match="activation must be one of relu, sigmoid, tanh, leaky_relu, got 'swish'"):
        MLP((16,), "swish")
