"""The small CNN beside the MLP (issue 22): the same recipe for both, timed per epoch and judged on
MNIST's test set and on held-out writers' pen-written digits (all digits, and the 1s and 9s, the
digits the MLP reads worst), then the shipped checkpoints judged the same way.

The recipe is issue 22's, the `cnn` preset's before it learned "not a digit" (4 epochs of one-cycle
Adam, batch 128, augmentation, 30 % pen-written digits, ten answers: RECIPE below), run once with
`--architecture mlp` (the lesson's 784-64-64-64-10) and once with `--architecture cnn`, with the
same seed, data and threads, one after the other. An epoch's time is from one epoch's end to the
next (training and the test sets' measurement): wall-clock seconds (the trainer's own clock), and
the process's CPU seconds, which other people's work on a shared machine changes far less (with one
thread, CPU seconds are the work done); the first epoch is reported apart, as the warm-up. Held-out
writers are those the trainer never trains on (mnist_model.pen_digits's split by person); their
digits are drawn as the trainer's test set draws them (the pen of the held-out set, no variants).

    python -m bench.cnn --data-dir ../shared/mnist [--epochs 4] [--threads 1] [--networks mlp cnn]
"""

import argparse
import os
import statistics
import sys
import time
from dataclasses import replace

import torch

from bench.machine import describe
from mnist_model import Classifier, checkpoint
from mnist_model.config import preset
from mnist_model.pen_digits import load_pen_digit_tensors
from mnist_model.evaluate import evaluate
from mnist_model.train import train
from mnist_model.train_events import EpochEnd, Finished
from mnist_model.training_run import mnist_on

# issue 22's recipe for both networks: the cnn preset as it was, with ten answers (the preset now
# also learns "not a digit", for 30 epochs: the shipped CNN's recipe)
RECIPE = preset("cnn", epochs=4, drawn=0.3, not_a_digit=0.0)


def judged(model, mnist, drawn) -> dict:
    """MNIST test accuracy, the held-out writers' accuracy, and theirs on 1s and 9s."""
    on_mnist = evaluate(model, mnist.test_x, mnist.test_y)
    on_drawn = evaluate(model, drawn.val_x, drawn.val_y)
    return {"mnist": on_mnist.accuracy, "drawn": on_drawn.accuracy,
            "ones": on_drawn.per_class[1], "nines": on_drawn.per_class[9]}


def trained(cfg, mnist) -> tuple[torch.nn.Module, list[float], list[float]]:
    """The network `cfg` trains, and each epoch's wall-clock and CPU seconds."""
    walls, cpus, model = [], [], None
    cpu_start = time.process_time()
    for event in train(cfg, mnist, torch.device("cpu")):
        if isinstance(event, EpochEnd):
            walls.append(event.elapsed)
            cpus.append(time.process_time() - cpu_start)
        elif isinstance(event, Finished):
            model = event.model
    each = lambda ends: [b - a for a, b in zip([0.0, *ends[:-1]], ends)]  # noqa: E731
    return model, each(walls), each(cpus)


def seconds(epochs: list[float] | None) -> str:
    """The first epoch's seconds, and the later epochs' mean and spread, as two cells."""
    if not epochs:
        return "– | –"
    rest = epochs[1:] or epochs
    spread = f" ± {statistics.stdev(rest):.1f}" if len(rest) > 1 else ""
    return f"{epochs[0]:.1f} s | {statistics.mean(rest):.1f}{spread} s"


def row(name: str, figures: dict, wall: list[float] | None = None, cpu: list[float] | None = None) -> str:
    return (f"| {name} | {seconds(wall)} | {seconds(cpu)} | {figures['mnist']:.2%} | {figures['drawn']:.2%} | "
            f"{figures['ones']:.1%} | {figures['nines']:.1%} |")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data-dir", default=os.environ.get("MNIST_DATA_DIR"), help="MNIST folder")
    parser.add_argument("--epochs", type=int, default=RECIPE.epochs, help="epochs of each run (default: 4, issue 22's)")
    parser.add_argument("--threads", type=int, default=1, help="torch's CPU threads (default: 1)")
    parser.add_argument("--networks", nargs="*", default=["mlp", "cnn"], choices=["mlp", "cnn"],
                        help="the networks to train (default: mlp cnn; none: judge the shipped checkpoints only)")
    args = parser.parse_args()
    if not args.data_dir:
        sys.exit("give --data-dir (or set MNIST_DATA_DIR): a folder holding MNIST/raw")
    os.environ["MNIST_DATA_DIR"] = args.data_dir
    torch.set_num_threads(args.threads)
    print(f"machine: {describe()}; torch threads: {args.threads}; load average {os.getloadavg()[0]:.1f} at the start\n")
    mnist = mnist_on("cpu")
    held_out = load_pen_digit_tensors("cpu", variants=0)
    data = replace(mnist, drawn=load_pen_digit_tensors("cpu", variants=8))  # as the trainer loads them for a run

    print("| network | epoch 1, wall | later epochs, wall (mean ± sd) | epoch 1, CPU | later epochs, CPU | MNIST test "
          "| held-out writers | their 1s | their 9s |")
    print("|---|---|---|---|---|---|---|---|---|")
    for architecture in args.networks:
        cfg = replace(RECIPE, architecture=architecture, epochs=args.epochs)
        model, wall, cpu = trained(cfg, data)
        params = sum(p.numel() for p in model.parameters())
        name = (f"{architecture.upper()} ({params:,} parameters), `--preset cnn --architecture {architecture} "
                f"--epochs {args.epochs} --drawn {RECIPE.drawn} --not-a-digit 0`")
        print(row(name, judged(model, mnist, held_out), wall, cpu), flush=True)
    print(f"\nload average {os.getloadavg()[0]:.1f} at the end")
    for name, path in checkpoint.shipped_models().items():
        clf = Classifier.load(path)
        recipe = clf.meta.get("recipe", {})
        label = f"shipped `{name}` ({recipe.get('epochs')} epochs, batch {recipe.get('batch_size')})"
        print(row(label, judged(clf.model, mnist, held_out)), flush=True)


if __name__ == "__main__":
    main()
