"""The command lines, run as a user runs them: in a subprocess."""

import os
import signal
import subprocess
import sys

import pytest
import torch

from mnist_model import Classifier
from mnist_model.checkpoint import SHIPPED
from mnist_model.data import load_mnist
from mnist_model.evaluate import evaluate

REPO = SHIPPED.parent.parent


def run(*args, cwd=REPO, **env):
    env = {**os.environ, **env}
    env.pop("MNIST_DATA_DIR", None)
    return subprocess.run([sys.executable, "-m", "mnist_model", *args], capture_output=True, text=True, cwd=cwd,
                          env=env, timeout=300)


def test_train_cli_trains_reports_and_saves_a_loadable_checkpoint(tiny_mnist, tiny_drawn, tmp_path):
    out = tmp_path / "cli.safetensors"
    proc = run("train", "--preset", "fast", "--epochs", "2", "--batch-size", "16", "--lr", "0.01",
               "--hidden", "32,32", "--data-dir", str(tiny_mnist), "--out", str(out), "--device", "cpu",
               "--threads", "1", MNIST_DRAWN_FILE=str(tiny_drawn))
    assert proc.returncode == 0, proc.stderr
    assert "epoch 1/2" in proc.stdout and "epoch 2/2" in proc.stdout
    assert proc.stdout.count("drawn (held-out writers)") == 3  # every epoch's end, and the summary
    assert "done: MNIST test" in proc.stdout and "samples/s on cpu" in proc.stdout
    assert "Traceback" not in proc.stderr and "RuntimeWarning" not in proc.stderr
    assert "\r" not in proc.stdout + proc.stderr  # not a terminal: lines, no progress bar redrawn in place
    assert "with 1 CPU thread(s)" in proc.stdout  # what a figure depends on is printed with it
    clf = Classifier.load(out)
    assert clf.hidden == (32, 32)
    assert clf.meta["recipe"]["epochs"] == 2 and clf.meta["recipe"]["batch_size"] == 16
    assert clf.meta["recipe"]["drawn"] == 0.0 and 0 <= clf.drawn_accuracy <= 1


def test_half_stores_the_weights_rounded_to_float16_with_the_accuracies_they_score(tiny_mnist, tiny_drawn, tmp_path):
    out = tmp_path / "half.safetensors"
    proc = run("train", "--preset", "fast", "--epochs", "1", "--hidden", "32", "--data-dir", str(tiny_mnist),
               "--out", str(out), "--device", "cpu", "--threads", "1", "--half", MNIST_DRAWN_FILE=str(tiny_drawn))
    assert proc.returncode == 0, proc.stderr
    assert "rounded to float16: MNIST test" in proc.stdout
    clf = Classifier.load(out)
    for parameter in clf.model.parameters():
        assert torch.equal(parameter, parameter.half().float())


def test_halving_measures_the_rounded_network_again(tiny_mnist, tiny_drawn, monkeypatch):
    import argparse

    from mnist_model.cli import _halved
    from mnist_model.config import preset
    from mnist_model.model import MLP
    from mnist_model.train_events import TrainResult

    monkeypatch.setenv("MNIST_DRAWN_FILE", str(tiny_drawn))
    torch.manual_seed(0)
    model = MLP((32,))
    said = TrainResult(preset("fast"), "cpu", test_accuracy=2.0, drawn_accuracy=2.0)  # (no accuracy is 2)
    result = _halved(model, said, argparse.Namespace(data_dir=str(tiny_mnist), no_download=True))
    data = load_mnist(tiny_mnist, "cpu", download=False)
    assert result.test_accuracy == evaluate(model, data.test_x, data.test_y).accuracy <= 1
    assert 0 <= result.drawn_accuracy <= 1 and result.config == said.config
    assert all(torch.equal(p, p.half().float()) for p in model.parameters())


def test_the_drawn_flag_trains_with_pen_written_digits(tiny_mnist, tiny_drawn, tmp_path):
    out = tmp_path / "drawn.safetensors"
    proc = run("train", "--preset", "fast", "--epochs", "1", "--batch-size", "16", "--drawn", "0.3",
               "--data-dir", str(tiny_mnist), "--out", str(out), MNIST_DRAWN_FILE=str(tiny_drawn))
    assert proc.returncode == 0, proc.stderr
    assert "drawn=0.3" in proc.stdout and Classifier.load(out).meta["recipe"]["drawn"] == 0.3


