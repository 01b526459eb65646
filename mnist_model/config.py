"""What a training run is asked to do: the recipe (TrainConfig), its presets, and its fields.

    cfg = preset("fast", epochs=3)                    # a preset with some fields replaced, validated
    cfg = read_fields("best", {"hidden": "128,64"})   # the same from a form's or a caller's raw values

FIELDS declares every setting a person may change, once: the page's form, the API's parameters,
the config reader and the CLI's flags are all made from it, so none of them can miss one. Values
from outside (a form, an API caller, a command line) are read strictly: a number given as text, a
fractional epoch count or a switch that is not a boolean is refused with a message naming the field,
never guessed at.
"""

import math
from collections.abc import Mapping
from dataclasses import asdict, dataclass, replace

from .errors import ConfigError
from .model import (ACTIVATIONS, ARCHITECTURES, DEFAULT_ACTIVATION, DEFAULT_ARCHITECTURE, DEFAULT_HIDDEN, NUM_CLASSES,
                    parse_hidden, validate_activation, validate_architecture, validate_hidden)

OPTIMIZERS = ("adam", "sgd")
SCHEDULES = ("constant", "onecycle")
MAX_EPOCHS = 200
MAX_BATCH = 60_000
MAX_DRAWN = 0.9  # some MNIST stays in every epoch: its test accuracy is still measured
MAX_NOT_A_DIGIT = 0.5  # and at least half of each epoch is digits
MAX_SMOOTHING = 0.5
MAX_LR = 10.0


