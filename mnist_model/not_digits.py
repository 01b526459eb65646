"""What is not a digit, for the network's 11th answer: UNIPEN's pen-written letters and doodles
(doodles.py), drawn on the pad and preprocessed exactly as the pen-written digits are (pen_digits.py).

- **Letters**: drawn/unipen1bc_letters.npz, UNIPEN's isolated upper- and lower-case letters (CC BY
  4.0; attribution in drawn/README.md), packed by drawn/pack.py. Those a fair reader may take for a
  digit (DIGIT_LIKE: an O for a 0, an l for a 1, a Z for a 2, an S for a 5, a b for a 6, a q for a
  9, ...) are never learned as "not a digit": the network would learn to refuse real digits. They
  are kept apart, to measure what the network makes of them.
- **One split for digits and letters**: 258 of the letters' writer ids wrote digits too. A person
  held out of the digits (pen_digits.held_out) is held out of the letters; a person who wrote only
  letters is held out by the same rule among the letters-only persons of their source. No held-out
  person's digits or letters are ever learned.
- **Doodles**: TRAINING_DOODLES for training, HELD_OUT_DOODLES others (other seeds) to measure.

Drawings are kept on disk between processes and in memory, as the pen digits' are.
"""

import hashlib
import os
import threading
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch

from . import doodles, pen_digits
from .pen_digits import HELD_OUT_SHARE, PenDigits, Progress, kept_drawings, read_once, render, render_many
from .preprocess import FIELD

NOT_A_DIGIT = 10  # the 11th answer's label
PACKED = Path(__file__).resolve().parent.parent / "drawn" / "unipen1bc_letters.npz"
ENV_VAR = "MNIST_LETTERS_FILE"  # another packed file (tests use a tiny one)
DIGIT_LIKE = frozenset("OoDQIlijLZzBSsGbgqTt")  # letters a fair reader may take for a digit
LETTER_VARIANTS = 2  # training drawings of each letter (there are three letters for each pen digit)
TRAINING_DOODLES = 8_000  # 500 of each kind
HELD_OUT_DOODLES = 1_600  # 100 of each kind, from other seeds
TRAINING_SEED, HELD_OUT_SEED = 11, 12  # the doodles' (each doodle i from (seed, i))
LETTERS_SEED = 2345  # the held-out letters' placement on the pad


def packed_file() -> Path:
    """The packed letters: $MNIST_LETTERS_FILE if set, else the repository's file."""
    return Path(os.environ.get(ENV_VAR) or PACKED)


def digit_like(letters: PenDigits) -> np.ndarray:
    """Which letters (bool, one per letter) a fair reader may take for a digit."""
    like = np.array([ord(c) for c in DIGIT_LIKE])
    return np.isin(letters.labels, like)


def held_out_letters(letters: PenDigits, digits: PenDigits, share: float = HELD_OUT_SHARE) -> np.ndarray:
    """Which letters belong to held-out persons (bool, one per letter): persons held out of `digits`
    (by any of their writer ids), and among persons who wrote only letters, each source's first
    max(1, round(share * persons)) by a hash of their name."""
    digit_writers = dict(zip(digits.writers, digits.person_of_writer))
    held_digit_persons = set(np.unique(digits.person[pen_digits.held_out(digits, share)]).tolist())
    held = np.zeros(len(letters.persons), bool)
    wrote_digits = np.zeros(len(letters.persons), bool)
    for writer, person in zip(letters.writers, letters.person_of_writer):
        if writer in digit_writers:
            wrote_digits[person] = True
            held[person] |= int(digit_writers[writer]) in held_digit_persons
    by_source: dict[str, list[int]] = {}
    for index, name in enumerate(letters.persons):
        if not wrote_digits[index]:
            by_source.setdefault(name.split(":", 1)[0], []).append(index)
    for persons in by_source.values():
        persons.sort(key=lambda i: hashlib.sha256(letters.persons[i].encode()).hexdigest())
        held[persons[: max(1, round(share * len(persons)))]] = True
    return held[letters.person]


def _split(path: Path, digits: Path) -> tuple[np.ndarray, np.ndarray]:
    """The letters' held-out mask (split with the digits of the packed file `digits`) and digit-like mask."""
    letters = read_once(path)
    return held_out_letters(letters, read_once(digits)), digit_like(letters)


def _doodles_drawn(count: int, seed: int, slant: bool) -> tuple[np.ndarray, np.ndarray]:
    """`count` doodles drawn on the pad and preprocessed: (n, 28, 28) uint8, each one's kind."""
    strokes, kinds = doodles.doodles(count, seed)
    images = np.stack([np.rint(render(s, np.random.default_rng([seed, i]), slant) * 255).astype(np.uint8)
                       for i, s in enumerate(strokes)])
    return images, kinds


