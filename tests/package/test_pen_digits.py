"""Pen-written digits: the shipped file, the writer split, drawing them as on the pad, training with them."""

import os
from pathlib import Path

import numpy as np
import pytest
import torch

from mnist_model import pen_digits
from mnist_model.config import preset
from mnist_model.data import MnistTensors, load_mnist
from mnist_model.pen import PAD_SIZE, PEN_SHARE
from mnist_model.preprocess import from_ink
from mnist_model.train import fit
from support.strokes import DIGITS

# digits per label in UNIPEN's isolated-digit category, as shared/drawn/README.md counts them ...
UNIPEN_COUNTS = [1643, 1746, 1652, 1588, 1624, 1516, 1517, 1544, 1556, 1545]
# ... less the records that repeat an earlier record's ink, and the three single points (drawn/pack.py)
KEPT_COUNTS = [1572, 1695, 1605, 1546, 1570, 1480, 1464, 1493, 1525, 1494]


@pytest.fixture(scope="module")
def shipped_digits():
    return pen_digits.load_pen_digits(pen_digits.PACKED)


def test_the_shipped_file_holds_unipens_digits_once_each_by_257_people_under_268_ids(shipped_digits):
    d = shipped_digits
    assert sum(UNIPEN_COUNTS) == 15_931 and len(d) == 15_444
    assert np.bincount(d.labels).tolist() == KEPT_COUNTS
    assert len(d.writers) == 268 and len(set(d.writer.tolist())) == 268 and len(d.persons) == 257
    assert all(":" in w for w in d.writers) and len(set(d.sources())) == 17
    assert all(len(s) >= 1 and all(p.shape[1] == 2 for p in s) for s in d.strokes)
    every = np.concatenate([np.concatenate(s) for s in d.strokes])
    assert every.min() >= 0 and every.max() <= 1  # each digit scaled so its longer side is 1


def test_the_shipped_file_is_what_drawn_pack_makes_of_unipen(tmp_path):
    source = os.environ.get("UNIPEN_FILE")
    if not source or not Path(source).is_file():
        pytest.skip("UNIPEN's JSON-lines file is absent: set UNIPEN_FILE (CI points it at ../shared/drawn)")
    from drawn.pack import pack

    pack(source, str(tmp_path / "again.npz"))
    with np.load(tmp_path / "again.npz") as again, np.load(pen_digits.PACKED) as shipped:
        assert set(again) == set(shipped)
        for key in shipped:
            np.testing.assert_array_equal(again[key], shipped[key])
    import gzip
    import json

    with gzip.open(source, "rt") as lines:
        inks = [json.dumps(json.loads(line)["strokes"]) for line in lines]
    # each ink once, the one ink that is a single point (three of ibm's records) left out
    assert len(inks) == sum(UNIPEN_COUNTS) and len(set(inks)) - 1 == sum(KEPT_COUNTS)


def test_the_split_by_person_is_disjoint_deterministic_and_keeps_every_source(shipped_digits):
    d = shipped_digits
    held = pen_digits.held_out(d)
    assert np.array_equal(held, pen_digits.held_out(d))
    held_people, trained_people = set(d.person[held].tolist()), set(d.person[~held].tolist())
    assert not held_people & trained_people
    assert not set(d.writer[held].tolist()) & set(d.writer[~held].tolist())
    assert 0.15 <= len(held_people) / len(d.persons) <= 0.25
    assert set(d.sources()[held]) == set(d.sources())  # no source is left out of the held-out people


@pytest.mark.parametrize("ids, person", [
    pytest.param(("ibm:r02-15", "ibm:r03-15"), "ibm:*-15", id="ibm-sessions-of-one-person"),
    pytest.param(("gmd:alek", "gmd:kast"), "gmd:alek", id="copied-ink-under-another-id"),
])
def test_ids_that_are_one_person_are_one_person(shipped_digits, ids, person):
    d = shipped_digits
    people = {d.persons[d.person_of_writer[d.writers.index(w)]] for w in ids}
    assert people == {person}


def test_a_repeated_record_makes_its_two_ids_one_person(tiny_drawn):
    d = pen_digits.load_pen_digits(tiny_drawn)
    person = {w: d.persons[d.person_of_writer[i]] for i, w in enumerate(d.writers)}
    assert person["bbb:w3"] == person["bbb:w0"] != person["bbb:w1"]
    assert len(d) == 12 * 10 * 2  # the repeated record is kept once