@dataclass(frozen=True)
class TrainConfig:
    architecture: str = DEFAULT_ARCHITECTURE  # mlp (the tutorial's), or cnn (the small convolutional network)
    hidden: tuple[int, ...] = DEFAULT_HIDDEN  # hidden layer sizes of the MLP; the tutorial's 64, 64, 64
    activation: str = DEFAULT_ACTIVATION  # between the layers: relu (the tutorial's), sigmoid, tanh, leaky_relu
    epochs: int = 2  # passes over the 60,000 training images
    batch_size: int = 15  # images per optimiser step
    lr: float = 1e-3  # learning rate (the peak rate with the one-cycle schedule)
    optimizer: str = "adam"  # adam, or sgd (with momentum)
    momentum: float = 0.9  # SGD only
    schedule: str = "constant"  # constant, or onecycle (warm up, then anneal to ~0)
    augment: bool = False  # random shifts, rotations, scalings and stroke widths, on the device
    drawn: float = 0.0  # share of each epoch's images that are pen-written digits (pen_digits.py); 0 = MNIST only
    # share of each epoch's images that are not digits (letters, doodles: not_digits.py), learned as an
    # 11th answer, "not a digit"; 0 = the lesson's ten answers
    not_a_digit: float = 0.0
    label_smoothing: float = 0.0  # share of each target spread over all the answers; 0 = the lesson's NLL loss
    seed: int = 0  # same seed + same device = same model

    def __post_init__(self):
        """A config is valid once built (nothing after it checks again): ConfigError naming the bad
        field, else its values normalised (hidden sizes a tuple of ints, numbers floats)."""
        validate_architecture(self.architecture)
        hidden = validate_hidden(self.hidden)
        validate_activation(self.activation)
        if not _is_int(self.epochs) or not 1 <= self.epochs <= MAX_EPOCHS:
            raise ConfigError("epochs_range", max=MAX_EPOCHS, got=self.epochs)
        if not _is_int(self.batch_size) or not 1 <= self.batch_size <= MAX_BATCH:
            raise ConfigError("batch_range", max=MAX_BATCH, got=self.batch_size)
        if not _is_number(self.lr) or not 0 < self.lr <= MAX_LR or not math.isfinite(self.lr):
            raise ConfigError("lr_range", got=self.lr)
        if self.optimizer not in OPTIMIZERS:
            raise ConfigError("optimizer_choice", choices=", ".join(OPTIMIZERS), got=self.optimizer)
        if not _is_number(self.momentum) or not 0 <= self.momentum < 1:
            raise ConfigError("momentum_range", got=self.momentum)
        if self.schedule not in SCHEDULES:
            raise ConfigError("schedule_choice", choices=", ".join(SCHEDULES), got=self.schedule)
        if not isinstance(self.augment, bool):
            raise ConfigError("augment_bool", got=self.augment)
        if not _is_number(self.drawn) or not 0 <= self.drawn <= MAX_DRAWN:
            raise ConfigError("drawn_range", max=MAX_DRAWN, got=self.drawn)
        if not _is_number(self.not_a_digit) or not 0 <= self.not_a_digit <= MAX_NOT_A_DIGIT:
            raise ConfigError("not_a_digit_range", max=MAX_NOT_A_DIGIT, got=self.not_a_digit)
        if self.drawn + self.not_a_digit > MAX_DRAWN + 1e-9:  # (0.56 + 0.34 is 0.9000000000000001)
            raise ConfigError("shares_sum", max=MAX_DRAWN, drawn=self.drawn, not_a_digit=self.not_a_digit)
        if not _is_number(self.label_smoothing) or not 0 <= self.label_smoothing <= MAX_SMOOTHING:
            raise ConfigError("smoothing_range", max=MAX_SMOOTHING, got=self.label_smoothing)
        if not _is_int(self.seed) or not 0 <= self.seed < 2**63:
            raise ConfigError("seed_range", got=self.seed)
        for name, value in (("hidden", hidden), ("lr", float(self.lr)), ("momentum", float(self.momentum)),
                            ("drawn", float(self.drawn)), ("not_a_digit", float(self.not_a_digit)),
                            ("label_smoothing", float(self.label_smoothing))):
            object.__setattr__(self, name, value)  # (a frozen dataclass, normalised as it is made)

    @property
    def network(self) -> dict:
        """What builds this recipe's network (build_network(**network)); equal to the network's own
        `network`. A CNN's shape is fixed: the hidden sizes are the MLP's alone."""
        answers = {"answers": NUM_CLASSES + 1} if self.not_a_digit else {}
        if self.architecture == "cnn":
            return {"architecture": "cnn", "activation": self.activation, **answers}
        return {"architecture": "mlp", "hidden": tuple(self.hidden), "activation": self.activation, **answers}

    def to_dict(self) -> dict:
        return {**asdict(self), "hidden": list(self.hidden)}

    @classmethod
    def from_dict(cls, values: dict) -> "TrainConfig":
        """The recipe to_dict() wrote, checked as any config is."""
        return cls(**{"activation": DEFAULT_ACTIVATION, "architecture": DEFAULT_ARCHITECTURE, **values,
                      "hidden": tuple(values["hidden"])})


