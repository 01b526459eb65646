"""How much memory a `best` training run adds to the process that runs it: its peak resident set
(the kernel's ru_maxrss of the child) minus the peak of the same interpreter that only imported the
trainer and loaded nothing.

Each measurement is a fresh child process running the CLI (`python -m mnist_model train --preset
best --epochs 1`) with an empty drawing cache, as a server's first `best` run is: MNIST loaded,
the pen-written digits drawn, one epoch of augmented batches, the held-out people measured. One
epoch is enough: the data a run holds is prepared before its first step and kept to its end, and
later epochs allocate the same batches again. `--repo` measures another checkout of this project
(e.g. a `git worktree` of an earlier commit) with the same method, for a before/after.

    python -m bench.train_memory --data-dir ../shared/mnist [--repo PATH] [--rounds 2]
"""

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from bench.machine import describe

ROOT = Path(__file__).resolve().parent.parent
IMPORTS = "import torch, mnist_model.train, mnist_model.pen_digits, mnist_model.data"


def peak_mb(repo: Path, argv: list[str], env: dict) -> float:
    """The peak resident set of a child `python argv` run in `repo`, in MB."""
    process = subprocess.Popen([sys.executable, *argv], cwd=repo, env=env, stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{' '.join(argv)} failed in {repo}")
    return usage.ru_maxrss / 1024  # KiB on Linux


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data-dir", default=os.environ.get("MNIST_DATA_DIR"), required="MNIST_DATA_DIR" not in os.environ)
    parser.add_argument("--repo", type=Path, default=ROOT, help="the checkout to measure (default: this one)")
    parser.add_argument("--threads", type=int, default=2, help="torch threads of the run (default: 2)")
    parser.add_argument("--rounds", type=int, default=2, help="runs of each, the median is reported (default: 2)")
    args = parser.parse_args()
    repo = args.repo.resolve()
    baseline, run = [], []
    with tempfile.TemporaryDirectory(prefix="train-memory-") as work:
        for round_ in range(args.rounds):
            env = {**os.environ, "PYTHONPATH": str(repo), "MNIST_DATA_DIR": args.data_dir,
                   "MNIST_CACHE_DIR": str(Path(work) / f"cache-{round_}")}  # nothing drawn yet
            baseline.append(peak_mb(repo, ["-c", IMPORTS], env))
            run.append(peak_mb(repo, ["-m", "mnist_model", "train", "--preset", "best", "--epochs", "1",
                                      "--threads", str(args.threads), "--data-dir", args.data_dir, "--no-download",
                                      "--out", str(Path(work) / "best.safetensors")], env))
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=repo, capture_output=True, text=True).stdout.strip()
    print(f"machine: {describe()}; run with {args.threads} torch threads; checkout {repo} at {commit or '?'}\n")
    print("| | peak resident set |")
    print("|---|---|")
    print(f"| the interpreter with the trainer imported | {statistics.median(baseline):.0f} MB |")
    print(f"| a `best` run (1 epoch, drawing cache empty) | {statistics.median(run):.0f} MB |")
    print(f"| **what the run adds** | **{statistics.median(run) - statistics.median(baseline):.0f} MB** |")


if __name__ == "__main__":
    main()
