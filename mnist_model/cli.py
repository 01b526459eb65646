"""Command lines: `python -m mnist_model train ...` and `python -m mnist_model evaluate ...`
(installed as `mnist-train` and `mnist-evaluate` too).

Every field of the page's training form is a flag here (config.FIELDS makes both). Errors from
the package become one line on stderr and exit status 2; Ctrl-C stops training cleanly (exit 130)
and saves nothing. On a terminal, training shows a progress bar; otherwise (a log, a pipe) one line
per epoch.
"""

import argparse
import dataclasses
import signal
import sys
import threading
from pathlib import Path

import torch

from . import checkpoint
from .config import FIELDS, PRESETS, read_fields
from .data import ENV_VAR
from .errors import MnistModelError
from .evaluate import evaluate
from .train_events import TrainResult
from .training_run import Done, Loading, RunRequest, run

KINDS = {"int": int, "float": float, "hidden": str}


def _train_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="python -m mnist_model train",
        description="Train the MNIST MLP (or the small CNN). A preset sets every value; explicit flags override it.",
    )
    p.add_argument("--preset", choices=PRESETS, default="fast",
                   help="seed: the tutorial's recipe; fast: >=96.7%% quickly; best: the shipped model's recipe; "
                        "cnn: the shipped CNN's recipe (default: fast)")
    for f in FIELDS:
        helped = {"help": f"{f.help} (default: the preset's)".replace("%", "%%"), "dest": f.name}
        if f.kind == "bool":
            p.add_argument(f.flag, action=argparse.BooleanOptionalAction, default=None, **helped)
        elif f.kind == "choice":
            p.add_argument(f.flag, choices=f.choices, **helped)
        else:
            p.add_argument(f.flag, type=KINDS[f.kind], **helped)
    p.add_argument("--device", default="auto", help="auto, cpu, cuda, cuda:N or mps (default: auto)")
    p.add_argument("--threads", type=int, default=None, help="CPU threads for torch (default: torch's choice)")
    p.add_argument("--data-dir", default=None, help=f"MNIST folder (default: ${ENV_VAR}, else ./data)")
    p.add_argument("--no-download", action="store_true", help="never download MNIST; fail if it is missing")
    p.add_argument("--out", default=None,
                   help="where to save the checkpoint (default: checkpoints/trained-PRESET.safetensors)")
    p.add_argument("--half", action="store_true",
                   help="store the weights rounded to float16, the accuracies measured again (a page downloads "
                        "half the bytes; the shipped models are stored so)")
    p.add_argument("--dry-run", action="store_true", help="one optimiser step, measured; nothing is saved")
    return p


def _fail(message: str, code: int = 2):
    print(f"error: {message}", file=sys.stderr)
    sys.exit(code)


def _accuracies(test: float, drawn: float | None) -> str:
    return f"MNIST test {test:.2%}" + ("" if drawn is None else f"  drawn (held-out writers) {drawn:.2%}")


def train_main(argv: list[str] | None = None) -> None:
    args = _train_parser().parse_args(argv)
    try:
        cfg = read_fields(args.preset, {f.name: getattr(args, f.name) for f in FIELDS})
    except MnistModelError as exc:
        _fail(str(exc))
    out = Path(args.out or f"checkpoints/trained-{args.preset}.safetensors")
    if out.resolve() == checkpoint.SHIPPED and args.preset != "best":
        _fail(f"{out} is the shipped model; only --preset best may rebuild it")
    if out.resolve() == checkpoint.SHIPPED_CNN and args.preset != "cnn":
        _fail(f"{out} is the shipped CNN; only --preset cnn may rebuild it")
    if args.threads is not None:
        torch.set_num_threads(max(1, args.threads))
    print(f"training preset {args.preset} with {torch.get_num_threads()} CPU thread(s): {cfg}", flush=True)
    request = RunRequest(cfg, device=args.device, data_dir=args.data_dir, download=not args.no_download,
                         max_steps=1 if args.dry_run else None)
    stop = threading.Event()
    signal.signal(signal.SIGINT, lambda *_: stop.set())  # Ctrl-C: the trainer stops before its next step
    try:
        done = _follow(run(request, stop), sys.stdout.isatty())
    except MnistModelError as exc:
        _fail(str(exc))
    if done is None:
        print("stopped; nothing was saved", file=sys.stderr)
        sys.exit(130)
    r = done.result
    if args.half and not args.dry_run:
        r = _halved(done.classifier.model, r, args)
    summary = f"{_accuracies(r.test_accuracy, r.drawn_accuracy)} in {r.elapsed:.1f} s " \
              f"({r.samples_per_s:,.0f} samples/s on {r.device})"
    if args.dry_run:
        print(f"dry run: one step, {summary}; nothing was saved")
        return
    checkpoint.save(out, done.classifier.model, **r.metadata())
    print(f"done: {summary}; saved {out}")


