"""How far a documented training command's outcome moves between machines: the spread behind the
reproduction tests' tolerances (tests/package/test_full_mnist.py).

The same recipe and seed give the same network on one machine, bit for bit; on another CPU the
floating-point sums run in another order (other SIMD kernels in ATen, MKL and oneDNN, another thread
count), and after thousands of steps the two networks differ as much as two seeds do. This script
reruns the README's documented commands exactly (`python -m mnist_model train --preset P ...`, in a
fresh process each) under the kernel paths torch offers on one CPU, and with other seeds, and
prints each run's accuracies beside the shipped checkpoint's:

    variant       what changes
    2 threads     nothing (torch's default here): the shipped checkpoints were made so
    1 thread      --threads 1: every sum in one thread's order
    AVX2          ATEN_CPU_CAPABILITY=avx2, MKL_ENABLE_INSTRUCTIONS=AVX2, DNNL_MAX_CPU_ISA=AVX2 (1 thread):
                  the vector kernels of a CPU without AVX-512
    no oneDNN     torch.backends.mkldnn.enabled = False (1 thread): ATen's and MKL's kernels alone
    MKL compat    MKL_CBWR=COMPATIBLE (1 thread): MKL's conservative code path
    seed N        --seed N (1 thread): another draw of the initial weights, batches and augmentation

    python -m bench.reproduction --data-dir ../shared/mnist [--presets best cnn seed fast]
                                 [--variants ...] [--seeds 1 2 3 4] [--jobs 2] [--json out.json]

Two runs go side by side by default (one thread each, so that neither slows the other's result;
timings are not the point here). Each line reads: the preset, the variant, MNIST's test accuracy
and its difference from the shipped model's in points (and in test images), the held-out writers'
pen-written digits likewise (4,444 drawings: one drawing is 0.02 points). Then, per preset, the
largest difference among the same-seed variants and the spread over seeds, and the binomial noise
of each test set's size at that accuracy.
"""

import argparse
import json
import math
import os
import statistics
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from bench.machine import describe
from mnist_model import Classifier
from mnist_model.checkpoint import SHIPPED, SHIPPED_CNN

ROOT = Path(__file__).resolve().parent.parent
MNIST_TEST = 10_000
REFERENCE = {"best": SHIPPED, "cnn": SHIPPED_CNN}  # the presets whose checkpoint ships
NO_ONEDNN = "import sys, torch; torch.backends.mkldnn.enabled = False; from mnist_model.cli import main; main()"
VARIANTS = {  # name: (threads, extra environment, python's arguments before `train`)
    "2 threads": (2, {}, ["-m", "mnist_model"]),
    "1 thread": (1, {}, ["-m", "mnist_model"]),
    "AVX2": (1, {"ATEN_CPU_CAPABILITY": "avx2", "MKL_ENABLE_INSTRUCTIONS": "AVX2", "DNNL_MAX_CPU_ISA": "AVX2"},
             ["-m", "mnist_model"]),
    "no oneDNN": (1, {}, ["-c", NO_ONEDNN]),
    "MKL compat": (1, {"MKL_CBWR": "COMPATIBLE"}, ["-m", "mnist_model"]),
}


def run_once(preset: str, variant: str, seed: int | None, data_dir: str, folder: Path) -> dict:
    """One documented command in a fresh process; its checkpoint's recorded accuracies."""
    threads, env, python = VARIANTS[variant]
    out = folder / f"{preset}-{variant.replace(' ', '_')}-{seed}.safetensors"
    argv = [sys.executable, *python, "train", "--preset", preset, "--data-dir", data_dir, "--no-download",
            "--half", "--out", str(out), "--threads", str(threads)] + ([] if seed is None else ["--seed", str(seed)])
    environment = {**os.environ, "OMP_NUM_THREADS": str(threads), "MKL_NUM_THREADS": str(threads), **env}
    proc = subprocess.run(argv, cwd=ROOT, env=environment, capture_output=True, text=True)
    if proc.returncode != 0:
        raise RuntimeError(f"{preset} {variant} seed {seed}: {proc.stderr[-1500:]}")
    clf = Classifier.load(out)
    return {"preset": preset, "variant": variant if seed is None else f"seed {seed}", "seed": seed,
            "test": clf.test_accuracy, "drawn": clf.drawn_accuracy, "last_line": proc.stdout.strip().splitlines()[-1]}


