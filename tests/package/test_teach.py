"""Teaching the network a class's own writing: the split that judges it, learning, determinism."""

import os

import numpy as np
import pytest
import torch

from mnist_model import Classifier, ConfigError
from mnist_model.teach import Drawing, Recipe, Taught, lesson, split, teach
from support.strokes import drawing

# a 1 as some people write it, with a long up-stroke to the top: the shipped model reads it as a 7
FLAGGED_ONE = [[(0.1, 0.3), (0.7, 0.05), (0.45, 0.95)]]

pytestmark = pytest.mark.usefixtures("tiny_data")


def a_class(students: int, per_student: int, seed: int = 0) -> list[Drawing]:
    """A class that writes its 1s with a long up-stroke (which others take for 7s), each student at
    their own size and place, and the other digits as everyone does."""
    rng = np.random.default_rng(seed)
    drawings = []
    for student in range(1, students + 1):
        for i in range(per_student):
            digit = i % 10
            picture = drawing(FLAGGED_ONE if digit == 1 else digit, 280, size=rng.uniform(120, 220),
                              centre=tuple(rng.uniform(110, 170, 2))).layer
            drawings.append(Drawing(len(drawings) + 1, student, digit, Classifier.preprocess(picture)))
    return drawings


def test_three_or_more_students_are_held_out_whole():
    drawings = a_class(students=8, per_student=10)
    taught, held = split(drawings)
    held_students = {d.student for d in held}
    assert len(held_students) == 2 and not held_students & {d.student for d in taught}
    assert split(drawings) == (taught, held)  # the same every time


def test_with_fewer_students_a_share_of_the_drawings_is_held_out():
    drawings = a_class(students=2, per_student=20)
    taught, held = split(drawings)
    assert len(held) == 10 and {d.student for d in held} == {1, 2} and len(taught) + len(held) == 40


def test_teaching_learns_the_classs_writing_and_judges_it_on_drawings_it_never_saw(shipped):
    drawings = a_class(students=6, per_student=20)
    events = list(teach(lesson(shipped, drawings)))
    taught = events[-1]
    assert isinstance(taught, Taught) and taught.taught_on + len(taught.held_out) == len(drawings)
    assert {d.student for d in taught.held_out}.isdisjoint({d.student for d in split(drawings)[0]})
    ones = [d for d in taught.held_out if d.digit == 1]
    before = sum(g == 1 for d, g in zip(taught.held_out, taught.guesses_before) if d.digit == 1)
    after = sum(g == 1 for d, g in zip(taught.held_out, taught.guesses_after) if d.digit == 1)
    assert before <= len(ones) / 4 and after >= len(ones) * 3 / 4  # their 1s: read as 7 before, as 1 after
    assert taught.after.drawings > taught.before.drawings
    assert all(d.digit == 1 for d in taught.now_right) and len(taught.now_right) >= after
    meta = taught.classifier.meta["teaching"]
    assert meta["held_out"] == len(taught.held_out) and meta["after"]["drawings"] == taught.after.drawings
    assert taught.classifier.test_accuracy == taught.after.mnist


def test_the_same_drawings_and_seed_teach_the_same_model(shipped):
    drawings = a_class(students=3, per_student=10)
    first, again = (list(teach(lesson(shipped, drawings, Recipe(steps=30))))[-1] for _ in range(2))
    for a, b in zip(first.classifier.model.parameters(), again.classifier.model.parameters()):
        assert torch.equal(a, b)
    other = list(teach(lesson(shipped, drawings, Recipe(steps=30, seed=1))))[-1]
    assert not torch.equal(next(first.classifier.model.parameters()), next(other.classifier.model.parameters()))


def test_teaching_leaves_the_model_it_started_from_alone(shipped):
    before = [p.clone() for p in shipped.model.parameters()]
    list(teach(lesson(shipped, a_class(students=2, per_student=10), Recipe(steps=20))))
    assert all(torch.equal(a, b) for a, b in zip(before, shipped.model.parameters()))


def test_teaching_needs_a_few_drawings(shipped):
    with pytest.raises(ConfigError, match="teaching needs at least 10 drawings; there are 3"):
        lesson(shipped, a_class(students=1, per_student=3))


@pytest.mark.parametrize("answers", [10, 11])
def test_a_prepared_teaching_reads_and_draws_nothing_more(answers, tmp_path, monkeypatch):
    """Whichever network a class teaches: one of ten answers, or one with "not a digit" (which also
    learns European-hand 1s and 7s, and letters and doodles)."""
    from mnist_model import not_digits, pen_digits, training_run
    from mnist_model.model import MLP
    from mnist_model.teach import prepare

    monkeypatch.setenv("MNIST_CACHE_DIR", str(tmp_path))
    for module in (pen_digits, not_digits):  # (what an earlier test drew is in memory: prepare must draw it)
        module.forget()
    assert prepare() is True
    reads = []
    monkeypatch.setattr(training_run, "load_mnist", lambda *args, **kwargs: reads.append("mnist"))
    for module in (pen_digits, not_digits):
        monkeypatch.setattr(module, "render_many", lambda *args, **kwargs: reads.append("drawing"))
    monkeypatch.setattr(not_digits, "_doodles_drawn", lambda *args, **kwargs: reads.append("doodles"))
    torch.manual_seed(0)
    base = Classifier(MLP((16,), answers=answers))
    assert isinstance(list(teach(lesson(base, a_class(students=3, per_student=10))))[-1], Taught)
    assert reads == []
    for module in (pen_digits, not_digits):
        module.forget()


