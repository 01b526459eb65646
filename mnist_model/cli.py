"""Command lines: `python -m mnist_model train ...` and `python -m mnist_model evaluate ...`
(installed as `mnist-train` and `mnist-evaluate` too).

Errors from the package become one line on stderr and exit status 2; Ctrl-C stops training
cleanly (exit 130) and saves nothing.
"""

import argparse
import math
import signal
import sys
import threading
from dataclasses import fields
from pathlib import Path

import torch

from . import checkpoint
from .data import ENV_VAR, load_mnist
from .device import resolve_device
from .drawn import VARIANTS, load_drawn
from .errors import MnistModelError
from .evaluate import evaluate
from .model import parse_hidden
from .train import OPTIMIZERS, PRESETS, SCHEDULES, EpochEnd, Finished, Progress, Stopped, preset, train


def _train_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="python -m mnist_model train",
        description="Train the MNIST MLP. A preset sets every value; explicit flags override it.",
    )
    p.add_argument("--preset", choices=PRESETS, default="fast",
                   help="seed: the tutorial's recipe; fast: >=96.7%% quickly; best: the shipped model's recipe (default: fast)")
    p.add_argument("--epochs", type=int, help="passes over the training set (default: the preset's)")
    p.add_argument("--batch-size", type=int, help="images per step (default: the preset's)")
    p.add_argument("--lr", type=float, help="learning rate, the peak one with onecycle (default: the preset's)")
    p.add_argument("--optimizer", choices=OPTIMIZERS, help="default: the preset's")
    p.add_argument("--schedule", choices=SCHEDULES, help="learning-rate schedule (default: the preset's)")
    p.add_argument("--hidden", type=str, help="hidden layer sizes, e.g. 64,64,64 (default: the preset's)")
    p.add_argument("--augment", action=argparse.BooleanOptionalAction, default=None,
                   help="random shifts, rotations, scalings, slants, warps, stroke widths (default: the preset's)")
    p.add_argument("--drawn", type=float,
                   help="share of each epoch's images that are pen-written digits, 0 to 0.9; 0 = MNIST only "
                        "(default: the preset's)")
    p.add_argument("--seed", type=int, help="random seed (default: the preset's, 0)")
    p.add_argument("--device", default="auto", help="auto, cpu, cuda, cuda:N or mps (default: auto)")
    p.add_argument("--threads", type=int, default=None, help="CPU threads for torch (default: torch's choice)")
    p.add_argument("--data-dir", default=None, help=f"MNIST folder (default: ${ENV_VAR}, else ./data)")
    p.add_argument("--no-download", action="store_true", help="never download MNIST; fail if it is missing")
    p.add_argument("--out", default=None,
                   help="where to save the checkpoint (default: checkpoints/trained-PRESET.safetensors)")
    return p


def _overrides(args: argparse.Namespace) -> dict:
    names = {f.name for f in fields(PRESETS["seed"])}
    values = {k: v for k, v in vars(args).items() if k in names and v is not None}
    if args.hidden is not None:
        values["hidden"] = parse_hidden(args.hidden)
    return values


def _fail(message: str, code: int = 2):
    print(f"error: {message}", file=sys.stderr)
    sys.exit(code)


def _accuracies(test: float, drawn: float | None) -> str:
    return f"MNIST test {test:.2%}" + ("" if drawn is None else f"  drawn (held-out writers) {drawn:.2%}")


def train_main(argv: list[str] | None = None) -> None:
    args = _train_parser().parse_args(argv)
    try:
        cfg = preset(args.preset, **_overrides(args))
        device = resolve_device(args.device)
        out = Path(args.out or f"checkpoints/trained-{args.preset}.safetensors")
        if out.resolve() == checkpoint.SHIPPED and args.preset != "best":
            _fail(f"{out} is the shipped model; only --preset best may rebuild it")
        if args.threads is not None:
            torch.set_num_threads(max(1, args.threads))
        data = load_mnist(args.data_dir, device, download=not args.no_download)
        print(f"training preset {args.preset} on {device}: {cfg}", flush=True)
        # held-out writers' digits always (they are measured every epoch); training drawings if used
        data.drawn = load_drawn(device, variants=VARIANTS if cfg.drawn else 0, seed=cfg.seed)
    except MnistModelError as exc:
        _fail(str(exc))
    _run(cfg, data, device, out)


