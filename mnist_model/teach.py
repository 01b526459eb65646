"""Teaching the network a class's own handwriting, in seconds.

    planned = lesson(base, drawings)           # base: a Classifier; drawings: Drawing's (below)
    for event in teach(planned):               # (the app prices it and gives it its turn: runs.py)
        ...                                    # Loading, Progress, ... then Taught
    taught.classifier, taught.before, taught.after

People write some digits otherwise than MNIST's writers and the project's pen-written ones (a 1 with
a long up-stroke, a 7 with a bar, a 9 with a curled tail), and only their own writing tells which of
two shapes is which for them. Teaching fine-tunes the network they use on batches that mix MNIST, the
pen-written digits and their own drawings (RECIPE, chosen by measurement: bench/class_teaching.py
and the README), with the trainer's augmentation, for a few hundred steps: about a second on a CPU.

It is judged honestly: some of the drawings never take part in teaching (a share of the students
when there are three or more, else a share of the drawings), and the network before and after is
measured on those and on MNIST's test set, per digit. Teaching is one training run
(training_run.run): the same device, data, loop and judgement as any run.
"""

import copy
import hashlib
import math
import time
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass, field, replace

import numpy as np
import torch

from .classifier import Classifier
from .config import TrainConfig
from .data import train_size
from .errors import ConfigError
from .evaluate import evaluate
from .model import MLP, NUM_CLASSES
from .not_digits import NOT_A_DIGIT, load_not_digit_tensors
from .pen_digits import load_pen_digit_tensors
from .sampling import Pool
from .step import RunState
from .train import make_optimizer
from .train_events import Stopped
from .training_run import Done, RunRequest, european_share, mnist_on, run


@dataclass(frozen=True)
class Drawing:
    """A drawing a class (or one person) added, with the digit it was added as: what teaching learns from."""

    id: int
    student: int  # 0: the teacher (or the owner of a collection of their own)
    digit: int  # 0-9, or NOT_A_DIGIT (10): a drawing the class added as not a digit
    input: np.ndarray = field(repr=False)  # (28, 28) float32 in [0, 1]: what the network sees
    created: float = 0.0


@dataclass(frozen=True)
class Recipe:
    steps: int = 300  # Adam steps
    lr: float = 3e-4  # a tenth of the lesson's learning rate: the network moves, it does not start again
    batch: int = 128  # images per step: ...
    drawn_share: float = 16 / 128  # ... 16 pen-written digits,
    class_share: float = 16 / 128  # ... 16 of the class's own drawings, and the rest (96) MNIST
    # (a network with an 11th answer also sees 16 letters and doodles in each batch, about its own
    # recipe's share: it keeps its "not a digit" while it learns the class's digits. With 8, the
    # shipped CNN taught by three classes of held-out people took 4.9-5.0 % of letters for digits
    # after, against 3.7 % before; with 16, 3.6-3.8 %)
    not_a_digit_share: float = 16 / 128
    augment: bool = True  # the trainer's shifts, rotations, sizes, slants, warps and stroke widths
    drawn_variants: int = 1  # drawings of each pen-written digit to pick from (one is plenty for 300 steps)
    schedule: str = "onecycle"  # the learning rate: up, then annealed to ~0 (MNIST kept better than constant)
    seed: int = 0  # the same drawings, base and seed give the same model


RECIPE = Recipe()
HELD_OUT_SHARE = 0.25  # of the students (3 or more), or else of the drawings, that teaching never sees
MIN_DRAWINGS = 10  # fewer than this teach nothing worth measuring


@dataclass
class Judgement:
    """A network measured on MNIST's test set and on the class's held-out drawings (0-1, and per digit;
    None for a digit the held-out drawings do not have)."""

    mnist: float
    mnist_per_digit: list[float]
    drawings: float | None
    drawings_per_digit: list[float | None]  # 0-9, and the drawings that are not a digit (NOT_A_DIGIT)


