"""Training speed, side by side in one run: the tutorial's way vs our `seed` and `fast` presets.

Each contender runs as a whole process, as a user would start it:
  baseline  bench/tutorial_baseline.py   (DataLoader + ToTensor, batch 15, per-sample evaluation)
  seed      python -m mnist_model train --preset seed   (the tutorial's recipe on our trainer)
  fast      python -m mnist_model train --preset fast
We report the whole process's wall time, the same minus the bare `import torch, torchvision` time
(measured here too), the time the program itself reports for training + per-epoch evaluation, and
the final test accuracy, with ratios against the baseline.

    python -m bench.train_speed --data-dir ../shared/mnist [--repeats 3]
"""

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.machine import describe

REPO = Path(__file__).resolve().parent.parent


def timed(cmd: list[str]) -> tuple[float, str]:
    start = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True, cwd=REPO)
    wall = time.perf_counter() - start
    if proc.returncode != 0:
        sys.exit(f"{' '.join(cmd)} failed:\n{proc.stderr}")
    return wall, proc.stdout


def parse(stdout: str) -> tuple[float, float]:
    """(seconds the program reports for its own work, final test accuracy 0..1)."""
    if m := re.search(r"RESULT wall=([\d.]+) acc=([\d.]+)", stdout):
        return float(m[1]), float(m[2])
    m = re.search(r"done: MNIST test ([\d.]+)%.* in ([\d.]+) s", stdout)
    return float(m[2]), float(m[1]) / 100


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data-dir", default=os.environ.get("MNIST_DATA_DIR"), required="MNIST_DATA_DIR" not in os.environ)
    parser.add_argument("--repeats", type=int, default=1, help="runs of each contender (default: 1)")
    args = parser.parse_args()
    py = sys.executable
    out = tempfile.mkdtemp(prefix="train-speed-")
    contenders = {
        "baseline (tutorial's way)": [py, "bench/tutorial_baseline.py", "--data-dir", args.data_dir],
        "seed preset": [py, "-m", "mnist_model", "train", "--preset", "seed", "--device", "cpu",
                        "--data-dir", args.data_dir, "--no-download", "--out", f"{out}/seed.safetensors"],
        "fast preset": [py, "-m", "mnist_model", "train", "--preset", "fast", "--device", "cpu",
                        "--data-dir", args.data_dir, "--no-download", "--out", f"{out}/fast.safetensors"],
    }
    imports = statistics.median(timed([py, "-c", "import torch, torchvision"])[0] for _ in range(3))
    results = {}
    for repeat in range(args.repeats):
        for name, cmd in contenders.items():
            wall, stdout = timed(cmd)
            inner, acc = parse(stdout)
            results.setdefault(name, []).append((wall, inner, acc))
            print(f"[{repeat + 1}/{args.repeats}] {name}: process {wall:.1f} s, own {inner:.1f} s, accuracy {acc:.2%}", file=sys.stderr)

    def med(name, i):
        return statistics.median(r[i] for r in results[name])

    base = next(iter(results))
    print(f"machine: {describe()}; median of {args.repeats} run(s); bare `import torch, torchvision`: {imports:.2f} s\n")
    print("| | process wall | process − imports | vs baseline | own time (training + evaluation) | vs baseline | test accuracy |")
    print("|---|---|---|---|---|---|---|")
    for name in results:
        wall, inner, acc = med(name, 0), med(name, 1), med(name, 2)
        net, base_net = wall - imports, med(base, 0) - imports
        print(f"| {name} | {wall:.1f} s | {net:.1f} s | {base_net / net:.1f}× faster | {inner:.1f} s | "
              f"{med(base, 1) / inner:.1f}× faster | {acc:.2%} |")


if __name__ == "__main__":
    main()
