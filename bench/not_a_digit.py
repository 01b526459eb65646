"""What the network says to what is not a digit, and whether it still reads every digit.

For each checkpoint (by default the shipped MLP and CNN), on drawings of people and doodles it never
learned from (mnist_model.not_digits: the held-out persons' UNIPEN letters and held-out doodles,
drawn on the pad and preprocessed as a live drawing):
  - letters and doodles taken for a digit: answered with a digit at all, and with a digit at 90% or
    more (the measure for a network with ten answers, which must answer with a digit);
  - the letters a fair reader may take for a digit (O, l, Z, S, b, q, ...): answered with a digit
    (told, with no goal: they are never learned as "not a digit");
  - real digits said "not a digit": MNIST's test set and the held-out persons' pen-written digits;
  - accuracy on both, and per digit;
  - the held-out persons' digits in a European hand (every 1 with a long up-stroke, every 7 barred:
    bench/class_teaching's second population, drawn once each on the pad): read right, said not a digit;
  - which pen-written digits are said "not a digit";
  - with --shifts, for each network with the 11th answer: the same with that answer's score lowered
    by each shift (its last layer's bias), a threshold that trades letters taken for digits against
    digits said "not a digit".

    python -m bench.not_a_digit --data-dir ../shared/mnist [--shifts 0.5 1 2] [CHECKPOINT ...]
"""

import argparse
import copy
import os
import sys

import numpy as np
import torch

from bench.machine import describe
from mnist_model import Classifier, checkpoint, not_digits, pen_digits
from mnist_model.data import load_mnist
from mnist_model.doodles import KINDS
from mnist_model.errors import MnistModelError
from mnist_model.european import flagged
from mnist_model.evaluate import SURE, evaluate, not_digit_metrics
from mnist_model.not_digits import NOT_A_DIGIT


def per_kind(clf: Classifier, nd: not_digits.NotDigitTensors) -> dict[str, float]:
    """Each doodle kind's share answered with a digit at SURE or more."""
    probabilities = clf.probabilities_of(nd.doodles_x.numpy())
    sure_digit = (probabilities.argmax(1) < 10) & (probabilities.max(1) >= SURE)
    kinds = nd.doodle_kinds.numpy()
    return {name: float(sure_digit[kinds == k].mean()) for k, name in enumerate(KINDS)}


def european(pens: pen_digits.PenDigits, indices: np.ndarray) -> tuple[torch.Tensor, torch.Tensor]:
    """The digits at `indices`, restyled in a European hand and drawn on the pad as a live drawing."""
    images = [pen_digits.render(flagged(pens.strokes[i], int(pens.labels[i])), np.random.default_rng([7, int(i)]),
                                slant=False) for i in indices]
    return torch.from_numpy(np.stack(images)), torch.from_numpy(pens.labels[indices].astype(np.int64))


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("checkpoints", nargs="*", default=[str(checkpoint.SHIPPED), str(checkpoint.SHIPPED_CNN)])
    parser.add_argument("--data-dir", default=os.environ.get("MNIST_DATA_DIR"))
    parser.add_argument("--shifts", type=float, nargs="*", default=[],
                        help="lower an 11-answer network's 'not a digit' score by each of these")
    args = parser.parse_args()
    try:
        mnist = load_mnist(args.data_dir, download=False)
    except MnistModelError as exc:
        sys.exit(str(exc))
    pens = pen_digits.load_pen_digit_tensors("cpu", variants=0)
    written = pen_digits.load_pen_digits()
    eu_x, eu_y = european(written, np.flatnonzero(pen_digits.held_out(written) & pen_digits.well_formed(written)))
    nd = not_digits.load_not_digit_tensors("cpu", variants=0)
    print(f"machine: {describe()}")
    print(f"held out: {len(nd.letters)} letters (not digit-like), {len(nd.digit_like)} digit-like letters, "
          f"{len(nd.doodle_kinds)} doodles; {len(pens.val_y)} pen-written digits; MNIST's 10,000 test digits\n")
    rows, kinds = [], {}
    for path in args.checkpoints:
        clf = Classifier.load(path)
        m = not_digit_metrics(clf.model, nd)
        test, pen = evaluate(clf.model, mnist.test_x, mnist.test_y), evaluate(clf.model, pens.val_x, pens.val_y)
        rows.append((os.path.basename(path), clf.model.answers, m, test, pen, evaluate(clf.model, eu_x, eu_y)))
        kinds[os.path.basename(path)] = per_kind(clf, nd)
    print("| checkpoint | answers | letters taken for a digit (sure) | doodles (sure) | digit-like letters "
          "read as a digit | MNIST said not a digit | pen digits said not a digit | MNIST | pen digits "
          "| European hand (its 1s, 7s; said not a digit) |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for name, answers, m, test, pen, eu in rows:
        print(f"| {name} | {answers} | {m.letters:.1%} ({m.letters_sure:.1%}) | {m.doodles:.1%} ({m.doodles_sure:.1%}) "
              f"| {m.digit_like:.1%} | {test.refused:.2%} | {pen.refused:.2%} | {test.accuracy:.2%} "
              f"| {pen.accuracy:.2%} | {eu.accuracy:.2%} ({eu.per_class[1]:.1%}, {eu.per_class[7]:.1%}; "
              f"{eu.refused:.2%}) |")
    print("\nPen-written digits said not a digit, by digit:\n")
    print("| checkpoint | " + " | ".join(map(str, range(10))) + " |")
    print("|---|" + "---|" * 10)
    for name, answers, _, _, pen, _ in rows:
        if answers > NOT_A_DIGIT:
            print(f"| {name} | " + " | ".join(str(row[NOT_A_DIGIT]) for row in pen.confusion) + " |")
    if args.shifts:
        print("\nWith the 11th answer's score lowered by a shift:\n")
        print("| checkpoint | shift | letters taken for a digit (sure) | doodles (sure) | MNIST said not a digit "
              "| pen digits said not a digit | MNIST | pen digits |")
        print("|---|---|---|---|---|---|---|---|")
        for path in args.checkpoints:
            clf = Classifier.load(path)
            if clf.model.answers <= NOT_A_DIGIT:
                continue
            for shift in [0.0, *args.shifts]:
                model = copy.deepcopy(clf.model)
                with torch.no_grad():
                    model.layers[-1].bias[NOT_A_DIGIT] -= shift
                m = not_digit_metrics(model, nd)
                test, pen = evaluate(model, mnist.test_x, mnist.test_y), evaluate(model, pens.val_x, pens.val_y)
                print(f"| {os.path.basename(path)} | {shift:g} | {m.letters:.1%} ({m.letters_sure:.1%}) "
                      f"| {m.doodles:.1%} ({m.doodles_sure:.1%}) "
                      f"| {test.refused:.2%} | {pen.refused:.2%} | {test.accuracy:.2%} | {pen.accuracy:.2%} |")
    print("\nPer digit (MNIST / pen digits):\n")
    print("| checkpoint | " + " | ".join(map(str, range(10))) + " |")
    print("|---|" + "---|" * 10)
    for name, _, _, test, pen, _ in rows:
        print(f"| {name} | " + " | ".join(f"{a:.1%} / {b:.1%}" for a, b in zip(test.per_class, pen.per_class)) + " |")
    print("\nDoodles taken for a digit at 90% or more, by kind:\n")
    print("| checkpoint | " + " | ".join(KINDS) + " |")
    print("|---|" + "---|" * len(KINDS))
    for name, shares in kinds.items():
        print(f"| {name} | " + " | ".join(f"{share:.0%}" for share in shares.values()) + " |")


if __name__ == "__main__":
    main()