def test_the_writer_split_does_not_depend_on_the_files_order(tiny_drawn):
    d = pen_digits.load_pen_digits(tiny_drawn)
    order = np.random.default_rng(0).permutation(len(d))
    shuffled = pen_digits.PenDigits(d.labels[order], d.writer[order], d.writers, [d.strokes[i] for i in order],
                               d.person_of_writer, d.persons)
    held = {d.writers[w] for w in d.writer[pen_digits.held_out(d)]}
    assert {d.writers[w] for w in shuffled.writer[pen_digits.held_out(shuffled)]} == held


def unit_strokes(digit: int) -> list[np.ndarray]:
    """A digit of tests/strokes.py as pen-written digits are stored: longer side 1, y down."""
    strokes = [np.array(s, np.float32) for s in DIGITS[digit]]
    every = np.concatenate(strokes)
    low, extent = every.min(0), (every.max(0) - every.min(0)).max()
    return [(s - low) / extent for s in strokes]


def test_a_tall_one_stays_tall_and_a_seven_stays_upright():
    one = from_ink(pen_digits.ink_on_pad(unit_strokes(1), height=200))
    rows, cols = np.flatnonzero(one.max(1) > 0.1), np.flatnonzero(one.max(0) > 0.1)
    assert np.ptp(rows) == 19 and np.ptp(cols) < 10  # 20 px tall, narrow: the aspect ratio is kept
    seven = from_ink(pen_digits.ink_on_pad(unit_strokes(7), height=200))
    top, bottom = seven[:14].sum(1), seven[14:].sum(1)
    assert top.max() > 2 * bottom.max()  # the bar is at the top: not flipped


def test_the_pack_flips_tablet_y_and_divides_each_axis_by_its_resolution(tiny_drawn):
    """Source ccc's tablet has 856.7 x 979.3 dots per inch (as one of UNIPEN's has), aaa's is square:
    their digits, written alike, must come out with the same proportions."""
    d = pen_digits.load_pen_digits(tiny_drawn)
    shapes = {"aaa": [], "ccc": []}
    for strokes, label, writer in zip(d.strokes, d.labels, d.writer):
        source = d.writers[writer][:3]
        if source in shapes and label != 1:  # a 1 is too narrow for its width to be measured
            width, height = np.ptp(np.concatenate(strokes), axis=0)
            shapes[source].append(width / height)
        if label == 7:
            bar = strokes[0][:2]  # the 7's first two points: its top bar, left to right
            assert bar[:, 1].max() < 0.2 and bar[1, 0] > bar[0, 0]  # at the top once y is flipped
    assert np.median(shapes["ccc"]) / np.median(shapes["aaa"]) == pytest.approx(1.0, abs=0.04)  # else 0.87


