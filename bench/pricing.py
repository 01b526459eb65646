"""How well a run is priced: the trainer's estimate of a step (mnist_model.pricing.step_seconds, what
the app's line and budget go by) against the step's real time, for the small CNN and the largest
MLP the form trains, at batch sizes from 1 to 512.

Each network is trained for a few seconds on random images with the real training loop (no data set
needed), after a warm-up, in this process, with the torch threads the app's runs have (1 by
default: app_ui/training.py), as the app measures its own speed (pricing.speed).

    python -m bench.pricing [--threads 1] [--seconds 3]
"""

import argparse
import math

import torch

from bench.machine import describe
from mnist_model.config import TrainConfig
from mnist_model.model import MAX_LAYERS, MAX_UNITS
from mnist_model.pricing import seconds_per_step, step_seconds

NETWORKS = {
    "small CNN": dict(architecture="cnn"),
    "small CNN, augmented": dict(architecture="cnn", augment=True),
    "MLP 784-64-64-64-10": dict(hidden=(64, 64, 64)),
    "MLP 784-256-256-10": dict(hidden=(256, 256)),
    "MLP 3 x 1024": dict(hidden=(1024,) * 3),
    f"MLP {MAX_LAYERS} x {MAX_UNITS}": dict(hidden=(MAX_UNITS,) * MAX_LAYERS),
    f"MLP {MAX_LAYERS} x {MAX_UNITS} sigmoid": dict(hidden=(MAX_UNITS,) * MAX_LAYERS, activation="sigmoid"),
}
BATCHES = (1, 4, 16, 64, 512)


def real_step(cfg: TrainConfig, seconds: float) -> float:
    """Seconds per step of `cfg`'s real training loop on random images, over about `seconds` (the
    trainer's own measurement, pricing.seconds_per_step, given as many steps as that takes)."""
    steps = max(3, min(2000, math.ceil(seconds / max(step_seconds(cfg), 1e-5))))
    return seconds_per_step("cpu", cfg, steps)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--seconds", type=float, default=3.0, help="each measurement's length")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    step_seconds(TrainConfig())  # (the machine's speed, measured once, as the app does)
    print(f"machine: {describe()}")
    print("real step time / estimated step time (1.00: priced right; the goal: within 0.75 to 1.25)\n")
    print("| network | " + " | ".join(f"batch {b}" for b in BATCHES) + " |")
    print("|---|" + "---|" * len(BATCHES))
    for name, fields in NETWORKS.items():
        cells = []
        for batch in BATCHES:
            cfg = TrainConfig(batch_size=batch, **fields)
            estimate = step_seconds(cfg)
            real = real_step(cfg, args.seconds)
            cells.append(f"{real / estimate:.2f} ({real * 1000:.1f} ms)")
        print(f"| {name} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
