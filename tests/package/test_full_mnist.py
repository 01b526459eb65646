"""Claims that need the full MNIST data set ($MNIST_DATA_DIR; .ci/run points it at ../shared/mnist)."""

import subprocess
import sys
from pathlib import Path

import pytest
import torch

from mnist_model import Classifier
from mnist_model.checkpoint import SHIPPED, SHIPPED_CNN
from mnist_model.config import TrainConfig, preset
from mnist_model.data import load_mnist
from mnist_model.pen_digits import load_pen_digit_tensors
from mnist_model.evaluate import evaluate, not_digit_metrics
from mnist_model.not_digits import load_not_digit_tensors
from mnist_model.train import fit


@pytest.fixture(scope="module")
def mnist(full_mnist):
    return load_mnist(full_mnist, download=False)


@pytest.fixture(scope="module")
def held_out():
    return load_pen_digit_tensors(variants=0)


def test_the_shipped_checkpoint_reaches_99_percent_and_its_metadata_tells_the_truth(shipped, mnist, held_out):
    metrics = evaluate(shipped.model, mnist.test_x, mnist.test_y)
    assert metrics.accuracy >= 0.99
    assert abs(metrics.accuracy - shipped.test_accuracy) < 1e-9
    drawn = evaluate(shipped.model, held_out.val_x, held_out.val_y)
    assert abs(drawn.accuracy - shipped.drawn_accuracy) < 1e-9


def test_the_shipped_checkpoint_reads_every_digit_of_held_out_writers_at_95_percent_or_more(shipped, held_out):
    per_digit = evaluate(shipped.model, held_out.val_x, held_out.val_y).per_class
    assert min(per_digit) >= 0.95, per_digit


def test_mnist_through_the_public_api_scores_99_percent_within_0_3_points_of_raw_tensors(shipped, mnist):
    raw = evaluate(shipped.model, mnist.test_x, mnist.test_y).accuracy
    scans = (mnist.test_x * 255).round().to(torch.uint8).numpy()
    predicted = [-1 if (p := shipped.predict_proba(scan)) is None else int(p.argmax()) for scan in scans]
    through_api = (torch.tensor(predicted) == mnist.test_y).float().mean().item()
    assert through_api >= 0.99 and through_api >= raw - 0.003


def test_the_shipped_cnn_meets_issue_30s_goals_on_people_and_doodles_it_never_learned_from(mnist, held_out):
    """Letters and doodles taken for a digit at most 5 % each, pen-written digits said "not a digit" at
    most 1 %, MNIST 99 % or more (bench/not_a_digit measures the same, and more)."""
    cnn = Classifier.load(SHIPPED_CNN)
    seen = not_digit_metrics(cnn.model, load_not_digit_tensors("cpu", variants=0))
    assert seen.letters <= 0.05 and seen.doodles <= 0.05
    assert evaluate(cnn.model, held_out.val_x, held_out.val_y).refused <= 0.01
    assert evaluate(cnn.model, mnist.test_x, mnist.test_y).accuracy >= 0.99


def test_teaching_the_shipped_cnn_a_class_keeps_its_not_a_digit(mnist):
    """A class of five held-out people, one drawing of each digit each: after teaching, the shipped CNN
    takes no more letters and doodles for digits than before (within half a point), and keeps MNIST."""
    import numpy as np

    from mnist_model import pen_digits
    from mnist_model.teach import Drawing, Taught, lesson, teach

    cnn = Classifier.load(SHIPPED_CNN)
    digits = pen_digits.load_pen_digits()
    held = pen_digits.held_out(digits) & pen_digits.well_formed(digits)
    drawings = []
    for student, person in enumerate(sorted({int(p) for p in digits.person[held]})[:5], 1):
        for digit in range(10):
            for i in np.flatnonzero(held & (digits.person == person) & (digits.labels == digit))[:1]:
                drawing = pen_digits.render(digits.strokes[i], np.random.default_rng(int(i)), slant=False)
                drawings.append(Drawing(len(drawings) + 1, student, digit, drawing))
    taught = list(teach(lesson(cnn, drawings)))[-1]
    assert isinstance(taught, Taught) and taught.classifier.answers == 11
    not_digits = load_not_digit_tensors("cpu", variants=0)
    before, after = not_digit_metrics(cnn.model, not_digits), not_digit_metrics(taught.classifier.model, not_digits)
    assert after.letters <= before.letters + 0.005 and after.doodles <= before.doodles + 0.005
    assert taught.after.mnist >= 0.99


