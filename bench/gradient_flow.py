"""The gradient's flow (issue 22): how much of the gradient reaches the first layer, per activation
and depth, and the lesson pair "8 sigmoid layers" vs "8 ReLU layers" as the Train tab runs it.

1. The issue's table: networks of 3, 5 and 8 hidden layers of 64 units, each activation, PyTorch's
   default initialisation (seeds 0..S-1), one backward pass on 512 MNIST training images; the first
   layer's gradient length over the last layer's (train.gradient_lengths: the L2 norm of a layer's
   weights' and biases' gradients together, what the page plots), its geometric mean over the seeds
   and the range. The issue measured the weights' gradients alone: that ratio is printed beside.
2. The lesson pair: each preset run whole, as the Train tab runs it at full speed (training_run.run: the
   run's test-set measurements, then the judgement on both test sets), with the app's thread count
   (one fewer than the cores); wall and CPU seconds (MNIST already read), mean and spread over the
   repeats, the final accuracies, the first/last ratio at the first loss point and at the last.
3. What recording the gradient lengths costs: the time the `deep_relu` loop spends measuring them.

    python -m bench.gradient_flow [--seeds 5] [--repeats 3]
"""

import argparse
import math
import os
import statistics
import time

import torch

import mnist_model.train as train_module
from bench.machine import describe
from mnist_model.config import preset
from mnist_model.model import ACTIVATIONS, MLP
from mnist_model.sampling import as_float
from mnist_model.train import gradient_lengths, loss_fn
from mnist_model.train_events import Progress
from mnist_model.training_run import Done, RunRequest, mnist_on, run

DEPTHS = (3, 5, 8)
PAIR = ("deep_sigmoid", "deep_relu")


def first_over_last(activation: str, depth: int, seed: int, images: torch.Tensor, labels: torch.Tensor):
    """(all parameters', weights' only) first/last gradient length ratio of a fresh network, one backward pass."""
    torch.manual_seed(seed)
    model = MLP((64,) * depth, activation)
    loss_fn(model(images), labels).backward()
    lengths = gradient_lengths(model)
    weights = [layer.weight.grad.norm() for layer in model.layers]
    return float(lengths[0] / lengths[-1]), float(weights[0] / weights[-1])


def geometric(values: list[float]) -> float:
    return math.exp(statistics.fmean(math.log(v) for v in values))


def table(seeds: int) -> None:
    data = mnist_on("cpu")
    images, labels = as_float(data.train_x[:512]), data.train_y[:512]
    print(f"## 1. First layer's gradient length / last layer's, fresh networks, 512 images, seeds 0..{seeds - 1}")
    print("geometric mean (min..max); in brackets the weights' gradients alone (the issue's measure)\n")
    print("| activation | " + " | ".join(f"{d} layers" for d in DEPTHS) + " |")
    print("|---" * (len(DEPTHS) + 1) + "|")
    for activation in ACTIVATIONS:
        cells = []
        for depth in DEPTHS:
            ratios = [first_over_last(activation, depth, seed, images, labels) for seed in range(seeds)]
            both, weights = [r[0] for r in ratios], [r[1] for r in ratios]
            cells.append(f"{geometric(both):.2g} ({min(both):.2g}..{max(both):.2g}) [{geometric(weights):.2g}]")
        print(f"| {activation} | " + " | ".join(cells) + " |")


def one_run(name: str) -> dict:
    points, accuracy = [], None
    start_wall, start_cpu = time.perf_counter(), time.process_time()
    for event in run(RunRequest(preset(name), device="cpu")):
        if isinstance(event, Progress) and event.gradients:
            points.append(event.gradients)
        if isinstance(event, Done):
            accuracy = (event.result.test_accuracy, event.result.drawn_accuracy)
    return {"wall": time.perf_counter() - start_wall, "cpu": time.process_time() - start_cpu,
            "accuracy": accuracy, "first": points[0][0] / points[0][-1], "last": points[-1][0] / points[-1][-1],
            "points": len(points)}


def spread(values: list[float]) -> str:
    return f"{statistics.fmean(values):.1f} ± {statistics.pstdev(values):.1f}"


def pair(repeats: int) -> None:
    print(f"\n## 2. The lesson pair as the Train tab runs it (full speed), {repeats} run(s) each\n")
    print("| preset | recipe | wall s | CPU s | MNIST test | held-out writers | first/last at the start | at the end |")
    print("|---|---|---|---|---|---|---|---|")
    for name in PAIR:
        runs = [one_run(name) for _ in range(repeats)]
        cfg = preset(name)
        recipe = f"{len(cfg.hidden)}×{cfg.hidden[0]} {cfg.activation}, {cfg.optimizer} lr {cfg.lr:g}, batch {cfg.batch_size}, {cfg.epochs} epoch"
        tests = [r["accuracy"][0] for r in runs]
        drawn = [r["accuracy"][1] for r in runs]
        print(f"| {name} | {recipe} | {spread([r['wall'] for r in runs])} | {spread([r['cpu'] for r in runs])} | "
              f"{statistics.fmean(tests):.1%} | {statistics.fmean(drawn):.1%} | "
              f"{geometric([r['first'] for r in runs]):.2g} | {geometric([r['last'] for r in runs]):.2g} |")


def overhead(repeats: int) -> None:
    """The CPU time spent measuring the lengths, timed inside the run itself, as a share of the run's
    CPU time (CPU time: what another program's load on the machine does not inflate; torch runs on
    the calling thread here, with one thread); wall seconds beside."""
    data = mnist_on("cpu")
    original, spent = train_module.gradient_lengths, []

    def timed(model):
        start = time.thread_time()
        lengths = original(model).tolist()  # (as the trainer reads them back)
        spent.append(time.thread_time() - start)
        return torch.tensor(lengths)

    train_module.gradient_lengths = timed
    shares = []
    try:
        for _ in range(repeats):
            spent.clear()
            start, cpu = time.perf_counter(), time.process_time()
            for _ in train_module.train(preset("deep_relu"), data, torch.device("cpu")):
                pass
            wall, cpu = time.perf_counter() - start, time.process_time() - cpu
            shares.append(sum(spent) / cpu)
            print(f"   a deep_relu loop: {wall:.1f} s ({cpu:.1f} s CPU), {len(spent)} measurements taking "
                  f"{sum(spent) * 1000:.0f} ms")
    finally:
        train_module.gradient_lengths = original
    print(f"\n## 3. Recording the gradient lengths costs {statistics.fmean(shares):.1%} of the training loop's CPU time "
          f"(max {max(shares):.1%} over {repeats} runs)")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seeds", type=int, default=5, help="fresh networks per cell of the table (default: 5)")
    parser.add_argument("--repeats", type=int, default=3, help="runs of each lesson preset (default: 3)")
    args = parser.parse_args()
    torch.set_num_threads(max(1, (os.cpu_count() or 2) - 1))  # as app.py serves (one thread on 2 cores)
    print(f"machine: {describe()}; load average {os.getloadavg()[0]:.1f} at the start\n")
    table(args.seeds)
    pair(args.repeats)
    overhead(args.repeats)
    print(f"\nload average {os.getloadavg()[0]:.1f} at the end (another program's work slows the wall clock)")


if __name__ == "__main__":
    main()