@dataclass
class Taught:
    """Teaching's outcome: the taught model, and how it compares with the one it started from."""

    classifier: Classifier
    before: Judgement
    after: Judgement
    seconds: float  # from the start of teaching to its judgement
    taught_on: int  # drawings it learned from
    held_out: list[Drawing] = field(repr=False)  # drawings it never saw, ...
    guesses_before: list[int] = field(repr=False)  # ... and what the network made of each, before
    guesses_after: list[int] = field(repr=False)  # ... and after
    left_out: int = 0  # the lesson's drawings that are not a digit, left out by a network of ten answers

    @property
    def now_right(self) -> list[Drawing]:
        return [d for d, b, a in zip(self.held_out, self.guesses_before, self.guesses_after) if b != d.digit == a]

    @property
    def now_wrong(self) -> list[Drawing]:
        return [d for d, b, a in zip(self.held_out, self.guesses_before, self.guesses_after) if b == d.digit != a]


def _rank(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def split(drawings: Sequence[Drawing], share: float = HELD_OUT_SHARE) -> tuple[list[Drawing], list[Drawing]]:
    """(taught on, held out): whole students held out when there are 3 or more of them (so that the
    measure is of people teaching never saw), else a share of the drawings; deterministic."""
    students = sorted({d.student for d in drawings})
    if len(students) >= 3:
        held = set(sorted(students, key=lambda s: _rank(f"student {s}"))[:max(1, round(share * len(students)))])
        chosen = [d for d in drawings if d.student in held]
    else:
        ordered = sorted(drawings, key=lambda d: _rank(f"drawing {d.id}"))
        chosen = ordered[:max(1, round(share * len(drawings)))]
    held_ids = {d.id for d in chosen}
    return [d for d in drawings if d.id not in held_ids], [d for d in drawings if d.id in held_ids]


def judge(model: torch.nn.Module, held: Sequence[Drawing], device: str = "cpu") -> tuple[Judgement, list[int]]:
    """The network on MNIST's test set and on `held`, and its guess for each of `held`."""
    mnist = mnist_on(str(device))
    on_mnist = evaluate(model, mnist.test_x.cpu(), mnist.test_y.cpu())
    if not held:
        return Judgement(on_mnist.accuracy, on_mnist.per_class, None, [None] * (NOT_A_DIGIT + 1)), []
    images = torch.from_numpy(np.stack([d.input for d in held]))
    labels = torch.tensor([d.digit for d in held])
    with torch.inference_mode():
        guesses = model.eval()(images).argmax(1)
    right = (guesses == labels).numpy()
    per_digit = [float(right[labels.numpy() == digit].mean()) if (labels == digit).any() else None
                 for digit in range(NOT_A_DIGIT + 1)]
    return Judgement(on_mnist.accuracy, on_mnist.per_class, float(right.mean()), per_digit), guesses.tolist()


def prepare(recipe: Recipe = RECIPE, device: str = "cpu") -> bool:
    """Make an optimizer once (torch's optimizers load torch._dynamo when the first is made: about
    1.5 s and 150 MB), read MNIST and draw what a teaching with `recipe` will ask for (each once per
    process; the drawings are then kept on disk): the pen-written digits as a network of ten answers
    learns them, and, for one with the 11th answer, with some 1s and 7s in a European hand and beside
    the letters and doodles it learns as "not a digit". So the first teaching need not wait some ten
    seconds, or forty for the letters, whichever network it teaches. False, having done nothing,
    when MNIST is not on disk: it is never downloaded here (the first run that needs it does that)."""
    if train_size() is None:
        return False
    make_optimizer(TrainConfig(), MLP().parameters(), torch.device(device))
    mnist_on(str(device))
    variants = recipe.drawn_variants if recipe.drawn_share else 0
    for not_a_digit in (0.0, recipe.not_a_digit_share):  # a network of ten answers, and one with the 11th
        load_pen_digit_tensors(device, variants, european_share=european_share(not_a_digit))
    load_not_digit_tensors(device)
    return True


@dataclass(frozen=True)
class Lesson:
    """A teaching as it will go: the model it starts from, the drawings it learns from and those held
    out to judge it, and its run's request (training_run.plan_run prices it like any run)."""

    base: Classifier = field(repr=False)
    request: RunRequest = field(repr=False)
    taught_on: list[Drawing] = field(repr=False)
    held_out: list[Drawing] = field(repr=False)
    recipe: Recipe = RECIPE
    left_out: int = 0  # drawings that are not a digit, which a network of ten answers cannot learn


def lesson(base: Classifier, drawings: Sequence[Drawing], recipe: Recipe = RECIPE, device: str = "cpu",
           report_every: float | None = None) -> Lesson:
    """Teaching `base` the drawings (less those held out to judge it), planned but not started: nothing
    is copied or loaded yet. ConfigError when there are too few drawings. A network of ten answers
    leaves the drawings that are not a digit out (Lesson.left_out); one with the 11th answer learns
    them as that answer, like the class's digits."""
    network = dict(base.model.network)
    eleventh = network.pop("answers", NUM_CLASSES) > NUM_CLASSES  # (the run's not_a_digit share keeps it)
    kept = list(drawings) if eleventh else [d for d in drawings if d.digit != NOT_A_DIGIT]
    if len(kept) < MIN_DRAWINGS:
        if len(kept) < len(drawings):
            raise ConfigError("teach_too_few_digits", count=len(kept), needed=MIN_DRAWINGS,
                              left_out=len(drawings) - len(kept))
        raise ConfigError("teach_too_few", count=len(kept), needed=MIN_DRAWINGS)
    taught_on, held = split(kept)
    epochs = math.ceil(recipe.steps * recipe.batch / (train_size() or 60_000))  # as many as its steps take
    cfg = TrainConfig(**network, epochs=epochs, batch_size=recipe.batch, lr=recipe.lr, schedule=recipe.schedule,
                      augment=recipe.augment, drawn=recipe.drawn_share, seed=recipe.seed,
                      not_a_digit=recipe.not_a_digit_share if eleventh else 0.0)
    pixels = torch.from_numpy(np.rint(np.stack([d.input for d in taught_on]) * 255).astype(np.uint8))
    request = RunRequest(cfg, device=device, evaluations=0, report_every=report_every,
                         extra=Pool(pixels, torch.tensor([d.digit for d in taught_on])),
                         extra_share=recipe.class_share, max_steps=recipe.steps, drawn_variants=recipe.drawn_variants)
    return Lesson(base, request, taught_on, held, recipe, len(drawings) - len(kept))


def teach(planned: Lesson, stop=None) -> Iterator:
    """Fine-tune a copy of the lesson's model on its drawings; yields the run's events (training_run.run's),
    then Taught (or the run's Stopped)."""
    started = time.perf_counter()
    base, held, recipe, cfg = planned.base, planned.held_out, planned.recipe, planned.request.config
    model = copy.deepcopy(base.model)
    state = RunState(cfg, model, make_optimizer(cfg, model.parameters(), torch.device("cpu")),
                     torch.Generator().manual_seed(recipe.seed), 0, "finished")
    device = planned.request.device
    before, guesses_before = judge(base.model, held, device)
    for event in run(replace(planned.request, go_on=state), stop):
        if isinstance(event, Stopped):
            yield event
            return
        if not isinstance(event, Done):
            yield event
            continue
        after, guesses_after = judge(event.classifier.model, held, device)
        teaching = {"recipe": asdict(recipe), "taught_on": len(planned.taught_on), "held_out": len(held),
                    "before": {"mnist": before.mnist, "drawings": before.drawings},
                    "after": {"mnist": after.mnist, "drawings": after.drawings}}
        classifier = Classifier(event.classifier.model, {**base.meta, **event.classifier.meta, "teaching": teaching,
                                                         "test_accuracy": after.mnist})
        yield Taught(classifier, before, after, time.perf_counter() - started, len(planned.taught_on), held,
                     guesses_before, guesses_after, planned.left_out)
