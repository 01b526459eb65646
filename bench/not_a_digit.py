"""What the network says to what is not a digit, and whether it still reads every digit.

For each checkpoint (by default the shipped MLP and CNN), on drawings of people and doodles it never
learned from (mnist_model.not_digits: the held-out persons' UNIPEN letters and held-out doodles,
drawn on the pad and preprocessed as a live drawing):
  - letters and doodles taken for a digit: answered with a digit at all, and with a digit at 90% or
    more (the measure for a network with ten answers, which must answer with a digit);
  - the letters a fair reader may take for a digit (O, l, Z, S, b, q, ...): answered with a digit
    (told, with no goal: they are never learned as "not a digit");
  - real digits said "not a digit": MNIST's test set and the held-out persons' pen-written digits;
  - accuracy on both, and per digit.

    python -m bench.not_a_digit --data-dir ../shared/mnist [CHECKPOINT ...]
"""

import argparse
import os
import sys

from bench.machine import describe
from mnist_model import Classifier, checkpoint, not_digits, pen_digits
from mnist_model.data import load_mnist
from mnist_model.doodles import KINDS
from mnist_model.errors import MnistModelError
from mnist_model.evaluate import SURE, evaluate, not_digit_metrics


def per_kind(clf: Classifier, nd: not_digits.NotDigitTensors) -> dict[str, float]:
    """Each doodle kind's share answered with a digit at SURE or more."""
    probabilities = clf.probabilities_of(nd.doodles_x.numpy())
    sure_digit = (probabilities.argmax(1) < 10) & (probabilities.max(1) >= SURE)
    kinds = nd.doodle_kinds.numpy()
    return {name: float(sure_digit[kinds == k].mean()) for k, name in enumerate(KINDS)}


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("checkpoints", nargs="*", default=[str(checkpoint.SHIPPED), str(checkpoint.SHIPPED_CNN)])
    parser.add_argument("--data-dir", default=os.environ.get("MNIST_DATA_DIR"))
    args = parser.parse_args()
    try:
        mnist = load_mnist(args.data_dir, download=False)
    except MnistModelError as exc:
        sys.exit(str(exc))
    pens = pen_digits.load_pen_digit_tensors("cpu", variants=0)
    nd = not_digits.load_not_digit_tensors("cpu", variants=0)
    print(f"machine: {describe()}")
    print(f"held out: {len(nd.letters)} letters (not digit-like), {len(nd.digit_like)} digit-like letters, "
          f"{len(nd.doodle_kinds)} doodles; {len(pens.val_y)} pen-written digits; MNIST's 10,000 test digits\n")
    rows, kinds = [], {}
    for path in args.checkpoints:
        clf = Classifier.load(path)
        m = not_digit_metrics(clf.model, nd)
        test, pen = evaluate(clf.model, mnist.test_x, mnist.test_y), evaluate(clf.model, pens.val_x, pens.val_y)
        rows.append((os.path.basename(path), clf.model.answers, m, test, pen))
        kinds[os.path.basename(path)] = per_kind(clf, nd)
    print("| checkpoint | answers | letters taken for a digit (sure) | doodles (sure) | digit-like letters "
          "read as a digit | MNIST said not a digit | pen digits said not a digit | MNIST | pen digits |")
    print("|---|---|---|---|---|---|---|---|---|")
    for name, answers, m, test, pen in rows:
        print(f"| {name} | {answers} | {m.letters:.1%} ({m.letters_sure:.1%}) | {m.doodles:.1%} ({m.doodles_sure:.1%}) "
              f"| {m.digit_like:.1%} | {test.refused:.2%} | {pen.refused:.2%} | {test.accuracy:.2%} "
              f"| {pen.accuracy:.2%} |")
    print("\nPer digit (MNIST / pen digits):\n")
    print("| checkpoint | " + " | ".join(map(str, range(10))) + " |")
    print("|---|" + "---|" * 10)
    for name, _, _, test, pen in rows:
        print(f"| {name} | " + " | ".join(f"{a:.1%} / {b:.1%}" for a, b in zip(test.per_class, pen.per_class)) + " |")
    print("\nDoodles taken for a digit at 90% or more, by kind:\n")
    print("| checkpoint | " + " | ".join(KINDS) + " |")
    print("|---|" + "---|" * len(KINDS))
    for name, shares in kinds.items():
        print(f"| {name} | " + " | ".join(f"{share:.0%}" for share in shares.values()) + " |")


if __name__ == "__main__":
    main()