# How far a run's accuracies move on another CPU of this kind: its kernels and thread count sum in
# another order, and after thousands of steps the network differs as much as one of another seed
# does. bench/reproduction.py measured it (docs: README, "Reproducing the shipped model"), each
# preset's documented command with 1 and 2 threads, AVX2 kernels, no oneDNN and MKL's compatible
# path (seed 0), and with seeds 1-4 (1 thread), on an AMD EPYC (2 cores, torch 2.14.1):
#   best  MNIST 98.99-99.20 % (sd 0.07 points)   pen-written digits 97.75-98.13 % (sd 0.14)
#   cnn   MNIST 98.96-99.08 % (sd 0.05)          pen-written digits 97.95-98.22 % (sd 0.11)
#         (its 30-epoch recipe with "not a digit": 1 and 2 threads, AVX2, no oneDNN, MKL's path, seeds 1-2)
# (an Intel Xeon's rebuilt MLP: 99.08 % and 98.02 %, 0.27 points from the shipped 97.75 %, as far
# as seed 1 here.) Two such runs, the shipped one and the rebuilt one, differ by sd x sqrt(2);
# 3.3 of those (one verdict in a thousand wrong) is 0.33 points on MNIST (0.35, rounded up) and
# 0.65 on the pen-written digits, 3 sd of the binomial noise of their 4,444 drawings at 98 %. A change of what
# the model learns by less than that is not seen in its accuracy; a change of the recipe always is
# in its recorded recipe (the seed and the number of epochs among it).
MNIST_TOLERANCE = 0.0035  # 35 of MNIST's 10,000 test images
PEN_TOLERANCE = 0.0065  # 29 of the held-out writers' 4,444 drawings
# The tutorial's recipe (batch 15, 2 epochs, seed 0) here: 96.46-96.82 % over the kernels above,
# 95.70-97.00 % over seeds 0-9 (sd 0.38 points): the lesson's 96.69 % is one draw from that spread.
TUTORIAL_TOLERANCE = 0.013  # 3.3 sd of one run around the lesson's figure


def test_seed_preset_reproduces_the_tutorials_96_69_percent(mnist):
    cfg = preset("seed")
    assert (cfg.architecture, cfg.hidden, cfg.activation, cfg.epochs, cfg.batch_size, cfg.lr, cfg.optimizer,
            cfg.schedule, cfg.augment, cfg.drawn, cfg.label_smoothing, cfg.seed) == \
        ("mlp", (64, 64, 64), "relu", 2, 15, 1e-3, "adam", "constant", False, 0.0, 0.0, 0)  # the tutorial's, exactly
    result = fit(cfg, mnist).result
    assert abs(result.test_accuracy - 0.9669) <= TUTORIAL_TOLERANCE


def test_fast_preset_reaches_96_7_percent(mnist):
    """96.85-97.22 % over seeds 0-9 here, 96.93-96.96 % over the kernels above (sd 0.09 points): the
    goal is 3 sd below their mean, 1.7 sd below the lowest seed's."""
    assert fit(preset("fast"), mnist).result.test_accuracy >= 0.967


def documented_command(preset_name: str, data: Path, out: Path) -> Classifier:
    """The model README's `python -m mnist_model train --preset NAME --data-dir DATA --half --out OUT` makes."""
    proc = subprocess.run([sys.executable, "-m", "mnist_model", "train", "--preset", preset_name, "--data-dir",
                           str(data), "--no-download", "--half", "--out", str(out)], cwd=SHIPPED.parent.parent,
                          capture_output=True, text=True, timeout=3600)
    assert proc.returncode == 0, proc.stderr[-2000:]
    return Classifier.load(out)


def rebuilt_as_shipped(rebuilt: Classifier, shipped: Classifier) -> None:
    """The same recipe, and the same accuracies within what another CPU moves them (MNIST_TOLERANCE,
    PEN_TOLERANCE)."""
    assert TrainConfig.from_dict(rebuilt.meta["recipe"]) == TrainConfig.from_dict(shipped.meta["recipe"])
    assert abs(rebuilt.test_accuracy - shipped.test_accuracy) <= MNIST_TOLERANCE
    assert abs(rebuilt.drawn_accuracy - shipped.drawn_accuracy) <= PEN_TOLERANCE


def test_the_documented_command_reproduces_the_shipped_checkpoint(full_mnist, shipped, tmp_path):
    """README: `python -m mnist_model train --preset best --data-dir DATA --half --out checkpoints/mnist_mlp.safetensors`
    (the shipped checkpoint predates the activation's choice: its recipe reads as ReLU's)."""
    rebuilt_as_shipped(documented_command("best", full_mnist, tmp_path / "best.safetensors"), shipped)


def test_the_documented_command_reproduces_the_shipped_cnn(full_mnist, shipped, tmp_path):
    """README: `python -m mnist_model train --preset cnn --data-dir DATA --half --out checkpoints/mnist_cnn.safetensors`."""
    cnn = Classifier.load(SHIPPED_CNN)
    rebuilt = documented_command("cnn", full_mnist, tmp_path / "cnn.safetensors")
    assert rebuilt.architecture == cnn.architecture == "cnn"
    rebuilt_as_shipped(rebuilt, cnn)
    assert cnn.drawn_accuracy > shipped.drawn_accuracy  # why the CNN ships beside the MLP
