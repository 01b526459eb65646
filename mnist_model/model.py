"""The network: the tutorial's multilayer perceptron, with configurable hidden layers and activation.

The activation is the lesson's choice: ReLU (the tutorial's, and the default), the logistic sigmoid
(whose gradient vanishes through a few layers), tanh (sigmoid centred on zero) and leaky ReLU (ReLU
that never switches a unit wholly off, the cure for dead units).
"""

from collections.abc import Sequence

import torch
import torch.nn.functional as F
from torch import nn

from .errors import ConfigError

DEFAULT_HIDDEN = (64, 64, 64)  # the tutorial's 784 -> 64 -> 64 -> 64 -> 10
MIN_LAYERS, MAX_LAYERS = 1, 10  # deep enough to watch sigmoid's gradient vanish
MIN_UNITS, MAX_UNITS = 8, 1024
INPUT_SIZE = 28 * 28
NUM_CLASSES = 10
LEAKY_SLOPE = 0.01  # torch's default; the page's forward pass (app_ui/static/mlp.js) uses the same
ACTIVATIONS = {
    "relu": nn.ReLU,
    "sigmoid": nn.Sigmoid,
    "tanh": nn.Tanh,
    "leaky_relu": lambda: nn.LeakyReLU(LEAKY_SLOPE),
}
DEFAULT_ACTIVATION = "relu"


def validate_hidden(hidden: Sequence[int]) -> tuple[int, ...]:
    """Return `hidden` as a tuple of ints, or raise ConfigError naming what is out of range."""
    if isinstance(hidden, (str, bytes)) or not isinstance(hidden, Sequence):
        raise ConfigError("hidden_not_list", got=hidden)
    if not MIN_LAYERS <= len(hidden) <= MAX_LAYERS:
        raise ConfigError("hidden_layers", min=MIN_LAYERS, max=MAX_LAYERS, got=len(hidden))
    sizes = []
    for units in hidden:
        if isinstance(units, bool) or not isinstance(units, int) or not MIN_UNITS <= units <= MAX_UNITS:
            raise ConfigError("hidden_units", min=MIN_UNITS, max=MAX_UNITS, got=units)
        sizes.append(units)
    return tuple(sizes)


def validate_activation(name) -> str:
    """`name` if it is one of ACTIVATIONS, else ConfigError listing them."""
    if not isinstance(name, str) or name not in ACTIVATIONS:
        raise ConfigError("activation_choice", choices=", ".join(ACTIVATIONS), got=name)
    return name


def parse_hidden(text: str) -> tuple[int, ...]:
    """Parse '64,64,64' (commas or spaces) into validated hidden sizes."""
    parts = text.replace(",", " ").split()
    try:
        sizes = [int(p) for p in parts]
    except ValueError:
        raise ConfigError("hidden_text", got=text) from None
    return validate_hidden(sizes)


class MLP(nn.Module):
    """784 -> hidden... -> 10 with an activation (ReLU by default) between layers and log-softmax at the end.

    Input: a batch of 28x28 images in [0, 1], white digit on black, shape (N, 28, 28) or (N, 784).
    Output: log-probabilities, shape (N, 10); train with NLL loss.
    """

    def __init__(self, hidden: Sequence[int] = DEFAULT_HIDDEN, activation: str = DEFAULT_ACTIVATION):
        super().__init__()
        self.hidden = validate_hidden(hidden)
        self.activation = validate_activation(activation)
        sizes = (INPUT_SIZE, *self.hidden, NUM_CLASSES)
        self.layers = nn.ModuleList(nn.Linear(a, b) for a, b in zip(sizes[:-1], sizes[1:]))
        # one activation module per hidden layer (no parameters): forward hooks on them see each
        # hidden layer's activations as the network computes them (see explain.py)
        self.activations = nn.ModuleList(ACTIVATIONS[self.activation]() for _ in self.hidden)

    @property
    def network(self) -> dict:
        """What builds this network again (MLP(**network)); equal for two networks of the same shape."""
        return {"hidden": self.hidden, "activation": self.activation}

    def logits(self, x: torch.Tensor) -> torch.Tensor:
        x = x.reshape(x.shape[0], INPUT_SIZE)
        for layer, activation in zip(self.layers, self.activations):
            x = activation(layer(x))
        return self.layers[-1](x)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return F.log_softmax(self.logits(x), dim=1)

    def __repr__(self) -> str:
        shape = " -> ".join(map(str, (INPUT_SIZE, *self.hidden, NUM_CLASSES)))
        return f"MLP({shape})" if self.activation == DEFAULT_ACTIVATION else f"MLP({shape}, {self.activation})"
