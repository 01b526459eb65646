"""What the pen-written digits cost a training run: an epoch with a drawn share against one without,
and the one-off drawing of the digits, side by side in one run.

The `best` recipe (augmentation on) runs a few epochs with --drawn 0.3 and with --drawn 0, in the
same process, after a warm-up; an epoch's time is the median of its epochs' times (EpochEnd). The
held-out writers' digits are measured at every epoch's end in both (as the CLI and the app do).

    python -m bench.drawn_cost --data-dir ../shared/mnist [--epochs 4]
"""

import argparse
import os
import statistics
import time

import torch

from bench.machine import describe
from mnist_model.data import load_mnist
from mnist_model.drawn import VARIANTS, _rendered, load_drawn, packed_file
from mnist_model.train import EpochEnd, preset, train


def epoch_seconds(cfg, data) -> float:
    ends = [e.elapsed for e in train(cfg, data) if isinstance(e, EpochEnd)]
    return statistics.median(b - a for a, b in zip([0.0, *ends], ends))


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data-dir", default=os.environ.get("MNIST_DATA_DIR"), required="MNIST_DATA_DIR" not in os.environ)
    parser.add_argument("--epochs", type=int, default=4, help="epochs timed per setting (default: 4)")
    args = parser.parse_args()
    data = load_mnist(args.data_dir, download=False)
    start = time.perf_counter()
    data.drawn = load_drawn(variants=VARIANTS)
    drawing = time.perf_counter() - start
    _rendered.cache_clear()
    start = time.perf_counter()
    load_drawn(variants=0)
    held_out_only = time.perf_counter() - start

    epochs = {}
    for share in (0.3, 0.0):
        cfg = preset("best", epochs=args.epochs, drawn=share)
        epoch_seconds(preset("best", epochs=1, drawn=share), data)  # warm-up
        epochs[share] = epoch_seconds(cfg, data)
    best = preset("best")
    print(f"machine: {describe()}; file {packed_file().name}\n")
    print("| | seconds | vs MNIST only |")
    print("|---|---|---|")
    print(f"| an epoch of `best`, MNIST only (--drawn 0) | {epochs[0.0]:.2f} s | 1.00× |")
    print(f"| an epoch of `best`, 30% pen-written (--drawn 0.3) | {epochs[0.3]:.2f} s | "
          f"{epochs[0.3] / epochs[0.0]:.2f}× |")
    print(f"| once per process: drawing {VARIANTS} variants of each training digit and the held-out set | "
          f"{drawing:.1f} s | {drawing / (best.epochs * epochs[0.0]):.0%} of a {best.epochs}-epoch `best` run |")
    print(f"| once per process: drawing the held-out set only (what measuring needs) | {held_out_only:.1f} s | |")
    print(f"\ntorch threads: {torch.get_num_threads()}")


if __name__ == "__main__":
    main()