def _is_int(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


PRESETS: dict[str, TrainConfig] = {
    # the tutorial's recipe, exactly
    "seed": TrainConfig(),
    # >= 96.7% test accuracy with the default network, in as little time as possible
    "fast": TrainConfig(epochs=2, batch_size=256, lr=0.02, schedule="onecycle"),
    # the recipe of the shipped checkpoint: a long one-cycle run with augmentation, 30% pen-written digits
    "best": TrainConfig(epochs=100, batch_size=256, lr=0.005, schedule="onecycle", augment=True, drawn=0.3),
    # the small CNN's shipped checkpoint, with the 11th answer: 30 epochs of one-cycle Adam, augmentation,
    # 35% pen-written digits (half of its 1s and 7s in a European hand: european.py), 12% not digits
    "cnn": TrainConfig(architecture="cnn", epochs=30, batch_size=128, lr=0.004, schedule="onecycle", augment=True,
                       drawn=0.35, not_a_digit=0.12),
    # the gradient's flow (issue 22), a lesson pair alike but for the activation: 8 hidden layers of 64,
    # the lesson's Adam, one epoch (under a minute on a 2-core CPU: bench/gradient_flow.py). Through
    # 8 sigmoids the first layer's gradient starts about a millionth of the last's and the network
    # barely learns; through 8 ReLUs it reaches about 90% (measured outcome in the README)
    "deep_sigmoid": TrainConfig(hidden=(64,) * 8, activation="sigmoid", epochs=1, batch_size=64),
    "deep_relu": TrainConfig(hidden=(64,) * 8, activation="relu", epochs=1, batch_size=64),
}


def preset(name: str, **overrides) -> TrainConfig:
    """A preset's config with some fields replaced; unknown presets or fields raise ConfigError."""
    if not isinstance(name, str) or name not in PRESETS:
        raise ConfigError("unknown_preset", got=name, choices=", ".join(PRESETS))
    unknown = set(overrides) - set(TrainConfig.__dataclass_fields__)
    if unknown:
        raise ConfigError("unknown_settings", names=", ".join(sorted(map(str, unknown))))
    return replace(PRESETS[name], **overrides)


# --- the fields a person may set, written once -------------------------------------------------


@dataclass(frozen=True)
class Field:
    """One TrainConfig field as people set it: on the page's form, through the API, on the command line."""

    name: str
    kind: str  # "hidden" (sizes as text), "int", "float", "choice" or "bool"
    help: str  # what it does, for the command line's --help (the page words it in app_ui/texts.py)
    choices: tuple[str, ...] = ()
    advanced: bool = False  # folded away on the page: the lesson needs the others

    @property
    def flag(self) -> str:
        return "--" + self.name.replace("_", "-")

    def shown(self, value):
        """The config's value as a form shows it and a command line takes it."""
        return ",".join(map(str, value)) if self.kind == "hidden" else value

    def read(self, value):
        """A raw value (from a form, an API caller or a command line) as the config takes it; what
        cannot be one is passed on as it is, for validation to refuse naming the field."""
        if self.kind == "hidden" and isinstance(value, str):
            return parse_hidden(value)
        if self.kind == "int" and isinstance(value, float) and value.is_integer():
            return int(value)  # a form's number input may send 3.0 for 3
        return value


FIELDS = (
    Field("architecture", "choice", "the network: mlp (the tutorial's) or cnn (a small convolutional network)",
          ARCHITECTURES),
    Field("hidden", "hidden", "hidden layer sizes of the MLP, e.g. 64,64,64 (the CNN's shape is fixed)"),
    Field("activation", "choice", "activation function between the layers", tuple(ACTIVATIONS)),
    Field("epochs", "int", "passes over the training set"),
    Field("batch_size", "int", "images per optimiser step"),
    Field("lr", "float", "learning rate, the peak one with onecycle"),
    Field("optimizer", "choice", "optimiser", OPTIMIZERS, advanced=True),
    Field("schedule", "choice", "learning-rate schedule", SCHEDULES, advanced=True),
    Field("augment", "bool", "random shifts, rotations, scalings, slants, warps, stroke widths", advanced=True),
    Field("drawn", "float", f"share of each epoch's images that are pen-written digits, 0 to {MAX_DRAWN}; 0 = MNIST only",
          advanced=True),
    Field("not_a_digit", "float", f"share of each epoch's images that are not digits (letters, doodles), 0 to "
          f"{MAX_NOT_A_DIGIT}: the network learns an 11th answer, \"not a digit\"; 0 = ten answers", advanced=True),
    Field("label_smoothing", "float", f"share of each target spread over all answers, 0 to {MAX_SMOOTHING}; "
          "0 = the lesson's NLL loss", advanced=True),
    Field("seed", "int", "random seed: the same seed on the same device gives the same model", advanced=True),
)
FIELD_NAMES = tuple(f.name for f in FIELDS)


def read_fields(preset_name: str | None, values: Mapping[str, object], default: str = "fast") -> TrainConfig:
    """The run's TrainConfig: the preset (`default` when none is named), with every given field of
    `values` over it (None or "" leaves the preset's); a field that is not one of FIELDS, or a value
    that does not fit its field, raises ConfigError naming it."""
    unknown = set(values) - set(FIELD_NAMES)
    if unknown:
        raise ConfigError("unknown_settings", names=", ".join(sorted(map(str, unknown))))
    given = {f.name: f.read(values[f.name]) for f in FIELDS if values.get(f.name) not in (None, "")}
    return preset(default if preset_name in (None, "") else preset_name, **given)