PREPARED_PROCESS = """
import sys
from mnist_model import not_digits
not_digits.TRAINING_DOODLES = 96  # (as tiny_data has it: thousands take a while to draw)
from mnist_model.teach import prepare
before = "torch._dynamo" in sys.modules
prepare()
print(before, "torch._dynamo" in sys.modules)
"""


def test_a_prepared_process_has_loaded_what_the_first_teachings_optimizer_needs(tiny_mnist, tiny_drawn, tiny_letters,
                                                                                  tmp_path):
    import subprocess
    import sys

    from support.apprunner import REPO

    env = {**os.environ, "MNIST_DATA_DIR": str(tiny_mnist), "MNIST_DRAWN_FILE": str(tiny_drawn),
           "MNIST_LETTERS_FILE": str(tiny_letters), "MNIST_CACHE_DIR": str(tmp_path)}
    out = subprocess.run([sys.executable, "-c", PREPARED_PROCESS], cwd=REPO, env=env, check=True,
                         capture_output=True, text=True, timeout=300).stdout
    assert out.split() == ["False", "True"]  # torch's optimizers' torch._dynamo: 1.5 s and 150 MB, at launch


def test_without_mnist_on_disk_nothing_is_prepared_and_nothing_downloaded(tmp_path, monkeypatch):
    from mnist_model import training_run
    from mnist_model.teach import prepare

    monkeypatch.setenv("MNIST_DATA_DIR", str(tmp_path / "no-mnist-here"))
    monkeypatch.setattr(training_run, "load_mnist", lambda *args, **kwargs: pytest.fail("MNIST was read"))
    assert prepare() is False


def test_teaching_a_network_with_an_eleventh_answer_keeps_its_not_a_digit():
    """(a lesson's config named the network's answers as a field it has not, and teaching failed)"""
    from mnist_model.model import MLP

    torch.manual_seed(0)
    base = Classifier(MLP((16,), answers=11))
    taught = list(teach(lesson(base, a_class(students=2, per_student=10))))[-1]
    assert isinstance(taught, Taught) and taught.classifier.answers == 11

    def alike(a, b) -> float:  # cosine of two networks' first layers: ~0 for two fresh networks
        first = (a.layers[0].weight.detach().flatten(), b.layers[0].weight.detach().flatten())
        return float(torch.nn.functional.cosine_similarity(*first, 0))

    assert alike(taught.classifier.model, base.model) > 0.5 > abs(alike(MLP((16,), answers=11), base.model))
    assert not torch.equal(taught.classifier.model.layers[0].weight, base.model.layers[0].weight)  # (and taught)


def not_digits(count: int, first_id: int, student: int = 1) -> list[Drawing]:
    """Doodles a class added as not a digit (mnist_model.doodles, drawn on the pad)."""
    from mnist_model.doodles import doodles
    from mnist_model.not_digits import NOT_A_DIGIT
    from mnist_model.pen_digits import render

    strokes, _ = doodles(count, seed=5)
    return [Drawing(first_id + i, student, NOT_A_DIGIT, render(s, np.random.default_rng(i), slant=False))
            for i, s in enumerate(strokes)]


def test_a_network_of_ten_answers_leaves_the_drawings_that_are_not_a_digit_out(shipped):
    digits = a_class(students=2, per_student=10)
    planned = lesson(shipped, digits + not_digits(6, len(digits) + 1))
    assert planned.left_out == 6 and len(planned.taught_on) + len(planned.held_out) == len(digits)
    assert all(d.digit < 10 for d in planned.taught_on + planned.held_out)
    with pytest.raises(ConfigError, match="there are 9 .and 6 that are not a digit"):  # (what it can learn is counted)
        lesson(shipped, digits[:9] + not_digits(6, 100))


def test_a_network_with_an_eleventh_answer_learns_the_classs_not_a_digit_drawings_and_is_judged_on_them():
    from mnist_model.model import MLP

    torch.manual_seed(0)
    base = Classifier(MLP((16,), answers=11))
    drawings = a_class(students=2, per_student=10) + not_digits(8, 100) + not_digits(8, 200, student=2)
    planned = lesson(base, drawings)
    assert planned.left_out == 0 and planned.request.extra.labels.tolist().count(10) == \
        sum(d.digit == 10 for d in planned.taught_on) > 0
    taught = list(teach(planned))[-1]
    held = [d for d in taught.held_out if d.digit == 10]
    assert held and len(taught.after.drawings_per_digit) == 11
    right = sum(g == 10 for d, g in zip(taught.held_out, taught.guesses_after) if d.digit == 10)
    assert taught.after.drawings_per_digit[10] == right / len(held)
