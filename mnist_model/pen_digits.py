"""Pen-written digits from writers outside MNIST (UNIPEN), drawn as a person would draw them on the pad.

MNIST is one population's handwriting, scanned from paper. People drawing on the page write
otherwise (a European 1 with its long up-stroke, a 9 with a curled tail, a crossed 7), so the
trainer can mix in UNIPEN's isolated digits: 15,931 digits by 268 writers, recorded on pen tablets
(CC BY 4.0; attribution in drawn/README.md). The repository ships them as strokes
(drawn/unipen1a_digits.npz, made by drawn/pack.py); this module

- reads them (`load_pen_digits`), leaving out the few samples that are not one digit (`well_formed`),
- splits them by person, deterministically, about 20% of each source's persons held out
  (`held_out`): those people are never trained on, their digits measure how the network reads
  people it has never seen (UNIPEN names some people under several writer ids: drawn/pack.py
  groups those ids into one person, so that nobody's hand is on both sides of the split),
- and draws each digit on the pad the way a person would (pen.py: the pad's size and its pen fitted
  to the digit), at a random size, position and slant, then preprocesses it exactly as a live
  drawing (`preprocess.from_ink`), giving MNIST-format tensors (`load_pen_digit_tensors`),
- and, for a run that learns the 11th answer ("not a digit"), draws a share of the training 1s and
  7s in a European hand instead (european.restyled: a long up-stroke, a bar; `european` below).

Drawing a digit and preprocessing it takes about a third of a millisecond, so training variants
are drawn once (VARIANTS per digit, each at its own size, position and slant: about half a
minute, reported through `progress`) and the trainer's batch augmentation varies them further every
epoch. Drawings are kept on disk between processes (cache_dir()) and in memory as uint8.
"""

import functools
import hashlib
import os
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch

from . import european as hand
from .errors import DataNotFoundError
from .pen import BRUSH_RADIUS, MIN_RADIUS, PAD_SIZE, PEN_SHARE, SUPERSAMPLE, draw
from .preprocess import FIELD, PREPROCESS_VERSION, from_ink

PACKED = Path(__file__).resolve().parent.parent / "drawn" / "unipen1a_digits.npz"
ENV_VAR = "MNIST_DRAWN_FILE"  # another packed file (tests use a tiny one)
CACHE_VAR = "MNIST_CACHE_DIR"  # where the held-out drawings are kept between processes
HELD_OUT_SHARE = 0.2  # of each source's persons, never trained on
VARIANTS = 8  # training drawings of each digit, drawn once per process
HEIGHTS = (0.4, 0.9)  # a digit's height on the pad, as a share of the pad's side (people draw big and small)
MAX_WIDTH = 0.9  # ... and its width at most this share of the pad
MAX_SLANT = 0.25  # horizontal shear, either way: x moves by this share of the height from bottom to top
VALIDATION_SEED = 1234  # the held-out drawings are the same for every run, so runs compare
DRAWING_SEED = 0  # the training drawings too: drawn once, whatever a run's own seed
MAX_ASPECT = 2.0  # no single digit is more than twice as wide as tall (see well_formed)
EUROPEAN_SHARE = 0.5  # of the training 1s' and 7s' drawings, in a European hand when a run has the 11th answer
EUROPEAN_SEED = 3  # which of those drawings are restyled, and how (one generator per drawing)


@dataclass
class PenDigits:
    """Digits as pen strokes in screen orientation (y down), each scaled so its longer side is 1."""

    labels: np.ndarray  # (N,) int64, 0..9
    writer: np.ndarray  # (N,) int64, index into `writers`
    writers: list[str]  # "source:writer-id"
    strokes: list[list[np.ndarray]]  # each digit's strokes in writing order, (n, 2) float32 x, y
    person_of_writer: np.ndarray  # (writers,) int64: index into `persons`
    persons: list[str]  # "source:name": one person, who may appear under several writer ids

    def __len__(self) -> int:
        return len(self.labels)

    @property
    def person(self) -> np.ndarray:
        """Each digit's person, an index into `persons`."""
        return self.person_of_writer[self.writer]

    def sources(self) -> np.ndarray:
        """Each digit's source (the institution that recorded it), from its writer's name."""
        names = np.array([w.split(":", 1)[0] for w in self.writers])
        return names[self.writer]

    def __repr__(self) -> str:
        return f"PenDigits({len(self)} digits by {len(set(self.person.tolist()))} persons)"