@pytest.mark.parametrize("height", [200, 60])
def test_strokes_are_as_wide_as_the_pen_fitted_to_the_digit(height):
    ink = pen_digits.ink_on_pad([np.array([[0.0, 0.0], [0.0, 1.0]], np.float32)], height=height)
    middle = ink[ink.shape[0] // 2] > 127
    assert abs(middle.sum() - 2 * PEN_SHARE * height) <= 1.5  # pad pixels across a vertical stroke


def test_drawings_vary_and_their_heights_cover_the_pads_range(tiny_drawn):
    d = pen_digits.load_pen_digits(tiny_drawn)
    rng = np.random.default_rng(0)
    a, b = pen_digits.render(d.strokes[0], rng), pen_digits.render(d.strokes[0], rng)
    assert a.shape == (28, 28) and not np.array_equal(a, b)
    assert 0 < pen_digits.HEIGHTS[0] < pen_digits.HEIGHTS[1] <= 1


def test_a_digit_drawn_small_is_read_as_the_same_digit_drawn_large(tiny_drawn):
    """With the pen fitted to the digit, preprocessing makes nearly the same 28 x 28 input of it
    whether it was drawn across 15% of the pad or 80%."""
    d = pen_digits.load_pen_digits(tiny_drawn)
    for strokes in d.strokes[:20]:
        small, large = (from_ink(pen_digits.ink_on_pad(strokes, share * PAD_SIZE)) for share in (0.15, 0.8))
        assert np.corrcoef(small.ravel(), large.ravel())[0, 1] > 0.85


def test_held_out_drawings_are_the_same_in_every_run_and_training_drawings_are_uint8(tiny_drawn):
    a, b = pen_digits.load_pen_digit_tensors(variants=0, path=tiny_drawn), pen_digits.load_pen_digit_tensors(variants=1, path=tiny_drawn)
    assert torch.equal(a.val_x, b.val_x) and len(a.train_y) == 0
    assert len(b.train_y) == len(pen_digits.load_pen_digits(tiny_drawn)) - len(b.val_y)
    assert b.train_x.dtype == torch.uint8 and b.val_x.dtype == torch.float32


def test_training_with_a_drawn_share_learns_the_drawn_digits(tiny_mnist, tiny_drawn):
    """MNIST's labels are shuffled here, so only the drawn digits can teach anything."""
    mnist = load_mnist(tiny_mnist, download=False)
    noise = MnistTensors(mnist.train_x, mnist.train_y[torch.randperm(len(mnist.train_y))], mnist.test_x, mnist.test_y,
                         drawn=pen_digits.load_pen_digit_tensors(variants=2, path=tiny_drawn))
    without = fit(preset("fast", epochs=8, batch_size=16, lr=0.01, drawn=0.0), noise).result
    with_drawn = fit(preset("fast", epochs=8, batch_size=16, lr=0.01, drawn=0.6), noise).result
    assert with_drawn.drawn_accuracy > without.drawn_accuracy + 0.3
    assert [h.drawn_accuracy is not None for h in with_drawn.history] == [True] * 8
    assert with_drawn.metadata()["drawn_accuracy"] == with_drawn.drawn_accuracy


def test_training_with_a_drawn_share_needs_the_drawn_digits(tiny_mnist):
    from mnist_model import ConfigError
    from mnist_model.train import train

    with pytest.raises(ConfigError, match="needs them loaded"):
        next(train(preset("fast", drawn=0.3), load_mnist(tiny_mnist, download=False)))


def test_held_out_drawings_are_kept_between_processes_and_redrawn_when_the_file_changes(tiny_drawn, tmp_path,
                                                                                          monkeypatch):
    monkeypatch.setenv("MNIST_CACHE_DIR", str(tmp_path / "cache"))
    pen_digits.forget()  # the process's own copy: not what this test is about
    first = pen_digits.load_pen_digit_tensors(variants=0, path=tiny_drawn)
    (kept,) = (tmp_path / "cache").glob("held-out-*.npz")
    pen_digits.forget()
    np.savez(kept, images=np.zeros((len(first.val_y), 28, 28), np.uint8), labels=first.val_y.numpy())
    # what is on disk is what is read...
    assert pen_digits.load_pen_digit_tensors(variants=0, path=tiny_drawn).val_x.max() == 0
    other = tmp_path / "other.npz"
    other.write_bytes(tiny_drawn.read_bytes() + b"\0")  # ...until the file (or the drawing) changes
    pen_digits.forget()
    assert torch.equal(pen_digits.load_pen_digit_tensors(variants=0, path=other).val_x, first.val_x)
    assert len(list((tmp_path / "cache").glob("held-out-*.npz"))) == 2
    pen_digits.forget()


def test_training_drawings_are_kept_between_processes_and_their_progress_is_told(tiny_drawn, tmp_path, monkeypatch):
    monkeypatch.setenv("MNIST_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(pen_digits, "PROGRESS_EVERY", 10)
    pen_digits.forget()
    heard = []
    first = pen_digits.load_pen_digit_tensors(variants=2, path=tiny_drawn, progress=lambda done, total: heard.append((done, total)))
    total = len(first.train_y)
    assert heard and heard[-1][1] == total and [d for d, _ in heard] == sorted(d for d, _ in heard)
    pen_digits.forget()
    heard.clear()
    again = pen_digits.load_pen_digit_tensors(variants=2, path=tiny_drawn, progress=lambda done, total: heard.append((done, total)))
    assert torch.equal(again.train_x, first.train_x) and not heard  # read from the disk, nothing drawn
    pen_digits.forget()
