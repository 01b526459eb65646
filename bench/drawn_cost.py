"""What the pen-written digits cost a training run: an epoch with a drawn share against one without,
and the one-off drawing of the digits, side by side in one run.

The `best` recipe (augmentation on) runs a few epochs with --drawn 0.3 and with --drawn 0, in the
same process, after a warm-up, alternating; an epoch's time is the median over all of its runs'
epochs (EpochEnd). The held-out writers' digits are measured at every epoch's end in both (as the
CLI and the app do). The drawing is timed with an empty cache.

    python -m bench.drawn_cost --data-dir ../shared/mnist [--epochs 3] [--rounds 3]
"""

import argparse
import os
import statistics
import tempfile
import time

import torch

from bench.machine import describe
from mnist_model.config import preset
from mnist_model.data import load_mnist
from mnist_model.pen_digits import VARIANTS, forget, load_pen_digit_tensors, packed_file
from mnist_model.train import train
from mnist_model.train_events import EpochEnd


def epoch_seconds(cfg, data) -> float:
    """The median epoch of a run of `cfg`."""
    ends = [e.elapsed for e in train(cfg, data) if isinstance(e, EpochEnd)]
    return statistics.median(b - a for a, b in zip([0.0, *ends], ends))


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data-dir", default=os.environ.get("MNIST_DATA_DIR"), required="MNIST_DATA_DIR" not in os.environ)
    parser.add_argument("--epochs", type=int, default=3, help="epochs per timed run (default: 3)")
    parser.add_argument("--rounds", type=int, default=3, help="timed runs of each setting, alternating (default: 3)")
    args = parser.parse_args()
    data = load_mnist(args.data_dir, download=False)
    os.environ["MNIST_CACHE_DIR"] = tempfile.mkdtemp(prefix="drawn-cost-")  # nothing drawn yet
    start = time.perf_counter()
    data.drawn = load_pen_digit_tensors(variants=VARIANTS)
    drawing = time.perf_counter() - start
    forget()
    start = time.perf_counter()
    load_pen_digit_tensors(variants=VARIANTS)  # a later process: every drawing, from the disk cache
    cached = time.perf_counter() - start

    times = {0.3: [], 0.0: []}
    epoch_seconds(preset("best", epochs=1), data)  # warm-up
    for _ in range(args.rounds):  # alternating, so that the machine's drift falls on both alike
        for share in times:
            times[share].append(epoch_seconds(preset("best", epochs=args.epochs, drawn=share), data))
    epochs = {share: statistics.median(t) for share, t in times.items()}
    best = preset("best")
    print(f"machine: {describe()}; file {packed_file().name}\n")
    print("| | seconds | vs MNIST only |")
    print("|---|---|---|")
    print(f"| an epoch of `best`, MNIST only (--drawn 0) | {epochs[0.0]:.2f} s | 1.00× |")
    print(f"| an epoch of `best`, 30% pen-written (--drawn 0.3) | {epochs[0.3]:.2f} s | "
          f"{epochs[0.3] / epochs[0.0]:.2f}× |")
    print(f"| once: drawing {VARIANTS} variants of each training digit and the held-out set | "
          f"{drawing:.1f} s | {drawing / (best.epochs * epochs[0.0]):.0%} of a {best.epochs}-epoch `best` run |")
    print(f"| a later process: all of them, read from the disk cache | {cached:.2f} s | |")
    print(f"\ntorch threads: {torch.get_num_threads()}")


if __name__ == "__main__":
    main()