def packed_file() -> Path:
    """The packed digits: $MNIST_DRAWN_FILE if set, else the repository's file."""
    return Path(os.environ.get(ENV_VAR) or PACKED)


def load_pen_digits(path: str | os.PathLike | None = None) -> PenDigits:
    """Read a file written by drawn/pack.py (the shipped one by default)."""
    path = Path(path or packed_file())
    try:
        with np.load(path, allow_pickle=False) as f:
            arrays = {k: f[k] for k in ("labels", "writer", "writers", "person", "persons", "stroke_count",
                                        "point_count", "points")}
    except (OSError, KeyError, ValueError) as exc:
        raise DataNotFoundError("drawn_unreadable", path=path, reason=type(exc).__name__) from None
    points = arrays["points"].T.astype(np.float32) / 255.0  # (stored as an x plane and a y plane)
    stroke_ends = np.cumsum(arrays["point_count"].astype(np.int64))
    strokes = np.split(points, stroke_ends[:-1])
    digit_ends = np.cumsum(arrays["stroke_count"].astype(np.int64))
    per_digit = [strokes[a:b] for a, b in zip(np.concatenate([[0], digit_ends[:-1]]), digit_ends)]
    return PenDigits(arrays["labels"].astype(np.int64), arrays["writer"].astype(np.int64),
                     [str(w) for w in arrays["writers"]], per_digit, arrays["person"].astype(np.int64),
                     [str(p) for p in arrays["persons"]])


def held_out(digits: PenDigits, share: float = HELD_OUT_SHARE) -> np.ndarray:
    """Which digits belong to held-out persons (bool, one per digit).

    Within each source, persons are ordered by a hash of their name and the first
    max(1, round(share * persons)) are held out: deterministic, independent of file order, and no
    source is missing from the held-out set. A person is held out with all their writer ids."""
    by_source: dict[str, list[int]] = {}
    for index, name in enumerate(digits.persons):
        by_source.setdefault(name.split(":", 1)[0], []).append(index)
    chosen = set()
    for persons in by_source.values():
        persons.sort(key=lambda i: hashlib.sha256(digits.persons[i].encode()).hexdigest())
        chosen.update(persons[: max(1, round(share * len(persons)))])
    return np.isin(digits.person, sorted(chosen))


def well_formed(digits: PenDigits) -> np.ndarray:
    """Which samples hold one digit (bool, one per digit). UNIPEN's segmentation left a few dozen
    samples (0.3%) that are not one digit: a lone bar labelled 1 or 4, runs such as "00" and "0000"
    labelled 0. No single digit is more than MAX_ASPECT times as wide as it is tall, so the samples
    wider than that are left out of training and of the held-out set alike."""
    widths = np.array([np.ptp(np.concatenate(s)[:, 0]) for s in digits.strokes])
    heights = np.array([np.ptp(np.concatenate(s)[:, 1]) for s in digits.strokes])
    return widths <= MAX_ASPECT * np.maximum(heights, 1e-6)


def on_pad(strokes: Sequence[np.ndarray], height: float, slant: float, offset: tuple[float, float],
           pad: int = PAD_SIZE) -> list[np.ndarray]:
    """A digit's unit-box strokes placed on the pad: `height` pixels tall (narrowed to fit the pad),
    sheared by `slant` (top to the right for positive values), its box's corner at `offset`."""
    every = np.concatenate(strokes)
    low, high = every.min(0), every.max(0)
    tall = max(float(high[1] - low[1]), 1e-3)
    scale = height / tall
    wide = float(high[0] - low[0]) * scale + abs(slant) * height
    if wide > MAX_WIDTH * pad:
        scale *= MAX_WIDTH * pad / wide
    placed = []
    for stroke in strokes:
        xy = (stroke - low) * scale
        xy[:, 0] += slant * (tall * scale - xy[:, 1])
        placed.append(xy)
    shift = np.array(offset) - np.min([p.min(0) for p in placed], 0)
    return [p + shift for p in placed]


