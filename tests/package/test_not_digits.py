"""Not a digit: letters and doodles, split by person with the digits, learned as an 11th answer; the
lesson's ten-answer networks and checkpoints as they were."""

import json

import numpy as np
import pytest
import torch
from safetensors import safe_open

from mnist_model import Classifier, checkpoint, doodles, not_digits, pen_digits
from mnist_model.config import PRESETS, TrainConfig, preset
from mnist_model.errors import ConfigError
from mnist_model.model import MLP, build_network, network_text
from mnist_model.not_digits import NOT_A_DIGIT


def test_a_person_held_out_of_the_digits_is_held_out_of_the_letters_and_letters_only_people_are_split_too(
        tiny_drawn, tiny_letters):
    digits, letters = pen_digits.load_pen_digits(tiny_drawn), pen_digits.load_pen_digits(tiny_letters)
    held = not_digits.held_out_letters(letters, digits)
    held_digit_writers = {digits.writers[w] for w in np.unique(digits.writer[pen_digits.held_out(digits)])}
    for index, writer in enumerate(letters.writers):
        mine = held[letters.writer == index]
        assert mine.all() or not mine.any(), f"{writer}'s letters are on both sides of the split"
        if writer in digits.writers:
            assert mine.all() == (writer in held_digit_writers), f"{writer}'s letters and digits are split apart"
    letters_only = [i for i, w in enumerate(letters.writers) if w not in digits.writers]
    sides = {bool(held[letters.writer == i].all()) for i in letters_only}
    assert sides == {True, False}  # (source aaa's two letters-only people: one is held out)


def test_letters_a_reader_may_take_for_a_digit_are_never_learned_as_not_a_digit(tiny_data, tiny_letters):
    letters = pen_digits.load_pen_digits(tiny_letters)
    like = not_digits.digit_like(letters)
    assert {chr(c) for c in letters.labels[like]} == {"O", "l"}
    nd = not_digits.load_not_digit_tensors("cpu", variants=1)
    held = not_digits.held_out_letters(letters, pen_digits.load_pen_digits())
    assert len(nd.train_x) == (~held & ~like).sum() + not_digits.TRAINING_DOODLES
    assert {chr(c) for c in nd.letters.tolist()} == {"A", "x", "n"}  # held out, not digit-like
    assert {chr(c) for c in nd.digit_like.tolist()} == {"O", "l"}  # held out, to measure alone
    assert (nd.train_y == NOT_A_DIGIT).all()


def test_every_kind_of_doodle_is_drawn_with_ink_and_the_same_for_the_same_seed():
    strokes, kinds = doodles.doodles(2 * len(doodles.KINDS), seed=5)
    assert sorted(set(kinds.tolist())) == list(range(len(doodles.KINDS)))
    for drawing in strokes:
        image = pen_digits.render(drawing, np.random.default_rng(0))
        assert image.max() > 0.9 and (image > 0.5).sum() > 20  # inked, not a dot
    again, _ = doodles.doodles(2 * len(doodles.KINDS), seed=5)
    assert all(np.array_equal(a, b) for x, y in zip(strokes, again) for a, b in zip(x, y))


def test_no_doodle_is_a_single_stroke_of_a_straight_line():
    """(a single straight stroke is a 1 to any reader)"""
    strokes, _ = doodles.doodles(10 * len(doodles.KINDS), seed=1)
    for drawing in strokes:
        if len(drawing) == 1:
            points = drawing[0] - drawing[0].mean(0)
            spread = np.linalg.svd(points, compute_uv=False)
            assert spread[1] > 0.1 * spread[0], "a single stroke that is a straight line"


def test_a_run_with_a_not_a_digit_share_learns_an_eleventh_answer_and_its_checkpoint_says_so(tiny_data, tmp_path):
    from mnist_model.training_run import Done, RunRequest, run

    cfg = preset("fast", epochs=3, batch_size=32, lr=0.01, not_a_digit=0.3)
    done = [e for e in run(RunRequest(cfg, device="cpu", download=False)) if isinstance(e, Done)][0]
    clf = done.classifier
    assert clf.answers == 11 and cfg.network["answers"] == 11
    nd = not_digits.load_not_digit_tensors("cpu", variants=0)
    said = clf.probabilities_of(nd.letters_x.numpy()).argmax(1)
    assert (said == NOT_A_DIGIT).mean() > 0.5  # held-out people's letters: mostly "not a digit"
    assert done.report.not_digits is not None and done.report.not_digits.letters < 0.5
    path = checkpoint.save(tmp_path / "eleven.safetensors", clf.model, recipe=cfg.to_dict())
    loaded = Classifier.load(path)
    assert loaded.answers == 11 and loaded.meta["answers"] == 11
    assert TrainConfig.from_dict(loaded.meta["recipe"]) == cfg
    assert network_text(loaded.model.network).startswith("784 → 64 → 64 → 64 → 11")


def test_the_lessons_networks_and_checkpoints_keep_their_ten_answers(shipped, tmp_path):
    assert "answers" not in PRESETS["seed"].network and build_network(**PRESETS["seed"].network).answers == 10
    assert shipped.answers == 10 and shipped.predict_proba(np.eye(28, dtype=np.float32)).shape == (10,)
    path = checkpoint.save(tmp_path / "ten.safetensors", MLP())
    with safe_open(path, "pt") as f:  # the file's own metadata: a ten-answer network's as before the 11th
        assert "answers" not in json.loads(f.metadata()["mnist_model"])
    assert Classifier.load(path).answers == 10
    assert network_text(MLP().network) == "784 → 64 → 64 → 64 → 10, ReLU"


@pytest.mark.parametrize("fields, said", [
    ({"not_a_digit": 0.6}, "the not-a-digit share must be a number from 0 to 0.5, got 0.6"),
    ({"not_a_digit": -0.1}, "the not-a-digit share must be"),
    ({"not_a_digit": "some"}, "the not-a-digit share must be"),
    ({"not_a_digit": 0.5, "drawn": 0.5}, "the drawn-digit and not-a-digit shares together must be at most 0.9"),
])
def test_a_not_a_digit_share_out_of_range_is_refused_naming_it(fields, said):
    with pytest.raises(ConfigError) as refused:
        preset("fast", **fields)
    assert "\n" not in str(refused.value) and said in str(refused.value)


def test_shares_that_add_up_to_the_limit_are_taken():
    """(0.56 + 0.34 is 0.9000000000000001 in floats)"""
    assert preset("fast", drawn=0.56, not_a_digit=0.34).not_a_digit == 0.34


def test_an_eleven_answer_network_gives_eleven_log_probabilities():
    out = build_network(architecture="cnn", answers=11)(torch.rand(2, 28, 28))
    assert out.shape == (2, 11) and torch.allclose(out.exp().sum(1), torch.ones(2))
    with pytest.raises(ConfigError):
        MLP(answers=12)
