"""The networks: the tutorial's multilayer perceptron, with configurable hidden layers and activation,
and a small convolutional network beside it (LeNet-sized, about 46,000 parameters); build_network
builds either from its `network` dict.

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
NUM_CLASSES = 10  # the ten digits: the lesson's answers
ANSWERS = (NUM_CLASSES, NUM_CLASSES + 1)  # a network answers with the digits, or with "not a digit" too (not_digits.py)
LEAKY_SLOPE = 0.01  # torch's default; the page's forward pass (app_ui/static/mlp.js) is handed it
ACTIVATIONS = {
    "relu": nn.ReLU,
    "sigmoid": nn.Sigmoid,
    "tanh": nn.Tanh,
    "leaky_relu": lambda: nn.LeakyReLU(LEAKY_SLOPE),
}
DEFAULT_ACTIVATION = "relu"
ARCHITECTURES = ("mlp", "cnn")  # the lesson's MLP (the default), or the small CNN
DEFAULT_ARCHITECTURE = "mlp"


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


def validate_answers(answers) -> int:
    """`answers` if it is one of ANSWERS (10: the digits; 11: and "not a digit"), else ConfigError."""
    if isinstance(answers, bool) or answers not in ANSWERS:
        raise ConfigError("answers_choice", got=answers)
    return int(answers)


def validate_architecture(name) -> str:
    """`name` if it is one of ARCHITECTURES, else ConfigError listing them."""
    if not isinstance(name, str) or name not in ARCHITECTURES:
        raise ConfigError("architecture_choice", choices=", ".join(ARCHITECTURES), got=name)
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
    Output: log-probabilities, shape (N, 10); train with NLL loss. With `answers` 11, an 11th output
    says "not a digit" (not_digits.py).
    """

    def __init__(self, hidden: Sequence[int] = DEFAULT_HIDDEN, activation: str = DEFAULT_ACTIVATION,
                 answers: int = NUM_CLASSES):
        super().__init__()
        self.hidden = validate_hidden(hidden)
        self.activation = validate_activation(activation)
        self.answers = validate_answers(answers)
        sizes = (INPUT_SIZE, *self.hidden, self.answers)
        self.layers = nn.ModuleList(nn.Linear(a, b) for a, b in zip(sizes[:-1], sizes[1:]))
        # one activation module per hidden layer (no parameters): forward hooks on them see each
        # hidden layer's activations as the network computes them (see explain.py)
        self.activations = nn.ModuleList(ACTIVATIONS[self.activation]() for _ in self.hidden)

    @property
    def network(self) -> dict:
        """What builds this network again (build_network(**network)); equal for two networks of the same shape."""
        return _with_answers({"architecture": "mlp", "hidden": self.hidden, "activation": self.activation}, self.answers)

    def logits(self, x: torch.Tensor) -> torch.Tensor:
        x = x.reshape(x.shape[0], INPUT_SIZE)
        for layer, activation in zip(self.layers, self.activations):
            x = activation(layer(x))
        return self.layers[-1](x)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return F.log_softmax(self.logits(x), dim=1)

    def __repr__(self) -> str:
        shape = " -> ".join(map(str, (INPUT_SIZE, *self.hidden, self.answers)))
        return f"MLP({shape})" if self.activation == DEFAULT_ACTIVATION else f"MLP({shape}, {self.activation})"


# --- the small CNN (issue 22) ------------------------------------------------------------------

CNN_KERNEL = 5  # 5 x 5 filters, no padding: 28 -> 24, and 12 -> 8 after the first pooling
CNN_CHANNELS = (8, 16)  # feature maps of the two convolutions
CNN_UNITS = 160  # the fully connected hidden layer between the feature maps and the ten scores
CNN_POOL = 2  # 2 x 2 max pooling after each convolution's activation


def cnn_shapes() -> list[tuple[int, int]]:
    """(channels, side) of each convolution's feature maps, as the activation outputs them."""
    shapes, side = [], 28
    for channels in CNN_CHANNELS:
        side = side - CNN_KERNEL + 1
        shapes.append((channels, side))
        side //= CNN_POOL
    return shapes


