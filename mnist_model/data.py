"""MNIST on the training device: found (or fetched) once, read once, kept resident as tensors.

torchvision's `MNIST` class downloads it and names its files; this module decides where the data
lives, refuses clearly when it is missing, reads the files itself and hands back whole-set tensors
so that a batch is an index slice, never a per-sample DataLoader.
"""

import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import torch

from .errors import DataNotFoundError

if TYPE_CHECKING:
    from .not_digits import NotDigitTensors
    from .pen_digits import PenDigitTensors

ENV_VAR = "MNIST_DATA_DIR"
DEFAULT_DIR = "data"
RAW_FILES = (
    "train-images-idx3-ubyte",
    "train-labels-idx1-ubyte",
    "t10k-images-idx3-ubyte",
    "t10k-labels-idx1-ubyte",
)


def resolve_data_dir(data_dir: str | os.PathLike | None = None) -> Path:
    """The data folder: the argument if given, else $MNIST_DATA_DIR, else ./data."""
    chosen = data_dir or os.environ.get(ENV_VAR) or DEFAULT_DIR
    return Path(chosen).expanduser()


def raw_dir(root: Path) -> Path:
    """Where torchvision keeps the four files under a data folder."""
    return Path(root) / "MNIST" / "raw"


def missing_files(root: Path) -> list[str]:
    return [name for name in RAW_FILES if not (raw_dir(root) / name).is_file()]


def _missing(root: Path, key: str, reason: str = "") -> DataNotFoundError:
    return DataNotFoundError(key, folder=raw_dir(root), files=", ".join(RAW_FILES), var=ENV_VAR, reason=reason)


def train_size(data_dir: str | os.PathLike | None = None) -> int | None:
    """Images in MNIST's training file, read from its header alone; None when the file is not there."""
    path = raw_dir(resolve_data_dir(data_dir)) / RAW_FILES[0]
    try:
        with open(path, "rb") as f:
            header = f.read(8)
    except OSError:
        return None
    return int.from_bytes(header[4:8], "big") if len(header) == 8 else None


def ensure_mnist(root: Path, download: bool = True) -> Path:
    """Make sure the four raw files are under `root`, downloading them if allowed.

    The download goes to a temporary folder first, so a failed or interrupted one leaves nothing
    half-written under `root`. Raises DataNotFoundError with one actionable line otherwise.
    """
    root = Path(root)
    if not missing_files(root):
        return root
    if not download:
        raise _missing(root, "mnist_missing")
    from torchvision.datasets import MNIST

    with tempfile.TemporaryDirectory(prefix="mnist-download-") as tmp:
        try:
            MNIST(tmp, train=True, download=True)
            MNIST(tmp, train=False, download=True)
        except (OSError, RuntimeError) as exc:  # URLError is an OSError; torchvision raises RuntimeError
            raise _missing(root, "mnist_download_failed", download_failure(exc)) from None
        target = raw_dir(root)
        try:
            target.mkdir(parents=True, exist_ok=True)
            for name in RAW_FILES:
                partial = target / f".{name}.partial"
                shutil.copyfile(raw_dir(Path(tmp)) / name, partial)
                os.replace(partial, target / name)
        except OSError as exc:
            raise _missing(root, "mnist_unwritable", exc.strerror) from None
    return root


def download_failure(exc: Exception) -> str:
    """Why a download failed, in a few words: torchvision's message names each mirror it tried and,
    on the line after, what went wrong ("<urlopen error [Errno -2] Name or service not known>")."""
    lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
    causes = [line.strip("<>") for line in lines if not line.startswith(("Error downloading", "Tried "))]
    return causes[-1] if causes else (lines[0] if lines else type(exc).__name__)


@dataclass
class MnistTensors:
    """The whole data set as tensors on one device, labels int64: the training images as uint8 (N, 28,
    28) of 255 (a quarter of the memory; a batch becomes float as it is drawn, sampling.as_float), the
    test images float32 in [0, 1] (measured whole, often); with the pen-written digits
    (pen_digits.load_pen_digit_tensors), and what is not a digit (not_digits.load_not_digit_tensors),
    beside it when they are wanted."""

    train_x: torch.Tensor
    train_y: torch.Tensor
    test_x: torch.Tensor
    test_y: torch.Tensor
    drawn: "PenDigitTensors | None" = None
    not_digits: "NotDigitTensors | None" = None

    def __repr__(self) -> str:
        return (
            f"MnistTensors(train={len(self.train_y)}, test={len(self.test_y)}, "
            f"device={self.train_x.device}, drawn={self.drawn!r})"
        )


def read_idx(root: Path, name: str, shape: tuple[int, ...]) -> torch.Tensor:
    """One of MNIST's idx files under `root` as a uint8 tensor: a header (0, 0, type 8 = unsigned
    bytes, the number of dimensions, then each size as 4 big-endian bytes) and the bytes. `shape` is
    what the file must hold, -1 for the count. DataNotFoundError for anything else."""
    data = (raw_dir(root) / name).read_bytes()
    dims = len(shape)
    header = 4 + 4 * dims
    sizes = [int.from_bytes(data[4 + 4 * i:8 + 4 * i], "big") for i in range(dims)]
    wrong = (data[:4] != bytes((0, 0, 8, dims)) or any(want not in (-1, got) for want, got in zip(shape, sizes))
             or len(data) != header + int(np.prod(sizes)))
    if wrong:
        raise _missing(root, "mnist_unreadable", f"{name} is not one of MNIST's files")
    return torch.from_numpy(np.frombuffer(data, np.uint8, offset=header).reshape(sizes).copy())


def read_split(root: Path, train: bool) -> tuple[torch.Tensor, torch.Tensor]:
    """One split as (uint8 images (N, 28, 28), int64 labels) on the CPU, as torchvision reads it
    (without torchvision: importing it costs a serving process some 150 MB)."""
    images_file, labels_file = RAW_FILES[:2] if train else RAW_FILES[2:]
    images = read_idx(root, images_file, (-1, 28, 28))
    labels = read_idx(root, labels_file, (len(images),)).long()
    return images, labels


def load_mnist(
    data_dir: str | os.PathLike | None = None,
    device: torch.device | str = "cpu",
    download: bool = True,
) -> MnistTensors:
    """Find (or fetch) MNIST, read it once and move it to `device` as whole-set tensors (MnistTensors)."""
    root = ensure_mnist(resolve_data_dir(data_dir), download=download)
    train_x, train_y = read_split(root, train=True)
    test_x, test_y = read_split(root, train=False)
    return MnistTensors(train_x.to(device), train_y.to(device), test_x.to(device).float().div_(255.0),
                        test_y.to(device))