def ink_on_pad(strokes: Sequence[np.ndarray], height: float, slant: float = 0.0,
               phase: tuple[float, float] = (0.0, 0.0)) -> np.ndarray:
    """The ink (uint8 coverage) of a digit drawn `height` px tall on the pad, inked as the page inks it
    (a pen fitted to its size), sheared by `slant`, at sub-pixel offset `phase`. Only the digit's part
    of the pad is drawn: the ink, and so the preprocessed digit, is the same wherever on the pad it
    sits, but for that sub-pixel phase."""
    margin = max(MIN_RADIUS, PEN_SHARE * PAD_SIZE) + 2  # room for the widest pen the pad can fit
    placed = on_pad(strokes, height, slant, (margin + phase[0], margin + phase[1]))
    width, tall = (np.ceil(np.concatenate(placed).max(0)) + margin).astype(int)
    return draw(placed, tall, width)


def render(strokes: Sequence[np.ndarray], rng: np.random.Generator, slant: bool = True) -> np.ndarray:
    """One digit drawn on the pad at a random height, position (and slant), then preprocessed exactly
    as a live drawing: (28, 28) float32 in [0, 1]."""
    height = rng.uniform(*HEIGHTS) * PAD_SIZE
    shear = rng.uniform(-MAX_SLANT, MAX_SLANT) if slant else 0.0
    digit = from_ink(ink_on_pad(strokes, height, shear, tuple(rng.uniform(0, 1, 2))))
    return np.zeros((FIELD, FIELD), np.float32) if digit is None else digit


Progress = Callable[[int, int], None]  # (digits drawn, digits to draw)
PROGRESS_EVERY = 500  # digits drawn between two reports


def render_many(path: Path, indices: np.ndarray, seed: int, slant: bool = True,
                progress: Progress | None = None, done: int = 0, total: int | None = None,
                strokes_of: Callable[[int], Sequence[np.ndarray]] | None = None) -> np.ndarray:
    """The digits at `indices` of the packed file at `path`, each drawn once: (n, 28, 28) uint8.

    Each digit's placement comes from its own generator, seeded by (seed, index): a digit is drawn
    the same whichever others are drawn with it. `strokes_of(index)` gives the strokes to draw in
    place of the file's (a restyled digit, placed as the digit itself would be). `progress` hears
    how far the drawing is, counting from `done` of `total`."""
    digits = read_once(path)
    strokes_of = strokes_of or digits.strokes.__getitem__
    total = len(indices) if total is None else total
    out = np.empty((len(indices), FIELD, FIELD), np.uint8)
    for row, index in enumerate(indices):
        out[row] = np.rint(render(strokes_of(index), np.random.default_rng([seed, index]), slant) * 255)
        if progress is not None and (row + 1) % PROGRESS_EVERY == 0:
            progress(done + row + 1, total)
    return out


@functools.lru_cache(maxsize=4)
def read_once(path: Path) -> PenDigits:
    """The packed file at `path` (digits, or not_digits.py's letters), read once per process."""
    return load_pen_digits(path)


@dataclass
class PenDigitTensors:
    """Pen-written digits in MNIST's format on one device: held-out drawings float32 (N, 28, 28) in
    [0, 1], training drawings uint8 (of 255: a quarter of the memory; the trainer scales each
    batch), labels int64.

    train_x holds `variants` drawings of each training person's digit, variant-major:
    train_x[v * digits + i] is the v-th drawing of digit i. val_x is one drawing of each held-out
    person's digit, the same in every run. train_weight is each training image's chance to be
    drawn into an epoch, relative to the others (see person_weights)."""

    train_x: torch.Tensor
    train_y: torch.Tensor
    val_x: torch.Tensor
    val_y: torch.Tensor
    variants: int
    train_weight: torch.Tensor | None = None

    def __repr__(self) -> str:
        digits = len(self.train_y) // max(self.variants, 1)
        return (f"PenDigitTensors(train={digits} digits x {self.variants} drawings, "
                f"held-out={len(self.val_y)}, device={self.val_x.device})")


