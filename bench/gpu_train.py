"""Training on a CUDA GPU through the same code path as on the CPU, side by side.

For each preset, trains on the CPU and on `cuda` (data resident on each device, the same trainer,
the finished weights back on the CPU) and prints wall time, samples/s and test accuracy, then checks
that the CUDA-trained model loads into the app's Classifier and classifies a drawn digit.

    python -m bench.gpu_train --data-dir ../shared/mnist [--presets fast best]

Exits with a message when no CUDA GPU is present. Not part of CI, which has no GPU.
"""

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

import torch

from bench.machine import describe
from mnist_model import Classifier, checkpoint
from mnist_model.config import preset
from mnist_model.data import load_mnist
from mnist_model.not_digits import load_not_digit_tensors
from mnist_model.pen_digits import VARIANTS, load_pen_digit_tensors
from mnist_model.train import fit
from mnist_model.training_run import european_share
from support.strokes import drawing


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data-dir", default=os.environ.get("MNIST_DATA_DIR"))
    parser.add_argument("--presets", nargs="+", default=["fast", "best"])
    args = parser.parse_args()
    if not torch.cuda.is_available():
        sys.exit("no CUDA GPU on this machine: nothing to compare")
    print(f"machine: {describe()}\n")
    print("| preset | device | wall (train + per-epoch eval) | samples/s | test accuracy |")
    print("|---|---|---|---|---|")
    for name in args.presets:
        for device in ("cpu", "cuda"):
            cfg = preset(name)
            data = load_mnist(args.data_dir, device, download=False)
            data.drawn = load_pen_digit_tensors(device, variants=VARIANTS if cfg.drawn else 0,
                                                european_share=european_share(cfg.not_a_digit))
            data.not_digits = load_not_digit_tensors(device) if cfg.not_a_digit else None
            if device == "cuda":
                fit(preset(name, epochs=1), data)  # warm-up: CUDA context, kernels
                torch.cuda.synchronize()
            start = time.perf_counter()
            done = fit(preset(name), data)
            wall = time.perf_counter() - start
            r = done.result
            print(f"| {name} | {torch.cuda.get_device_name(0) if device == 'cuda' else 'CPU'} | {wall:.1f} s | "
                  f"{r.samples_per_s:,.0f} | {r.test_accuracy:.2%} |", flush=True)
            if device == "cuda":
                path = Path(tempfile.mkdtemp()) / "cuda.safetensors"
                checkpoint.save(path, done.model, **r.metadata())
                probs = Classifier.load(path).predict_proba(drawing(7).layer)
                assert int(probs.argmax()) == 7, probs


if __name__ == "__main__":
    main()
