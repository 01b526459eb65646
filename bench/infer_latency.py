"""Preprocessing + prediction latency in Python for drawings of several canvas sizes, on one CPU core.

    python -m bench.infer_latency [--repeats 500]

Each drawing is what the pad hands to Python (RGBA, transparent but for the ink, drawn with the pen
fitted to the digit) with a digit drawn across most of the canvas. Timed:
`Classifier.predict_proba(picture)`, after a warm-up.
"""

import argparse
import statistics
import time

import numpy as np
import torch

from bench.machine import describe
from mnist_model import Classifier
from support.strokes import drawing

SIZES = (280, 400, 800, 1600, 4000)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeats", type=int, default=500, help="timed calls per canvas size (default: 500)")
    args = parser.parse_args()
    torch.set_num_threads(1)
    clf = Classifier.load()
    print(f"machine: {describe()}; {args.repeats} calls per size after 20 warm-up calls\n")
    print("| canvas | p50 | p95 | digit |")
    print("|---|---|---|---|")
    for size in SIZES:
        value = drawing(8, size).layer
        for _ in range(20):
            clf.predict_proba(value)
        times = []
        repeats = args.repeats if size <= 800 else max(20, args.repeats // 10)
        for _ in range(repeats):
            start = time.perf_counter()
            probs = clf.predict_proba(value)
            times.append(time.perf_counter() - start)
        p50, p95 = statistics.median(times), float(np.percentile(times, 95))
        print(f"| {size}×{size} | {p50 * 1e3:.2f} ms | {p95 * 1e3:.2f} ms | {int(probs.argmax())} |")


if __name__ == "__main__":
    main()
