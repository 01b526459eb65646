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
from mnist_model.drawn import load_drawn
from mnist_model.evaluate import evaluate
from mnist_model.train import fit


@pytest.fixture(scope="module")
def mnist(full_mnist):
    return load_mnist(full_mnist, download=False)


@pytest.fixture(scope="module")
def held_out():
    return load_drawn(variants=0)


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


def test_seed_preset_reproduces_the_tutorials_96_69_percent(mnist):
    result = fit(preset("seed"), mnist).result
    assert abs(result.test_accuracy - 0.9669) < 0.006  # tolerance: the lesson reports one run, not a spread


def test_fast_preset_reaches_96_7_percent(mnist):
    assert fit(preset("fast"), mnist).result.test_accuracy >= 0.967


def documented_command(preset_name: str, data: Path, out: Path) -> Classifier:
    """The model README's `python -m mnist_model train --preset NAME --data-dir DATA --out OUT` makes."""
    proc = subprocess.run([sys.executable, "-m", "mnist_model", "train", "--preset", preset_name, "--data-dir",
                           str(data), "--no-download", "--out", str(out)], cwd=SHIPPED.parent.parent,
                          capture_output=True, text=True, timeout=3600)
    assert proc.returncode == 0, proc.stderr[-2000:]
    return Classifier.load(out)


def rebuilt_as_shipped(rebuilt: Classifier, shipped: Classifier) -> None:
    """The same accuracies (within 0.2 points: the same seed, another CPU's floating point) and recipe."""
    assert abs(rebuilt.test_accuracy - shipped.test_accuracy) <= 0.002
    assert abs(rebuilt.drawn_accuracy - shipped.drawn_accuracy) <= 0.002
    assert TrainConfig.from_dict(rebuilt.meta["recipe"]) == TrainConfig.from_dict(shipped.meta["recipe"])


def test_the_documented_command_reproduces_the_shipped_checkpoint(full_mnist, shipped, tmp_path):
    """README: `python -m mnist_model train --preset best --data-dir DATA --out checkpoints/mnist_mlp.safetensors`
    (the shipped checkpoint predates the activation's choice: its recipe reads as ReLU's)."""
    rebuilt_as_shipped(documented_command("best", full_mnist, tmp_path / "best.safetensors"), shipped)


def test_the_documented_command_reproduces_the_shipped_cnn(full_mnist, shipped, tmp_path):
    """README: `python -m mnist_model train --preset cnn --data-dir DATA --out checkpoints/mnist_cnn.safetensors`."""
    cnn = Classifier.load(SHIPPED_CNN)
    rebuilt = documented_command("cnn", full_mnist, tmp_path / "cnn.safetensors")
    assert rebuilt.architecture == cnn.architecture == "cnn"
    rebuilt_as_shipped(rebuilt, cnn)
    assert cnn.drawn_accuracy > shipped.drawn_accuracy  # why the CNN ships beside the MLP
