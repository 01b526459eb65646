"""The command lines, run as a user runs them: in a subprocess."""

import os
import signal
import subprocess
import sys

import pytest
import torch

from mnist_model import Classifier
from mnist_model.checkpoint import SHIPPED

REPO = SHIPPED.parent.parent


def run(*args, cwd=REPO):
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    env.pop("MNIST_DATA_DIR", None)
    return subprocess.run([sys.executable, "-m", *args], capture_output=True, text=True, cwd=cwd, env=env, timeout=300)


def test_train_cli_trains_reports_and_saves_a_loadable_checkpoint(tiny_mnist, tmp_path):
    out = tmp_path / "cli.safetensors"
    proc = run("mnist_model.train", "--preset", "fast", "--epochs", "2", "--batch-size", "16", "--lr", "0.01",
               "--hidden", "32,32", "--data-dir", str(tiny_mnist), "--out", str(out), "--device", "cpu")
    assert proc.returncode == 0, proc.stderr
    assert "epoch 1/2" in proc.stdout and "epoch 2/2" in proc.stdout
    assert "done: test accuracy" in proc.stdout and "samples/s on cpu" in proc.stdout
    assert "Traceback" not in proc.stderr and "RuntimeWarning" not in proc.stderr
    clf = Classifier.load(out)
    assert clf.hidden == (32, 32)
    assert clf.meta["recipe"]["epochs"] == 2 and clf.meta["recipe"]["batch_size"] == 16


def test_evaluate_cli_prints_accuracy_per_class_and_confusion(tiny_mnist):
    proc = run("mnist_model.evaluate", "--data-dir", str(tiny_mnist))
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    accuracy = [line for line in lines if line.startswith("accuracy: ")]
    assert len(accuracy) == 1 and 0.0 <= float(accuracy[0].split()[1]) <= 1.0
    assert any(line.startswith("per-class accuracy: 0: ") for line in lines)
    matrix = lines[lines.index("confusion matrix (rows: true digit, columns: predicted):") + 2 :]
    assert len(matrix) == 10 and sum(sum(map(int, row.split()[1:])) for row in matrix) == 100


def test_ctrl_c_stops_training_and_saves_nothing(tiny_mnist, tmp_path):
    out = tmp_path / "never.safetensors"
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    proc = subprocess.Popen([sys.executable, "-m", "mnist_model.train", "--epochs", "200", "--batch-size", "4",
                             "--data-dir", str(tiny_mnist), "--out", str(out)],
                            cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert proc.stdout.readline().startswith("training preset fast")
    assert proc.stdout.readline().startswith("epoch 1/200")  # training is under way
    proc.send_signal(signal.SIGINT)
    stdout, stderr = proc.communicate(timeout=60)
    assert proc.returncode == 130
    assert "nothing was saved" in stderr and "Traceback" not in stderr
    assert not out.exists()


CLI_ERRORS = [
    pytest.param(("mnist_model.train", "--data-dir", "{tmp}/nothing", "--no-download"), "MNIST is not in", id="no-data"),
    pytest.param(("mnist_model.train", "--hidden", "4"), "8 to 1024 units, got 4", id="bad-hidden"),
    pytest.param(("mnist_model.train", "--epochs", "0"), "epochs must be", id="bad-epochs"),
    pytest.param(("mnist_model.train", "--device", "tpu"), "unknown device 'tpu'", id="unknown-device"),
    pytest.param(("mnist_model.train", "--out", str(SHIPPED)), "is the shipped model", id="overwrite-shipped"),
    pytest.param(("mnist_model.evaluate", "--checkpoint", "{tmp}/missing.safetensors"), "no checkpoint file at", id="no-checkpoint"),
]


@pytest.mark.parametrize("args, message", CLI_ERRORS)
def test_cli_errors_are_one_line_without_traceback(args, message, tmp_path):
    proc = run(*(a.format(tmp=tmp_path) for a in args))
    assert proc.returncode == 2
    assert proc.stderr.strip().startswith("error: ") and message in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1
    assert "Traceback" not in proc.stderr


@pytest.mark.skipif(torch.cuda.is_available(), reason="this machine has a CUDA GPU, so asking for one is no error")
def test_asking_for_an_absent_gpu_is_a_clear_error():
    proc = run("mnist_model.train", "--device", "cuda")
    assert proc.returncode == 2
    assert "error: device 'cuda' was asked for, but this machine has no CUDA GPU" in proc.stderr