def _run(cfg, data, device, out: Path) -> None:
    from tqdm import tqdm

    steps_per_epoch = math.ceil(len(data.train_y) / cfg.batch_size)
    bar = tqdm(total=cfg.epochs * steps_per_epoch, unit="step", dynamic_ncols=True, leave=False)
    stop = threading.Event()
    signal.signal(signal.SIGINT, lambda *_: stop.set())  # Ctrl-C: the trainer stops before its next step
    last = None
    for last in train(cfg, data, device, stop=stop):
        if isinstance(last, Progress):
            bar.n = (last.epoch - 1) * steps_per_epoch + last.step
            bar.set_postfix(loss=f"{last.loss:.3f}", samples_s=f"{last.samples_per_s:,.0f}")
            bar.refresh()
        elif isinstance(last, EpochEnd):
            bar.write(f"epoch {last.epoch}/{last.epochs}  loss {last.train_loss:.4f}  "
                      f"{_accuracies(last.test_accuracy, last.drawn_accuracy)}  ({last.elapsed:.1f} s)")
    bar.close()
    if isinstance(last, Stopped):
        print(f"stopped at epoch {last.epoch}, step {last.step}; nothing was saved", file=sys.stderr)
        sys.exit(130)
    assert isinstance(last, Finished)
    r = last.result
    checkpoint.save(out, last.model, **r.metadata())
    print(f"done: {_accuracies(r.test_accuracy, r.drawn_accuracy)} in {r.elapsed:.1f} s "
          f"({r.samples_per_s:,.0f} samples/s on {r.device}); saved {out}")


def _evaluate_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m mnist_model evaluate",
                                description="Accuracy, per-digit accuracy and confusion matrix of a checkpoint, on "
                                            "MNIST's test set and on the held-out writers' pen-written digits.")
    p.add_argument("--checkpoint", default=None, help="checkpoint to evaluate (default: the shipped one)")
    p.add_argument("--data-dir", default=None, help=f"MNIST folder (default: ${ENV_VAR}, else ./data)")
    p.add_argument("--no-download", action="store_true", help="never download MNIST; fail if it is missing")
    p.add_argument("--through-preprocess", action="store_true",
                   help="feed each MNIST test image through the public preprocessing, as the app does")
    return p


def _report(name: str, m) -> None:
    print(f"{name} accuracy: {m.accuracy:.4f}")
    print(f"{name} per-digit accuracy: " + "  ".join(f"{d}: {a:.4f}" for d, a in enumerate(m.per_class)))
    print(f"{name} confusion matrix (rows: true digit, columns: predicted):")
    print("      " + "".join(f"{d:>6}" for d in range(10)))
    for d, row in enumerate(m.confusion):
        print(f"{d:>6}" + "".join(f"{c:>6}" for c in row))


def evaluate_main(argv: list[str] | None = None) -> None:
    from .classifier import Classifier

    args = _evaluate_parser().parse_args(argv)
    try:
        clf = Classifier.load(args.checkpoint)
        data = load_mnist(args.data_dir, "cpu", download=not args.no_download)
        drawn = load_drawn("cpu", variants=0)
    except MnistModelError as exc:
        _fail(str(exc))
    images = data.test_x
    if args.through_preprocess:
        scans = (data.test_x * 255).round().to(torch.uint8).numpy()
        blank = torch.zeros(28, 28)  # counts as a wrong answer, as the app would show no digit
        images = torch.stack([blank if (d := clf.preprocess(s)) is None else torch.from_numpy(d) for s in scans])
    print(f"checkpoint: {args.checkpoint or checkpoint.SHIPPED}")
    _report("MNIST test", evaluate(clf.model, images, data.test_y))
    _report("drawn (held-out writers)", evaluate(clf.model, drawn.val_x, drawn.val_y))


USAGE = "usage: python -m mnist_model {train,evaluate} [--help | options]"


def main(argv: list[str] | None = None) -> None:
    argv = sys.argv[1:] if argv is None else argv
    commands = {"train": train_main, "evaluate": evaluate_main}
    if argv[:1] in (["-h"], ["--help"]):
        print(USAGE)
        return
    if not argv or argv[0] not in commands:
        _fail(USAGE)
    commands[argv[0]](argv[1:])