@dataclass
class NotDigitTensors:
    """What is not a digit, in MNIST's format on one device: training drawings uint8 (N, 28, 28) of
    255 (letters of training persons, not digit-like, LETTER_VARIANTS each, and doodles; their label is
    NOT_A_DIGIT), and held-out drawings float32 in [0, 1]: letters (not digit-like), digit-like
    letters, and doodles, each with its letter's code point or its doodle's kind (doodles.KINDS)."""

    train_x: torch.Tensor
    letters_x: torch.Tensor
    letters: torch.Tensor
    digit_like_x: torch.Tensor
    digit_like: torch.Tensor
    doodles_x: torch.Tensor
    doodle_kinds: torch.Tensor

    @property
    def train_y(self) -> torch.Tensor:
        return torch.full((len(self.train_x),), NOT_A_DIGIT, dtype=torch.int64, device=self.train_x.device)

    def __repr__(self) -> str:
        return (f"NotDigitTensors(train={len(self.train_x)}, held-out letters={len(self.letters)}, "
                f"digit-like={len(self.digit_like)}, doodles={len(self.doodle_kinds)})")


_drawn: dict[tuple, tuple[np.ndarray, ...]] = {}
_lock = threading.Lock()


def _rendered(path: Path, variants: int, progress: Progress | None) -> tuple[np.ndarray, ...]:
    digits = pen_digits.packed_file().resolve()  # (the split follows the digits' file)
    key = (path, digits, variants, TRAINING_DOODLES, HELD_OUT_DOODLES)
    with _lock:
        if key in _drawn:
            return _drawn[key]
        letters = read_once(path)
        held, like = _split(path, digits)
        # the kept drawings' names hold what they depend on beyond the letters' file and the pad
        # (pen_digits.kept_drawings): the split's digits file, which letters are digit-like, the seeds
        depends = digits.read_bytes() + repr((sorted(DIGIT_LIKE), LETTERS_SEED)).encode()
        letters_tag = hashlib.sha256(depends).hexdigest()[:12]
        shown, alike, train = (np.flatnonzero(held & ~like), np.flatnonzero(held & like),
                               np.flatnonzero(~held & ~like))
        letters_x, letter_labels = kept_drawings(path, f"letters-held-out-{letters_tag}", lambda: (
            render_many(path, shown, LETTERS_SEED, slant=False), letters.labels[shown]))
        alike_x, alike_labels = kept_drawings(path, f"letters-digit-like-{letters_tag}", lambda: (
            render_many(path, alike, LETTERS_SEED, slant=False), letters.labels[alike]))
        code = Path(doodles.__file__)  # (the doodles' drawings change with their code)
        doodles_x, kinds = kept_drawings(code, f"doodles-held-out-{HELD_OUT_DOODLES}-{HELD_OUT_SEED}",
                                         lambda: _doodles_drawn(HELD_OUT_DOODLES, HELD_OUT_SEED, False))
        parts = []
        if variants:
            def letters_drawn():
                return np.concatenate([render_many(path, train, pen_digits.DRAWING_SEED * 1000 + v, progress=progress,
                                                   done=v * len(train), total=variants * len(train))
                                       for v in range(variants)]), np.zeros(0)

            train_letters, _ = kept_drawings(path, f"letters-training-{variants}-{letters_tag}", letters_drawn)
            train_doodles, _ = kept_drawings(code, f"doodles-training-{TRAINING_DOODLES}-{TRAINING_SEED}",
                                             lambda: _doodles_drawn(TRAINING_DOODLES, TRAINING_SEED, True))
            parts = [train_letters, train_doodles]
        train_x = np.concatenate(parts) if parts else np.empty((0, FIELD, FIELD), np.uint8)
        _drawn[key] = (train_x, letters_x, letter_labels, alike_x, alike_labels, doodles_x, kinds)
        return _drawn[key]


def forget() -> None:
    """Drop this process's drawings from memory (they stay on disk)."""
    with _lock:
        _drawn.clear()


def load_not_digit_tensors(device: torch.device | str = "cpu", variants: int = LETTER_VARIANTS,
                           path: str | os.PathLike | None = None, progress: Progress | None = None) -> NotDigitTensors:
    """What is not a digit, drawn on the pad and preprocessed, as tensors on `device`. `variants` = 0
    draws only the held-out drawings (enough to measure, not to train)."""
    train_x, letters_x, letters, alike_x, alike, doodles_x, kinds = _rendered(
        Path(path or packed_file()).resolve(), variants, progress)

    def shown(images: np.ndarray) -> torch.Tensor:
        return torch.from_numpy(images).to(device).float().div_(255.0)

    def labels(values: np.ndarray) -> torch.Tensor:
        return torch.from_numpy(values.astype(np.int64)).to(device)

    return NotDigitTensors(torch.from_numpy(train_x).to(device), shown(letters_x), labels(letters), shown(alike_x),
                           labels(alike), shown(doodles_x), labels(kinds))
