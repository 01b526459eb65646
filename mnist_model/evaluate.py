"""Evaluation on whole-set tensors: large batches, sums added up and divided once."""

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import torch
from torch import nn

from .explain import DeadUnits, dead_units
from .model import MLP, NUM_CLASSES

if TYPE_CHECKING:
    from .not_digits import NotDigitTensors
    from .pen_digits import PenDigitTensors

EVAL_BATCH = 10_000  # the MNIST test set in one matrix product on any device
MAX_MISTAKES = 32  # misclassified examples kept for display
SURE = 0.9  # a digit answered with at least this probability is one the network is sure of


@dataclass
class Metrics:
    accuracy: float  # share of correctly classified images, 0..1
    per_class: list[float]  # accuracy for each true digit 0..9
    confusion: list[list[int]]  # confusion[true digit][predicted answer] counts (answer 10: "not a digit")
    loss: float  # mean NLL
    mistakes: list[tuple[int, int, int]]  # the first MAX_MISTAKES errors: (index, true, predicted)

    @property
    def refused(self) -> float:
        """Share of these digits answered "not a digit" (0 for a network with ten answers)."""
        total = sum(map(sum, self.confusion))
        return sum(row[NUM_CLASSES] for row in self.confusion if len(row) > NUM_CLASSES) / max(total, 1)

    def __repr__(self) -> str:
        return f"Metrics(accuracy={self.accuracy:.4f}, loss={self.loss:.4f})"


@dataclass
class NotDigitMetrics:
    """What a network makes of what is not a digit, drawn by people it never learned from: the share
    it answers with a digit (`letters`, `doodles`), and with a digit it is SURE of (`*_sure`: what a
    network with ten answers can be judged by). `digit_like`: the letters a fair reader may take for
    a digit (not_digits.DIGIT_LIKE), answered with a digit: told, with no goal."""

    letters: float
    doodles: float
    letters_sure: float
    doodles_sure: float
    digit_like: float


@torch.inference_mode()
def _digit_answers(model: nn.Module, images: torch.Tensor) -> tuple[float, float]:
    """Shares of `images` answered with a digit, and with a digit at SURE or more."""
    logp, predicted = predict_labels(model, images)
    digit = predicted < NUM_CLASSES
    sure = digit & (logp.max(1).values.exp() >= SURE)
    return digit.float().mean().item(), sure.float().mean().item()


def not_digit_metrics(model: nn.Module, not_digits: "NotDigitTensors") -> NotDigitMetrics:
    letters, letters_sure = _digit_answers(model, not_digits.letters_x)
    doodles, doodles_sure = _digit_answers(model, not_digits.doodles_x)
    digit_like, _ = _digit_answers(model, not_digits.digit_like_x)
    return NotDigitMetrics(letters, doodles, letters_sure, doodles_sure, digit_like)


@torch.inference_mode()
def predict_labels(model: nn.Module, images: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """(log-probabilities, predicted labels) for a whole set, in large chunks."""
    model.eval()
    logp = torch.cat([model(chunk) for chunk in images.split(EVAL_BATCH)])
    return logp, logp.argmax(1)


def evaluate(model: nn.Module, images: torch.Tensor, labels: torch.Tensor) -> Metrics:
    """Accuracy, per-class accuracy, confusion matrix and mean loss of `model` on a set of digits: a
    row per digit, a column per answer (an 11th, "not a digit", for a network that gives it)."""
    logp, predicted = predict_labels(model, images)
    answers = logp.shape[1]
    loss = torch.nn.functional.nll_loss(logp, labels, reduction="sum").item() / len(labels)
    confusion = torch.bincount(labels * answers + predicted, minlength=NUM_CLASSES * answers)
    confusion = confusion.view(NUM_CLASSES, answers).cpu()
    totals = confusion.sum(1).clamp(min=1)
    per_class = (confusion.diag() / totals).tolist()
    accuracy = confusion.diag().sum().item() / len(labels)
    wrong = (predicted != labels).nonzero().flatten()[:MAX_MISTAKES].tolist()
    mistakes = [(i, int(labels[i]), int(predicted[i])) for i in wrong]
    return Metrics(accuracy, per_class, confusion.tolist(), loss, mistakes)


def accuracy(model: nn.Module, images: torch.Tensor, labels: torch.Tensor) -> float:
    """Share of `images` classified as `labels` (counted, then divided once: exact, as evaluate's)."""
    _, predicted = predict_labels(model, images)
    return (predicted == labels).sum().item() / len(labels)


@dataclass
class Report:
    """A trained model judged on MNIST's test set and on the held-out writers' pen-written digits, and
its hidden units that never switch on over MNIST's test set."""

    mnist: Metrics
    drawn: Metrics | None  # None when the pen-written digits were not loaded
    mistakes: list[tuple[str, int, int, np.ndarray]]  # ("mnist" or "drawn", true, predicted, 28x28 in [0, 1])
    dead: DeadUnits | None = None  # over MNIST's test set (None for a network without MLP hidden layers)
    not_digits: NotDigitMetrics | None = None  # when what is not a digit was loaded


def report(model: nn.Module, test_x: torch.Tensor, test_y: torch.Tensor, drawn: "PenDigitTensors | None" = None,
           per_set: int = MAX_MISTAKES // 2, not_digits: "NotDigitTensors | None" = None) -> Report:
    """Metrics on MNIST's test set and on the held-out writers' digits (`drawn`, when given), and the
    pictures of the first `per_set` mistakes of each; the units that never switch on over `test_x`;
    what the network makes of held-out letters and doodles (`not_digits`, when given)."""
    sets = [("mnist", test_x, test_y)] + ([] if drawn is None else [("drawn", drawn.val_x, drawn.val_y)])
    metrics, mistakes = {}, []
    for name, images, labels in sets:
        m = metrics[name] = evaluate(model, images, labels)
        mistakes += [(name, t, p, images[i].cpu().numpy()) for i, t, p in m.mistakes[:per_set]]
    dead = dead_units(model, test_x) if isinstance(model, MLP) else None
    judged = None if not_digits is None else not_digit_metrics(model, not_digits)
    return Report(metrics["mnist"], metrics.get("drawn"), mistakes, dead, judged)