def test_evaluate_cli_prints_accuracy_per_digit_and_confusion_on_both_test_sets(tiny_mnist, tiny_drawn):
    proc = run("evaluate", "--data-dir", str(tiny_mnist), MNIST_DRAWN_FILE=str(tiny_drawn))
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    from mnist_model import pen_digits

    digits = pen_digits.load_pen_digits(tiny_drawn)
    held = int((pen_digits.held_out(digits) & pen_digits.well_formed(digits)).sum())
    for name, count in (("MNIST test", 100), ("drawn (held-out writers)", held)):
        accuracy = [line for line in lines if line.startswith(f"{name} accuracy: ")]
        assert len(accuracy) == 1 and accuracy[0].endswith("%") and 0 <= float(accuracy[0].split()[-1][:-1]) <= 100
        per_digit = next(line for line in lines if line.startswith(f"{name} per-digit accuracy: 0: "))
        assert per_digit.count("%") == 10
        start = lines.index(f"{name} confusion matrix (rows: true digit, columns: predicted):") + 2
        assert sum(sum(map(int, row.split()[1:])) for row in lines[start:start + 10]) == count


def test_ctrl_c_stops_training_and_saves_nothing(tiny_mnist, tiny_drawn, tmp_path):
    out = tmp_path / "never.safetensors"
    proc = subprocess.Popen([sys.executable, "-m", "mnist_model", "train", "--epochs", "200", "--batch-size", "4",
                             "--data-dir", str(tiny_mnist), "--out", str(out)],
                            cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env={**os.environ, "MNIST_DRAWN_FILE": str(tiny_drawn)})
    assert proc.stdout.readline().startswith("training preset fast")
    assert proc.stdout.readline().startswith("epoch 1/200")  # training is under way
    proc.send_signal(signal.SIGINT)
    stdout, stderr = proc.communicate(timeout=60)
    assert proc.returncode == 130
    assert "nothing was saved" in stderr and "Traceback" not in stderr
    assert not out.exists()


def test_every_field_of_the_pages_form_is_a_flag():
    from mnist_model.config import FIELDS

    help_text = run("train", "--help").stdout
    for field in FIELDS:
        assert field.flag in help_text, field.name
    assert "--label-smoothing" in help_text and "--dry-run" in help_text


def test_a_dry_run_takes_one_step_and_saves_nothing(tiny_mnist, tiny_drawn, tmp_path):
    out = tmp_path / "dry.safetensors"
    proc = run("train", "--preset", "seed", "--label-smoothing", "0.1", "--dry-run", "--data-dir", str(tiny_mnist),
               "--out", str(out), MNIST_DRAWN_FILE=str(tiny_drawn))
    assert proc.returncode == 0, proc.stderr
    assert "label_smoothing=0.1" in proc.stdout
    assert "dry run: one step" in proc.stdout and "nothing was saved" in proc.stdout
    assert not out.exists()


CLI_ERRORS = [
    pytest.param(("train", "--data-dir", "{tmp}/nothing", "--no-download"), "MNIST is not in", id="no-data"),
    pytest.param(("train", "--hidden", "4"), "8 to 1024 units, got 4", id="bad-hidden"),
    pytest.param(("train", "--epochs", "0"), "epochs must be", id="bad-epochs"),
    pytest.param(("train", "--drawn", "1.5"), "drawn-digit share must be a number from 0 to 0.9, got 1.5", id="bad-drawn"),
    pytest.param(("train", "--label-smoothing", "0.9"), "label smoothing must be a number from 0 to 0.5", id="bad-smoothing"),
    pytest.param(("train", "--device", "tpu"), "unknown device 'tpu'", id="unknown-device"),
    pytest.param(("train", "--out", str(SHIPPED)), "is the shipped model", id="overwrite-shipped"),
    pytest.param(("evaluate", "--checkpoint", "{tmp}/missing.safetensors"), "no checkpoint file at", id="no-checkpoint"),
    pytest.param(("fly",), "usage: python -m mnist_model {train,evaluate}", id="unknown-command"),
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
    proc = run("train", "--device", "cuda")
    assert proc.returncode == 2
    assert "error: device 'cuda' was asked for, but this machine has no CUDA GPU" in proc.stderr


def test_evaluate_cli_shows_the_not_a_digit_column_of_a_network_with_an_eleventh_answer(tiny_mnist, tiny_drawn,
                                                                                        tmp_path):
    from mnist_model import checkpoint
    from mnist_model.model import MLP

    path = checkpoint.save(tmp_path / "eleven.safetensors", MLP((16,), answers=11))
    proc = run("evaluate", "--checkpoint", str(path), "--data-dir", str(tiny_mnist), MNIST_DRAWN_FILE=str(tiny_drawn))
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    start = lines.index("MNIST test confusion matrix (rows: true digit, columns: predicted; x: not a digit):")
    assert lines[start + 1].split()[-1] == "x" and all(len(row.split()) == 12 for row in lines[start + 2:start + 12])
    assert sum(sum(map(int, row.split()[1:])) for row in lines[start + 2:start + 12]) == 100
    assert any(line.startswith("MNIST test digits said not to be a digit: ") for line in lines)
