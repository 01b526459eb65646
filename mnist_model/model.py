"""The network: the tutorial's multilayer perceptron, with configurable hidden layers."""

from collections.abc import Sequence

import torch
import torch.nn.functional as F
from torch import nn

from .errors import ConfigError

DEFAULT_HIDDEN = (64, 64, 64)  # the tutorial's 784 -> 64 -> 64 -> 64 -> 10
MIN_LAYERS, MAX_LAYERS = 1, 6
MIN_UNITS, MAX_UNITS = 8, 1024
INPUT_SIZE = 28 * 28
NUM_CLASSES = 10


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


def parse_hidden(text: str) -> tuple[int, ...]:
    """Parse '64,64,64' (commas or spaces) into validated hidden sizes."""
    parts = text.replace(",", " ").split()
    try:
        sizes = [int(p) for p in parts]
    except ValueError:
        raise ConfigError("hidden_text", got=text) from None
    return validate_hidden(sizes)


class MLP(nn.Module):
    """784 -> hidden... -> 10 with ReLU between layers and log-softmax at the end.

    Input: a batch of 28x28 images in [0, 1], white digit on black, shape (N, 28, 28) or (N, 784).
    Output: log-probabilities, shape (N, 10); train with NLL loss.
    """

    def __init__(self, hidden: Sequence[int] = DEFAULT_HIDDEN):
        super().__init__()
        self.hidden = validate_hidden(hidden)
        sizes = (INPUT_SIZE, *self.hidden, NUM_CLASSES)
        self.layers = nn.ModuleList(nn.Linear(a, b) for a, b in zip(sizes[:-1], sizes[1:]))
        # one ReLU module per hidden layer (no parameters): forward hooks on them see each
        # hidden layer's activations as the network computes them (see explain.py)
        self.activations = nn.ModuleList(nn.ReLU() for _ in self.hidden)

    def logits(self, x: torch.Tensor) -> torch.Tensor:
        x = x.reshape(x.shape[0], INPUT_SIZE)
        for layer, activation in zip(self.layers, self.activations):
            x = activation(layer(x))
        return self.layers[-1](x)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return F.log_softmax(self.logits(x), dim=1)

    def __repr__(self) -> str:
        return f"MLP({' -> '.join(map(str, (INPUT_SIZE, *self.hidden, NUM_CLASSES)))})"