# the hidden layer's inputs: the last convolution's feature maps, pooled, flattened (16 x 4 x 4)
CNN_FLAT = CNN_CHANNELS[-1] * (cnn_shapes()[-1][1] // CNN_POOL) ** 2


class CNN(nn.Module):
    """28x28 -> conv 5x5 (8 maps) -> pool -> conv 5x5 (16 maps) -> pool -> 160 -> 10, LeNet-sized,
    with the chosen activation after each convolution and the hidden layer, log-softmax at the end.

    Input and output as MLP's. `layers` holds the four layers that have weights (conv, conv, linear,
    linear) and `activations` one module per hidden stage, so that forward hooks see the feature
    maps (explain.py) and per-layer views treat both networks alike.
    """

    def __init__(self, activation: str = DEFAULT_ACTIVATION, answers: int = NUM_CLASSES):
        super().__init__()
        self.activation = validate_activation(activation)
        self.answers = validate_answers(answers)
        c1, c2 = CNN_CHANNELS
        self.layers = nn.ModuleList([
            nn.Conv2d(1, c1, CNN_KERNEL), nn.Conv2d(c1, c2, CNN_KERNEL),
            nn.Linear(CNN_FLAT, CNN_UNITS), nn.Linear(CNN_UNITS, self.answers),
        ])
        self.activations = nn.ModuleList(ACTIVATIONS[self.activation]() for _ in range(3))
        self.pool = nn.MaxPool2d(CNN_POOL)

    @property
    def network(self) -> dict:
        """What builds this network again (build_network(**network))."""
        return _with_answers({"architecture": "cnn", "activation": self.activation}, self.answers)

    def logits(self, x: torch.Tensor) -> torch.Tensor:
        conv1, conv2, hidden, out = self.layers
        act1, act2, act3 = self.activations
        x = x.reshape(x.shape[0], 1, 28, 28)
        x = self.pool(act1(conv1(x)))
        x = self.pool(act2(conv2(x)))
        return out(act3(hidden(x.flatten(1))))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return F.log_softmax(self.logits(x), dim=1)

    def __repr__(self) -> str:
        shown = [self.activation] * (self.activation != DEFAULT_ACTIVATION) + [f"{self.answers} answers"] * (
            self.answers != NUM_CLASSES)
        return f"CNN({', '.join(shown)})"


def _with_answers(network: dict, answers: int) -> dict:
    """A `network` dict naming its answers when they are not the ten digits (a ten-answer network's
    dict is as it was before "not a digit")."""
    return network if answers == NUM_CLASSES else {**network, "answers": answers}


def answers_of(network: dict) -> int:
    """How many answers the network `network` describes gives: 10, or 11 with "not a digit"."""
    return network.get("answers", NUM_CLASSES)


def build_network(architecture: str = DEFAULT_ARCHITECTURE, **shape) -> nn.Module:
    """The network a `network` dict describes (an MLP when it names no architecture: older ones)."""
    if validate_architecture(architecture) == "cnn":
        return CNN(**shape)
    return MLP(**shape)


def multiply_adds(network: dict) -> int:
    """Multiply-adds of one image's forward pass through the network `network` describes: what a
    network costs to run (a convolution's weights are used many times over, a linear layer's once)."""
    if network.get("architecture", DEFAULT_ARCHITECTURE) == "mlp":
        sizes = (INPUT_SIZE, *network["hidden"], answers_of(network))
        return sum(a * b for a, b in zip(sizes[:-1], sizes[1:]))
    (c1, side1), (c2, side2) = cnn_shapes()
    return (side1**2 * c1 * CNN_KERNEL**2 + side2**2 * c2 * c1 * CNN_KERNEL**2
            + CNN_FLAT * CNN_UNITS + CNN_UNITS * answers_of(network))


def activation_sizes(network: dict) -> list[int]:
    """Numbers one image's forward pass holds per stage, the input and the scores included."""
    if network.get("architecture", DEFAULT_ARCHITECTURE) == "mlp":
        return [INPUT_SIZE, *network["hidden"], answers_of(network)]
    maps = [channels * side * side for channels, side in cnn_shapes()]
    pooled = [m // CNN_POOL**2 for m in maps]
    return [INPUT_SIZE, maps[0], pooled[0], maps[1], pooled[1], CNN_UNITS, answers_of(network)]


ACTIVATION_NAMES = {"relu": "ReLU", "sigmoid": "sigmoid", "tanh": "tanh", "leaky_relu": "leaky ReLU"}  # alike in both languages


def network_text(network: dict) -> str:
    """A network's shape as people read it, in any language: '784 → 64 → 64 → 64 → 10, ReLU', or
    the small CNN's feature maps '28×28 → 8×24×24 → 16×8×8 → 160 → 10, ReLU'."""
    if network.get("architecture") == "cnn":
        maps = [f"{channels}×{side}×{side}" for channels, side in cnn_shapes()]
        sizes = " → ".join(["28×28", *maps, str(CNN_UNITS), str(answers_of(network))])
    else:
        sizes = " → ".join(map(str, (784, *network["hidden"], answers_of(network))))
    return f"{sizes}, {ACTIVATION_NAMES[network['activation']]}"
