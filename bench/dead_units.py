"""Dead units: how a learning rate too high kills ReLU units, and how leaky ReLU keeps them alive.

Trains the tutorial's 784-64-64-64-10 network with the package's own trainer (the page's Train tab
runs the same), once per recipe and seed, and counts each hidden layer's units that never switch on
over MNIST's 10,000 test digits (mnist_model.explain.dead_units: a unit whose weighted sum plus bias
is above 0 for none of them). Prints one row per recipe: dead units before training (the same
seeds' fresh networks) and after, per layer (mean over seeds) and each seed's total, and the test
accuracy; then, for a rate other than --then-lr, the same after one more epoch at --then-lr going on
from that network (a ReLU unit whose sum is never above 0 for any training image gets no gradient
from any: in the first layer, whose inputs are the images themselves, it can never come back; a
deeper one only if the layers before it change; a leaky ReLU unit still learns).

    MNIST_DATA_DIR=... python -m bench.dead_units              # the README's table
    python -m bench.dead_units --epochs 1 --seeds 1 --lr 0.001 0.05   # a quicker look
"""

import argparse
import statistics
import time
from dataclasses import replace

import torch

from bench.machine import describe
from mnist_model.config import TrainConfig
from mnist_model.explain import dead_units
from mnist_model.training_run import Done, RunRequest, mnist_on, run
from mnist_model.train import build_model


def train_once(cfg: TrainConfig, go_on=None) -> Done:
    for event in run(RunRequest(cfg, device="cpu", download=False, go_on=go_on)):
        if isinstance(event, Done):
            return event
    raise RuntimeError(f"the run of {cfg} ended without a result")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--epochs", type=int, default=1, help="epochs per run (default 1)")
    parser.add_argument("--seeds", type=int, default=3, help="runs per recipe, seeds 0.. (default 3)")
    parser.add_argument("--lr", type=float, nargs="+", default=[0.001, 0.03],
                        help="Adam learning rates to compare (default 0.001, the lesson's, and 0.03)")
    parser.add_argument("--activations", nargs="+", default=["relu", "leaky_relu"],
                        help="activations to compare (default relu leaky_relu)")
    parser.add_argument("--batch-size", type=int, default=15, help="images per step (default 15, the lesson's)")
    parser.add_argument("--then-lr", type=float, default=0.001,
                        help="after a run at another rate, one more epoch at this one, going on from its network: "
                             "do its dead units come back? (default 0.001, the lesson's)")
    parser.add_argument("--threads", type=int, default=1, help="torch threads (default 1)")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)  # a step of this small network is too small to share out
    # a rate too high drives many numbers towards 0: subnormal floats then made a CPU step some 50 times
    # slower here (717 s for one epoch instead of 14); flushing them to 0 left the lesson's rate's figures as they were
    torch.set_flush_denormal(True)
    print(f"# {describe()}")
    print(f"# 784-64-64-64-10, Adam, batch {args.batch_size}, {args.epochs} epoch(s), seeds 0..{args.seeds - 1}; "
          "dead = weighted sum + bias never above 0 over MNIST's 10,000 test digits")
    test_x = mnist_on("cpu", download=False).test_x
    print("| activation | learning rate | dead before training, each seed | dead after, per layer (mean) "
          f"| dead of 192 after, each seed | test accuracy (mean) | then an epoch at {args.then_lr:g}: dead, each seed "
          "| test accuracy (mean) |")
    print("|---|---|---|---|---|---|---|---|")
    for lr in args.lr:
        for activation in args.activations:
            per_layer, totals, accuracies, fresh, later, later_accuracies = [], [], [], [], [], []
            for seed in range(args.seeds):
                cfg = TrainConfig(activation=activation, lr=lr, epochs=args.epochs, batch_size=args.batch_size,
                                  seed=seed)
                fresh.append(dead_units(build_model(cfg, torch.device("cpu")), test_x).count)
                start = time.perf_counter()
                done = train_once(cfg)
                dead = done.report.dead
                per_layer.append([len(u) for u in dead.units])
                totals.append(dead.count)
                accuracies.append(done.report.mnist.accuracy)
                print(f"#   {activation} lr={lr} seed={seed}: {dead!r}, accuracy {accuracies[-1]:.4f} "
                      f"({time.perf_counter() - start:.0f} s)", flush=True)
                if lr != args.then_lr:
                    again = train_once(replace(cfg, lr=args.then_lr), go_on=done.state)
                    later.append(again.report.dead.count)
                    later_accuracies.append(again.report.mnist.accuracy)
                    print(f"#     then lr={args.then_lr}: {again.report.dead!r}, accuracy {later_accuracies[-1]:.4f}",
                          flush=True)
            layers = " / ".join(f"{statistics.mean(col):.1f}" for col in zip(*per_layer))
            then = (f"{', '.join(map(str, later))} | {statistics.mean(later_accuracies):.2%}" if later else "– | –")
            print(f"| {activation} | {lr:g} | {', '.join(map(str, fresh))} | {layers} | {', '.join(map(str, totals))} | "
                  f"{statistics.mean(accuracies):.2%} | {then} |", flush=True)


if __name__ == "__main__":
    main()
