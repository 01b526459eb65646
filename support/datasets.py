"""Small learnable data sets in the formats the project reads: MNIST's IDX files and the packed
pen-written digits (drawn/pack.py's), for tests and benchmarks that must not need the real ones."""

import gzip
import json
import struct
from pathlib import Path

import numpy as np

from mnist_model.preprocess import to_mnist
from support.strokes import DIGITS, render_mnist_like


def write_idx(folder: Path, prefix: str, images: np.ndarray, labels: np.ndarray) -> None:
    """Write images (N, 28, 28) uint8 and labels (N,) as the IDX files torchvision's MNIST reads."""
    folder.mkdir(parents=True, exist_ok=True)
    n = len(labels)
    (folder / f"{prefix}-images-idx3-ubyte").write_bytes(struct.pack(">IIII", 2051, n, 28, 28) + images.tobytes())
    (folder / f"{prefix}-labels-idx1-ubyte").write_bytes(struct.pack(">II", 2049, n) + labels.astype(np.uint8).tobytes())


def make_tiny_mnist(root: Path, train_per_class: int = 40, test_per_class: int = 10, seed: int = 0) -> Path:
    """A small learnable data set in torchvision's MNIST layout: jittered stroke digits, preprocessed like MNIST."""
    rng = np.random.default_rng(seed)
    for prefix, per_class in (("train", train_per_class), ("t10k", test_per_class)):
        labels = np.repeat(np.arange(10), per_class)
        rng.shuffle(labels)
        images = np.stack([(to_mnist(render_mnist_like(int(d), rng)) * 255).round().astype(np.uint8) for d in labels])
        write_idx(root / "MNIST" / "raw", prefix, images, labels)
    return root


def packed(records: list[dict], path: Path) -> Path:
    """UNIPEN-style records packed by drawn/pack.py into `path` (through the JSON lines it reads)."""
    from drawn.pack import pack

    jsonl = path.with_suffix(".jsonl.gz")
    with gzip.open(jsonl, "wt") as f:
        f.writelines(json.dumps(r) + "\n" for r in records)
    pack(str(jsonl), str(path))
    return path


def make_tiny_drawn(path: Path, seed: int = 0) -> Path:
    """A small pen-written digit file in the shipped format, made by drawn/pack.py from UNIPEN-style
    records: 12 writers from 3 sources (one on a tablet with different resolutions on its axes), each
    writing every digit twice, y pointing up as on a tablet; one of source bbb's writers is the same
    person as another, under a second id (a record of theirs is repeated under both)."""
    rng = np.random.default_rng(seed)
    records = []
    for source, writers, ppi in (("aaa", 6, (1000.0, 1000.0)), ("bbb", 4, (508.0, 508.0)), ("ccc", 2, (856.7, 979.3))):
        for w in range(writers):
            for digit in range(10):
                for _ in range(2):
                    strokes = [[[round((x + rng.normal(0, 0.02)) * ppi[0]), round((1 - y + rng.normal(0, 0.02)) * ppi[1])]
                                for x, y in stroke] for stroke in DIGITS[digit]]
                    records.append({"label": str(digit), "source": source, "writer": f"{source}:w{w}",
                                    "x_ppi": ppi[0], "y_ppi": ppi[1], "strokes": strokes})
    twin = next(r for r in records if r["writer"] == "bbb:w0")
    records.append({**twin, "writer": "bbb:w3"})  # bbb:w3 is bbb:w0 again: the same ink under another id
    return packed(records, path)


LETTERS = {  # a few letters as strokes in a unit box (y down): some a reader may take for a digit
    "A": [[(0.0, 1.0), (0.5, 0.0), (1.0, 1.0)], [(0.25, 0.55), (0.75, 0.55)]],
    "x": [[(0.0, 0.3), (1.0, 1.0)], [(1.0, 0.3), (0.0, 1.0)]],
    "n": [[(0.0, 1.0), (0.0, 0.4), (0.3, 0.3), (0.7, 0.3), (1.0, 0.4), (1.0, 1.0)]],
    "O": [[(0.5 + 0.5 * np.cos(t), 0.5 + 0.5 * np.sin(t)) for t in np.linspace(0, 2 * np.pi, 24)]],
    "l": [[(0.5, 0.0), (0.5, 1.0)]],
}


def make_tiny_letters(path: Path, seed: int = 0) -> Path:
    """A small pen-written letter file in the shipped format (drawn/pack.py's), beside
    make_tiny_drawn's writers: six of its writers (aaa:w0..w5) wrote letters too, and three people
    wrote only letters (aaa:L0, aaa:L1, ccc:L0); each wrote every letter of LETTERS twice."""
    rng = np.random.default_rng(seed)
    records = []
    for writer in (*(f"aaa:w{w}" for w in range(6)), "aaa:L0", "aaa:L1", "ccc:L0"):
        for letter, shape in LETTERS.items():
            for _ in range(2):
                strokes = [[[round((x + rng.normal(0, 0.02)) * 1000), round((1 - y + rng.normal(0, 0.02)) * 1000)]
                            for x, y in stroke] for stroke in shape]
                records.append({"label": letter, "source": writer.split(":")[0], "writer": writer,
                                "x_ppi": 1000.0, "y_ppi": 1000.0, "strokes": strokes})
    return packed(records, path)