def person_weights(person: np.ndarray) -> np.ndarray:
    """A weight per digit that evens out its person's share: UNIPEN's people gave from one to over
    900 digits, and a network trained on them as they come learns a few prolific hands. Each digit
    weighs 1 / sqrt(its person's digits): a person of 400 digits counts 20 times one of a single
    digit, not 400 times (and every digit of theirs still appears)."""
    counts = np.bincount(person)
    return 1.0 / np.sqrt(counts[person])


DRAWING_VERSION = 2  # bump when the drawings of a given file change: the caches below then miss


def cache_dir() -> Path:
    """Where drawings are kept between processes: $MNIST_CACHE_DIR, else ~/.cache/mnist_model."""
    return Path(os.environ.get(CACHE_VAR) or Path.home() / ".cache" / "mnist_model")


def kept_drawings(path: Path, name: str, draw_them: Callable[[], tuple[np.ndarray, np.ndarray]]) -> tuple[np.ndarray, ...]:
    """Drawings of the packed file at `path` (images uint8, labels), kept on disk under a name that
    changes with the file's bytes, `name` and everything a drawing depends on (pad, pen,
    preprocessing, these settings), so a stale copy is never read; a process that finds them draws
    nothing. A folder that cannot be written means drawing again next time, nothing worse."""
    settings = (DRAWING_VERSION, PREPROCESS_VERSION, PAD_SIZE, BRUSH_RADIUS, PEN_SHARE, MIN_RADIUS, SUPERSAMPLE,
                HEIGHTS, MAX_SLANT, MAX_WIDTH, MAX_ASPECT, HELD_OUT_SHARE, VALIDATION_SEED, DRAWING_SEED, name)
    key = hashlib.sha256(path.read_bytes() + repr(settings).encode()).hexdigest()[:20]
    target = cache_dir() / f"{name}-{key}.npz"
    try:
        with np.load(target, allow_pickle=False) as kept:
            return kept["images"], kept["labels"]
    except (OSError, ValueError, KeyError):
        pass
    images, labels = draw_them()
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_suffix(f".{os.getpid()}.partial")
        with open(partial, "wb") as f:
            np.savez(f, images=images, labels=labels)
        os.replace(partial, target)
    except OSError:  # a read-only home: draw again next time
        pass
    return images, labels


def _held_out_drawings(path: Path) -> tuple[np.ndarray, np.ndarray]:
    """The held-out persons' digits, each drawn once, upright: (n, 28, 28) uint8, (n,) int64."""
    def draw_them():
        digits = read_once(path)
        indices = np.flatnonzero(held_out(digits) & well_formed(digits))
        return render_many(path, indices, VALIDATION_SEED, slant=False), digits.labels[indices]

    return kept_drawings(path, "held-out", draw_them)


def _training_indices(path: Path) -> np.ndarray:
    digits = read_once(path)
    return np.flatnonzero(~held_out(digits) & well_formed(digits))


def _training_drawings(path: Path, variants: int, progress: Progress | None) -> tuple[np.ndarray, np.ndarray]:
    """`variants` drawings of each training digit, variant-major: (variants * n, 28, 28) uint8, labels."""
    def draw_them():
        digits, indices = read_once(path), _training_indices(path)
        images = np.concatenate([
            render_many(path, indices, DRAWING_SEED * 1000 + v, progress=progress, done=v * len(indices),
                        total=variants * len(indices)) for v in range(variants)])
        return images, np.tile(digits.labels[indices], variants)

    return kept_drawings(path, f"training-{variants}", draw_them)


