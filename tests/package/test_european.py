"""The European hand: the benches' fixed restyling, training's randomised one, and when a run trains on it."""

import itertools

import numpy as np
import pytest
import torch

from mnist_model import european, pen_digits
from mnist_model.config import preset
from mnist_model.training_run import Done, RunRequest, run
from tests.package.test_pen_digits import unit_strokes


def seven() -> list[np.ndarray]:
    """A 7 sampled as a tablet samples a pen (a hundred points along each of its lines), not by its corners
    alone: the bar goes where the stem is, found among the points at the bar's height."""
    (corners,) = unit_strokes(7)
    lines = itertools.pairwise(corners)
    return [np.concatenate([np.linspace(a, b, 100, endpoint=False, dtype=np.float32) for a, b in lines])]


def test_the_benches_restyling_puts_its_up_stroke_and_bar_where_it_always_has():
    one = unit_strokes(1)
    up, *rest = european.flagged(one, 1)
    top = one[0][np.argmin(one[0][:, 1])]
    tall = np.ptp(one[0][:, 1])
    np.testing.assert_allclose(up, [[top[0] - 0.45 * tall, top[1] + 0.4 * tall], top], rtol=1e-6)
    assert all(a is b for a, b in zip(rest, one))  # the 1 as written, after its up-stroke
    (stem, bar) = european.flagged(seven(), 7)
    assert bar[0, 1] == bar[1, 1]  # a level bar...
    assert 0.5 < (bar[0, 1] - stem[:, 1].min()) / np.ptp(stem[:, 1]) < 0.6  # ...a little below the middle
    three = unit_strokes(3)
    assert european.flagged(three, 3) is three


def test_training_restyles_each_1_with_an_up_stroke_of_its_own_length_and_angle():
    one = unit_strokes(1)
    tops, starts = [], []
    for seed in range(20):
        up, *rest = european.restyled(one, 1, np.random.default_rng(seed))
        assert len(rest) == len(one) and up[1, 1] == one[0][:, 1].min()  # the extra stroke ends at the 1's top
        assert up[0, 0] < up[1, 0] and up[0, 1] > up[1, 1]  # and starts left of it, lower down (y down)
        tops.append(tuple(up[1]))
        starts.append(tuple(up[0]))
    assert len(set(tops)) == 1 and len(set(starts)) == 20
    bars = [european.restyled(seven(), 7, np.random.default_rng(seed)) for seed in range(20)]
    assert all(len(b) == 2 for b in bars) and len({tuple(b[-1].ravel()) for b in bars}) == 20


def test_a_share_of_the_training_1s_and_7s_is_drawn_in_a_european_hand_and_nothing_else_changes(tiny_drawn):
    pen_digits.forget()
    plain = pen_digits.load_pen_digit_tensors(variants=4, path=tiny_drawn)
    mixed = pen_digits.load_pen_digit_tensors(variants=4, path=tiny_drawn, european_share=0.5)
    assert torch.equal(plain.train_y, mixed.train_y) and torch.equal(plain.train_weight, mixed.train_weight)
    assert torch.equal(plain.val_x, mixed.val_x)  # the held-out people are never restyled
    changed = (plain.train_x != mixed.train_x).flatten(1).any(1)
    assert set(plain.train_y[changed].tolist()) <= {1, 7}  # (the tiny file's 7s are corners alone: no bar)
    ones = changed & (plain.train_y == 1)
    assert 0.3 < ones.sum() / (plain.train_y == 1).sum() < 0.7
    def width(images):  # the restyled 1s' columns with ink, on average
        return (images[ones].float().amax(1) > 64).sum(1).float().mean()

    assert width(mixed.train_x) > width(plain.train_x) + 2  # a 1's up-stroke widens it
    assert torch.equal(pen_digits.load_pen_digit_tensors(variants=4, path=tiny_drawn).train_x, plain.train_x)
    pen_digits.forget()


@pytest.mark.usefixtures("tiny_data")
@pytest.mark.parametrize("not_a_digit", [0.0, 0.1])
def test_only_a_run_that_learns_not_a_digit_trains_on_the_european_hand(monkeypatch, not_a_digit):
    trained_on = []
    load = pen_digits.load_pen_digit_tensors

    def kept(*args, **kwargs):
        trained_on.append(load(*args, **kwargs))
        return trained_on[-1]

    monkeypatch.setattr("mnist_model.training_run.load_pen_digit_tensors", kept)
    pen_digits.forget()
    cfg = preset("fast", hidden=(16,), epochs=1, batch_size=16, lr=0.01, drawn=0.3, not_a_digit=not_a_digit)
    events = list(run(RunRequest(cfg, device="cpu")))
    assert isinstance(events[-1], Done)
    pen_digits.forget()
    as_ever = load(variants=pen_digits.VARIANTS)  # the drawings every run trained on before the European hand
    assert torch.equal(trained_on[0].train_y, as_ever.train_y)
    assert torch.equal(trained_on[0].train_x, as_ever.train_x) == (not not_a_digit)
    pen_digits.forget()
