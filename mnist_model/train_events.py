"""What the trainer (train.py) yields while it runs, and what a run ends with:

    Progress     a point of the loss curve (with the layers' gradient lengths, every other point)
    Evaluation   a point of the accuracy curves (during the run, and at each epoch's end)
    EpochEnd     an epoch's summary (and the first layer's weights then)
    Finished     the trained model and its TrainResult
    Stopped      a run stopped before its end, with the network as it stood
"""

from dataclasses import dataclass, field

import torch

from .config import TrainConfig


@dataclass
class Progress:
    """A point of the loss curve: the mean training loss of the steps since the previous point."""

    epoch: int  # 1-based
    epochs: int
    step: int  # steps done in this epoch
    steps_per_epoch: int
    loss: float  # mean training loss since the previous Progress event
    samples_per_s: float  # training throughput so far
    elapsed: float  # seconds since training began
    point: bool = True  # a point of the loss curve (else a report that the run goes on, see report_every)
    total_steps: int = 0  # steps the whole run takes (0: epochs x steps_per_epoch)
    gradients: list[float] | None = None  # each layer's gradient length at this step (gradient_lengths), every GRADIENT_STRIDE points

    @property
    def steps(self) -> int:
        """Steps done since the run began: the curves' x axis in a short run."""
        return (self.epoch - 1) * self.steps_per_epoch + self.step

    @property
    def position(self) -> float:
        """Epochs done, with fractions: the curves' x axis in a long run."""
        return self.steps / self.steps_per_epoch

    @property
    def fraction(self) -> float:
        return self.steps / (self.total_steps or self.epochs * self.steps_per_epoch)

    @property
    def eta(self) -> float:
        """Seconds left, extrapolated from the time so far."""
        done = self.fraction
        return self.elapsed * (1 - done) / done if done > 0 else float("nan")


@dataclass
class Evaluation:
    """A point of the accuracy curves: MNIST's test set (and the held-out writers' pen-written
    digits, when loaded) measured during the run."""

    epoch: int
    step: int
    steps_per_epoch: int
    test_accuracy: float
    drawn_accuracy: float | None

    steps = Progress.steps
    position = Progress.position


@dataclass
class EpochEnd:
    epoch: int
    epochs: int
    train_loss: float  # mean over the epoch
    test_accuracy: float  # on MNIST's test set
    samples_per_s: float
    elapsed: float
    drawn_accuracy: float | None = None  # on the held-out writers' pen-written digits, when loaded
    # the first layer's weights, on the CPU: (units, 784), or a CNN's filters (8, 1, 5, 5)
    first_layer: torch.Tensor | None = field(default=None, repr=False)


@dataclass
class TrainResult:
    config: TrainConfig
    device: str
    test_accuracy: float  # after the last epoch
    drawn_accuracy: float | None = None  # likewise, on held-out writers' pen-written digits
    history: list[EpochEnd] = field(default_factory=list)
    elapsed: float = 0.0  # wall seconds, training and evaluation
    samples_per_s: float = 0.0
    continued: int = 0  # optimiser steps the run had taken before (step by step, or a stopped run)
    steps: int = 0  # optimiser steps the run has taken in all, those before included

    def metadata(self) -> dict:
        """What a checkpoint of this run records about it (checkpoint.save's keyword arguments)."""
        return {"test_accuracy": self.test_accuracy, "drawn_accuracy": self.drawn_accuracy,
                "recipe": self.config.to_dict(), "device": self.device}


@dataclass
class Finished:
    model: torch.nn.Module  # on the CPU, in eval mode
    result: TrainResult
    optimizer: torch.optim.Optimizer | None = field(default=None, repr=False)  # its state, to continue the run


@dataclass
class Stopped:
    """The run ended before its end (a stop request): no result, but the network as it stood, so
    that it can be stepped further (step.py) or looked at; None when the run could not hand it back."""

    epoch: int
    step: int
    elapsed: float
    model: torch.nn.Module | None = field(default=None, repr=False)  # on the CPU
    optimizer: torch.optim.Optimizer | None = field(default=None, repr=False)
    steps: int = 0  # optimiser steps the network has taken in all


Event = Progress | Evaluation | EpochEnd | Finished | Stopped