def european(path: Path, variants: int, share: float, progress: Progress | None) -> tuple[np.ndarray, np.ndarray]:
    """The training drawings of 1s and 7s drawn in a European hand instead: (n, 28, 28) uint8, and
    the rows of _training_drawings' images they replace.

    Each of the `variants` drawings of a training 1 or 7 is restyled with chance `share`, by
    european.restyled, from its own generator (EUROPEAN_SEED, variant, index), and drawn from the
    same placement draws as the drawing it replaces (its size and place fit the restyled strokes'
    box, which an up-stroke widens). Only training people's digits are restyled (the held-out
    people's European hand is the benches' own, fixed restyling)."""
    digits, indices = read_once(path), _training_indices(path)
    ones_and_sevens = np.flatnonzero(np.isin(digits.labels[indices], (1, 7)))

    def draw_them():
        # per variant, {its row among the training digits: the generator that chose it, and restyles it}
        chosen = [{j: rng for j in ones_and_sevens
                   if (rng := np.random.default_rng([EUROPEAN_SEED, v, indices[j]])).random() < share}
                  for v in range(variants)]
        total, images, rows = sum(map(len, chosen)), [], []
        for v, rngs in enumerate(chosen):
            mine = np.fromiter(rngs, np.int64, len(rngs))
            restyle = {indices[j]: rng for j, rng in rngs.items()}  # (by the file's index, as render_many asks)

            def restyled(i, restyle=restyle):
                return hand.restyled(digits.strokes[i], int(digits.labels[i]), restyle[i])

            images.append(render_many(path, indices[mine], DRAWING_SEED * 1000 + v, progress=progress,
                                      done=sum(map(len, rows)), total=total, strokes_of=restyled))
            rows.append(mine + v * len(indices))
        return np.concatenate(images), np.concatenate(rows)

    # the kept drawings' name holds what they depend on beyond kept_drawings' settings
    depends = repr((share, EUROPEAN_SEED, hand.VERSION, hand.UP_REACHES, hand.UP_DROPS, hand.BAR_HEIGHTS,
                    hand.BAR_HALVES, hand.BAR_BAND, hand.BAR_MIN_HALF)).encode()
    return kept_drawings(path, f"european-{variants}-{hashlib.sha256(depends).hexdigest()[:12]}", draw_them)


_drawn: dict[tuple[Path, int, float], tuple[torch.Tensor, ...]] = {}  # this process's drawings, on the CPU
_lock = threading.Lock()  # two runs starting at once draw once


def _rendered(path: Path, variants: int, share: float, progress: Progress | None) -> tuple[torch.Tensor, ...]:
    with _lock:
        if (path, variants, share) not in _drawn:
            val_x, val_y = _held_out_drawings(path)
            if variants:
                train_x, train_y = _training_drawings(path, variants, progress)
                if share:
                    images, rows = european(path, variants, share, progress)
                    train_x = train_x.copy()  # (the plain drawings stay as they are for runs without)
                    train_x[rows] = images
                weights = np.tile(person_weights(read_once(path).person[_training_indices(path)]), variants)
            else:
                train_x, train_y = np.empty((0, FIELD, FIELD), np.uint8), np.empty(0, np.int64)
                weights = np.empty(0)
            _drawn[path, variants, share] = (torch.from_numpy(train_x), torch.from_numpy(train_y.astype(np.int64)),
                                      torch.from_numpy(val_x), torch.from_numpy(val_y.astype(np.int64)),
                                      torch.from_numpy(weights.astype(np.float32)))
        return _drawn[path, variants, share]


def forget() -> None:
    """Drop this process's drawings from memory (they stay on disk)."""
    with _lock:
        _drawn.clear()


def load_pen_digit_tensors(device: torch.device | str = "cpu", variants: int = VARIANTS,
                           path: str | os.PathLike | None = None, progress: Progress | None = None,
                           european_share: float = 0.0) -> PenDigitTensors:
    """The pen-written digits drawn on the pad and preprocessed, as tensors on `device`.

    `variants` = 0 draws only the held-out persons' digits (enough to measure, not to train).
    `european_share` of the training 1s' and 7s' drawings are in a European hand instead (see
    `european`; 0, the default, leaves the training drawings exactly as they are).
    Drawings are made once for each (file, variants, share), kept on disk and in memory, and reused;
    `progress` hears how the drawing goes when there is any to do."""
    train_x, train_y, val_x, val_y, weights = _rendered(Path(path or packed_file()).resolve(), variants,
                                                        float(european_share), progress)
    return PenDigitTensors(train_x.to(device), train_y.to(device), val_x.to(device).float().div_(255.0),
                           val_y.to(device), variants, weights.to(device))