def _halved(model: torch.nn.Module, result: TrainResult, args) -> TrainResult:
    """`model` with its weights rounded to the nearest float16 (in place) and `result` with its accuracies
    measured again: what a page's payload carries in half the bytes (app_ui.components.model_payload)."""
    from .data import load_mnist
    from .pen_digits import load_pen_digit_tensors

    with torch.no_grad():
        for parameter in model.parameters():
            parameter.copy_(parameter.half().float())
    try:
        data = load_mnist(args.data_dir, "cpu", download=not args.no_download)
        pen = load_pen_digit_tensors("cpu", variants=0) if result.drawn_accuracy is not None else None
    except MnistModelError as exc:
        _fail(str(exc))
    test = evaluate(model, data.test_x, data.test_y).accuracy
    drawn = None if pen is None else evaluate(model, pen.val_x, pen.val_y).accuracy
    was = _accuracies(result.test_accuracy, result.drawn_accuracy)
    print(f"rounded to float16: {_accuracies(test, drawn)} (was {was})", flush=True)
    return dataclasses.replace(result, test_accuracy=test, drawn_accuracy=drawn)


def _follow(events, terminal: bool) -> Done | None:
    """Show a run's events (bars on a terminal, else a line per epoch); its Done, or None if stopped."""
    from tqdm import tqdm

    from .train_events import EpochEnd, Progress, Stopped

    bars: dict[str, tqdm] = {}

    def bar(name: str, total: int, unit: str, at: int) -> tqdm:
        if name not in bars:
            bars[name] = tqdm(total=total, unit=unit, dynamic_ncols=True, leave=False)
        bars[name].n = at
        return bars[name]

    def write(line: str) -> None:
        next(iter(bars.values())).write(line) if bars else print(line, flush=True)

    for event in events:
        if isinstance(event, Loading) and event.what in ("drawn", "not_digits") and event.total and terminal:
            bar(event.what, event.total, "drawing", event.done).refresh()
        elif isinstance(event, Progress) and event.point and terminal:
            bar("training", event.total_steps, "step", event.steps).set_postfix(
                loss=f"{event.loss:.3f}", samples_s=f"{event.samples_per_s:,.0f}")
        elif isinstance(event, EpochEnd):
            write(f"epoch {event.epoch}/{event.epochs}  loss {event.train_loss:.4f}  "
                  f"{_accuracies(event.test_accuracy, event.drawn_accuracy)}  ({event.elapsed:.1f} s)")
        elif isinstance(event, Stopped):
            write(f"stopped at epoch {event.epoch}, step {event.step}")
        if isinstance(event, (Stopped, Done)):
            for b in bars.values():
                b.close()
            return event if isinstance(event, Done) else None
    return None


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
    print(f"{name} accuracy: {m.accuracy:.2%}")
    print(f"{name} per-digit accuracy: " + "  ".join(f"{d}: {a:.2%}" for d, a in enumerate(m.per_class)))
    eleventh = len(m.confusion[0]) > 10  # (a network that also answers "not a digit": column x)
    print(f"{name} confusion matrix (rows: true digit, columns: predicted{'; x: not a digit' if eleventh else ''}):")
    print("      " + "".join(f"{'x' if a == 10 else a:>6}" for a in range(len(m.confusion[0]))))
    for d, row in enumerate(m.confusion):
        print(f"{d:>6}" + "".join(f"{c:>6}" for c in row))
    if eleventh:
        print(f"{name} digits said not to be a digit: {m.refused:.2%}")


def evaluate_main(argv: list[str] | None = None) -> None:
    from .classifier import Classifier
    from .data import load_mnist
    from .pen_digits import load_pen_digit_tensors

    args = _evaluate_parser().parse_args(argv)
    try:
        clf = Classifier.load(args.checkpoint)
        data = load_mnist(args.data_dir, "cpu", download=not args.no_download)
        drawn = load_pen_digit_tensors("cpu", variants=0)
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
