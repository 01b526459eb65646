"""How the network reads people it has never seen: held-out people's pen-written digits, drawn as a
visitor draws them on the page, through the public API.

Every held-out person's digit (mnist_model.pen_digits: about 20% of UNIPEN's people, never trained on)
is drawn on a pad of the app's size (280 x 280) at several heights and places, with the pen the
page inks a drawing with for the network (fitted to the digit's size), as a transparent picture
with the ink in its alpha channel (what the page hands to Python), and
classified by `Classifier.predict_proba`. The shipped model and an MNIST-only model of the same
recipe (trained here with --drawn 0, or given with --mnist-only) are compared digit by digit.

    python -m bench.drawn_accuracy --data-dir ../shared/mnist [--mnist-only CHECKPOINT]
"""

import argparse
import os
import subprocess
import sys
import tempfile
import time

import numpy as np
import torch

from bench.machine import describe
from mnist_model import Classifier, pen_digits
from mnist_model.pen import BRUSH_RADIUS, PAD_SIZE, draw, fitted_radius

HEIGHTS = {"small (40%)": 0.4, "medium (60%)": 0.6, "large (85%)": 0.85}  # digit height / pad side
PLACES = {"centre": (0.5, 0.5), "top left": (0.3, 0.3), "bottom right": (0.7, 0.7)}  # digit centre / pad side


def drawings(digits: pen_digits.PenDigits, index: int):
    """One held-out digit on the pad at every height and place: RGBA pictures, ink in alpha."""
    for height in HEIGHTS.values():
        strokes = pen_digits.on_pad(digits.strokes[index], height * PAD_SIZE, 0.0, (0.0, 0.0))
        extent = np.concatenate(strokes).max(0)
        margin = max(BRUSH_RADIUS, fitted_radius(strokes)) + 1  # the ink stays on the pad
        for cx, cy in PLACES.values():
            corner = np.clip(np.array([cx, cy]) * PAD_SIZE - extent / 2, margin, PAD_SIZE - margin - extent)
            picture = np.zeros((PAD_SIZE, PAD_SIZE, 4), np.uint8)
            picture[:, :, 3] = draw([s + corner for s in strokes], PAD_SIZE, PAD_SIZE)  # the fitted pen
            yield picture


def read(clf: Classifier, digits: pen_digits.PenDigits, indices: np.ndarray) -> np.ndarray:
    """Predicted digits (-1: no digit found), shape (digits, heights x places)."""
    out = np.empty((len(indices), len(HEIGHTS) * len(PLACES)), int)
    for row, index in enumerate(indices):
        for col, picture in enumerate(drawings(digits, index)):
            p = clf.predict_proba(picture)
            out[row, col] = -1 if p is None else int(p.argmax())
    return out


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data-dir", default=os.environ.get("MNIST_DATA_DIR"))
    parser.add_argument("--mnist-only", help="an MNIST-only checkpoint (default: train one, --preset best --drawn 0)")
    parser.add_argument("--shipped", help="the model with drawn digits (default: the shipped checkpoint)")
    args = parser.parse_args()
    torch.set_num_threads(1)
    mnist_only = args.mnist_only
    if mnist_only is None:
        if not args.data_dir:
            sys.exit("training the MNIST-only model needs MNIST: give --data-dir (or --mnist-only CHECKPOINT)")
        mnist_only = os.path.join(tempfile.mkdtemp(prefix="drawn-accuracy-"), "mnist-only.safetensors")
        start = time.perf_counter()
        subprocess.run([sys.executable, "-m", "mnist_model", "train", "--preset", "best", "--drawn", "0",
                        "--data-dir", args.data_dir, "--no-download", "--out", mnist_only], check=True,
                       stdout=subprocess.DEVNULL)
        print(f"trained the MNIST-only model in {time.perf_counter() - start:.0f} s", file=sys.stderr)
    models = {"shipped (drawn 0.3)": Classifier.load(args.shipped), "MNIST only (drawn 0)": Classifier.load(mnist_only)}

    digits = pen_digits.load_pen_digits()
    indices = np.flatnonzero(pen_digits.held_out(digits) & pen_digits.well_formed(digits))
    labels = digits.labels[indices]
    predicted = {name: read(clf, digits, indices) for name, clf in models.items()}

    conditions = len(HEIGHTS) * len(PLACES)
    people = len(set(digits.person[indices].tolist()))
    print(f"machine: {describe()}")
    print(f"{len(indices)} digits of {people} held-out people, each drawn {conditions} times "
          f"({len(HEIGHTS)} heights x {len(PLACES)} places) on a {PAD_SIZE} px pad with the pen fitted "
          f"to each digit: {len(indices) * conditions} drawings per model\n")
    names = list(models)
    print("| digit | " + " | ".join(names) + " | drawings |")
    print("|---|" + "---|" * (len(names) + 1))
    for d in range(10):
        rows = labels == d
        cells = [f"{(predicted[n][rows] == d).mean():.1%}" for n in names]
        print(f"| {d} | " + " | ".join(cells) + f" | {rows.sum() * conditions} |")
    cells = [f"**{(predicted[n] == labels[:, None]).mean():.2%}**" for n in names]
    print("| all | " + " | ".join(cells) + f" | {len(indices) * conditions} |\n")
    print("| height on the pad | " + " | ".join(names) + " |")
    print("|---|" + "---|" * len(names))
    for h, height in enumerate(HEIGHTS):
        columns = slice(h * len(PLACES), (h + 1) * len(PLACES))
        cells = [f"{(predicted[n][:, columns] == labels[:, None]).mean():.2%}" for n in names]
        print(f"| {height} | " + " | ".join(cells) + " |")
    for name, clf in models.items():
        print(f"\n{name}: MNIST test accuracy (checkpoint metadata) {clf.test_accuracy:.2%}", end="")


if __name__ == "__main__":
    main()
