"""The pace control: a run slowed to a chosen number of steps per second keeps that rate.

For each pace, trains the `fast` recipe on random MNIST-shaped images for a number of steps that
lasts about `--seconds`, and compares the steps per second it kept with the pace asked for (the
trainer's own loop, as the Train tab runs it), from the first step to the last. Goal: within 20%.

    python -m bench.pace [--seconds 10]
"""

import argparse

import torch

from bench.machine import describe
from mnist_model.config import preset
from mnist_model.data import MnistTensors
from mnist_model.train import train
from mnist_model.train_events import Progress

PACES = (1.0, 5.0, 20.0, 50.0)  # steps per second (the Train tab's slider goes to 50)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=10.0, help="length of each paced run (default: 10)")
    args = parser.parse_args()
    print(f"machine: {describe()}\n")
    print("| pace asked (steps/s) | steps | seconds | pace kept (steps/s) | off by |")
    print("|---|---|---|---|---|")
    for pace in PACES:
        steps = max(3, round(pace * args.seconds))
        batch = 256
        n = steps * batch
        data = MnistTensors(torch.rand(n, 28, 28), torch.randint(10, (n,)), torch.rand(100, 28, 28),
                            torch.randint(10, (100,)))
        # the loss curve's points: the step each came after, and when, from the run's start
        points = [(e.step, e.elapsed) for e in train(preset("fast", epochs=1, batch_size=batch), data, pace=pace)
                  if isinstance(e, Progress)]
        (first, start), (last, end) = points[0], points[-1]
        kept = (last - first) / (end - start)  # from the first point's step to the last's
        print(f"| {pace:g} | {last - first} | {end - start:.2f} | {kept:.2f} | {kept / pace - 1:+.1%} |")


if __name__ == "__main__":
    main()
