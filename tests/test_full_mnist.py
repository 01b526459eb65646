"""Claims that need the full MNIST data set ($MNIST_DATA_DIR; .ci/run points it at ../shared/mnist)."""

import pytest
import torch

from mnist_model.data import load_mnist
from mnist_model.evaluate import evaluate
from mnist_model.train import fit, preset


@pytest.fixture(scope="module")
def mnist(full_mnist):
    return load_mnist(full_mnist, download=False)


def test_shipped_checkpoint_reaches_98_8_percent(shipped, mnist):
    metrics = evaluate(shipped.model, mnist.test_x, mnist.test_y)
    assert metrics.accuracy >= 0.988
    assert abs(metrics.accuracy - shipped.test_accuracy) < 1e-9  # the metadata tells the truth


def test_mnist_through_the_public_api_scores_within_0_3_points_of_raw_tensors(shipped, mnist):
    raw = evaluate(shipped.model, mnist.test_x, mnist.test_y).accuracy
    scans = (mnist.test_x * 255).round().to(torch.uint8).numpy()
    predicted = [-1 if (p := shipped.predict_proba(scan)) is None else int(p.argmax()) for scan in scans]
    through_api = (torch.tensor(predicted) == mnist.test_y).float().mean().item()
    assert through_api >= raw - 0.003


def test_seed_preset_reproduces_the_tutorials_96_69_percent(mnist):
    result = fit(preset("seed"), mnist).result
    assert abs(result.test_accuracy - 0.9669) < 0.006  # tolerance: the lesson reports one run, not a spread


def test_fast_preset_reaches_96_7_percent(mnist):
    assert fit(preset("fast"), mnist).result.test_accuracy >= 0.967


def test_the_documented_command_reproduces_the_shipped_checkpoint(full_mnist, shipped, tmp_path):
    """README: `python -m mnist_model.train --preset best --out checkpoints/mnist_mlp.safetensors`."""
    import subprocess
    import sys

    from mnist_model import Classifier
    from mnist_model.checkpoint import SHIPPED

    out = tmp_path / "best.safetensors"
    proc = subprocess.run([sys.executable, "-m", "mnist_model.train", "--preset", "best", "--data-dir", str(full_mnist),
                           "--no-download", "--out", str(out)], cwd=SHIPPED.parent.parent, capture_output=True,
                          text=True, timeout=1200)
    assert proc.returncode == 0, proc.stderr[-2000:]
    rebuilt = Classifier.load(out)
    assert abs(rebuilt.test_accuracy - shipped.test_accuracy) <= 0.002
    assert rebuilt.meta["recipe"] == shipped.meta["recipe"]