def noise(p: float, n: int) -> float:
    """One standard deviation of an accuracy p measured on n examples, in points."""
    return 100 * math.sqrt(p * (1 - p) / n)


def points(a: float | None, b: float | None) -> str:
    return "" if a is None or b is None else f"{100 * (a - b):+.2f}"


def report(runs: list[dict], drawn_count: int) -> None:
    for preset in dict.fromkeys(r["preset"] for r in runs):
        mine = [r for r in runs if r["preset"] == preset]
        ref = Classifier.load(REFERENCE[preset]) if preset in REFERENCE else None
        ref_test = ref.test_accuracy if ref else mine[0]["test"]
        ref_drawn = ref.drawn_accuracy if ref else mine[0]["drawn"]
        print(f"\n{preset}: against {'the shipped checkpoint' if ref else 'the first run'} "
              f"(MNIST {100 * ref_test:.2f} %" + ("" if ref_drawn is None else f", pen digits {100 * ref_drawn:.2f} %") + ")")
        print(f"  {'run':<12} {'MNIST %':>8} {'diff':>6} {'images':>7} {'pen %':>7} {'diff':>6} {'drawings':>8}")
        for r in mine:
            d_test = round((r["test"] - ref_test) * MNIST_TEST)
            drawn = "" if r["drawn"] is None else f"{100 * r['drawn']:.2f}"
            d_drawn = "" if r["drawn"] is None or ref_drawn is None else f"{round((r['drawn'] - ref_drawn) * drawn_count):+d}"
            print(f"  {r['variant']:<12} {100 * r['test']:>8.2f} {points(r['test'], ref_test):>6} {d_test:>+7d} "
                  f"{drawn:>7} {points(r['drawn'], ref_drawn):>6} {d_drawn:>8}")
        for key, n, name in (("test", MNIST_TEST, "MNIST"), ("drawn", drawn_count, "pen digits")):
            values = [r[key] for r in mine if r[key] is not None]
            if not values:
                continue
            same_seed = [r[key] for r in mine if r["seed"] is None and r[key] is not None]
            reference = ref_test if key == "test" else ref_drawn
            worst = max((abs(v - reference) for v in same_seed), default=0.0) if reference is not None else 0.0
            spread = f"sd {100 * statistics.stdev(values):.2f}" if len(values) > 1 else "one run"
            print(f"  {name}: largest same-seed difference {100 * worst:.2f} points; all runs "
                  f"{100 * min(values):.2f}-{100 * max(values):.2f} % ({spread}); binomial noise of "
                  f"{n:,} at {100 * statistics.mean(values):.2f} %: sd {noise(statistics.mean(values), n):.2f} points")


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--data-dir", default=os.environ.get("MNIST_DATA_DIR", "data"))
    p.add_argument("--presets", nargs="+", default=["best", "cnn"])
    p.add_argument("--variants", nargs="+", default=list(VARIANTS), choices=list(VARIANTS))
    p.add_argument("--seeds", nargs="*", type=int, default=[1, 2, 3, 4])
    p.add_argument("--jobs", type=int, default=2)
    p.add_argument("--json", default=None, help="also write every run's figures here")
    args = p.parse_args()

    from mnist_model.pen_digits import load_pen_digit_tensors

    drawn_count = len(load_pen_digit_tensors(variants=0).val_y)
    print(describe())
    work = [(preset, v, None) for preset in args.presets for v in args.variants]
    work += [(preset, "1 thread", s) for preset in args.presets for s in args.seeds]
    with tempfile.TemporaryDirectory() as folder, ThreadPoolExecutor(args.jobs) as pool:
        futures = [pool.submit(run_once, *w, args.data_dir, Path(folder)) for w in work]
        runs = []
        for future in futures:
            runs.append(future.result())
            r = runs[-1]
            print(f"{r['preset']} {r['variant']}: {r['last_line']}", flush=True)
    if args.json:
        Path(args.json).write_text(json.dumps(runs, indent=1))
    report(runs, drawn_count)


if __name__ == "__main__":
    main()
