"""A class teaches the network its own writing, through the API, and others of its kind are read better.

For each of UNIPEN's sources with enough held-out people (people the shipped model never saw), half of
them are a class: they join it and each adds every digit once (drawn on the pad at a random size and
place with the pad's pen, as a PNG, through /class_add); the teacher teaches (/class_teach). The other
held-out people of that source are the test: all their digits, read through /predict by the shipped
model (before) and by the class's model (after, published to a student's session), per digit. MNIST's
test set after teaching comes from /class_teach's own judgement.

UNIPEN's held-out people write much like the people the shipped model learned from, so a second,
synthetic population is measured too: the same people, with every 1 given a long up-stroke and every
7 a bar (a style the shipped model reads less well). Populations that are not in ../shared will be
measured elsewhere; the goal there is the others at 97.5 % or more, no digit under 90 %.

    python -m bench.class_teaching --data-dir ../shared/mnist [--model shipped-cnn]

`--model` names the model the teacher teaches and the others are read by before (a name in *Saved
models*; the shipped MLP by default).
"""

import argparse
import io
import os
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from gradio_client import Client, handle_file
from PIL import Image

from bench.machine import describe
from mnist_model import pen_digits
from mnist_model.european import flagged
from mnist_model.pen import PAD_SIZE, draw
from support.apprunner import running_app

SOURCES = ("tos", "ced", "apb", "imp")
ADD_PACE = 0.34  # seconds between one student's drawings (the app holds a session to 3 a second)


def pad_picture(strokes, rng: np.random.Generator) -> bytes:
    """A digit drawn on the pad as a visitor would (random height and place, the pad's fitted pen), as the
    PNG the pad hands over (transparent but for the ink)."""
    placed = pen_digits.on_pad(strokes, rng.uniform(0.3, 0.85) * PAD_SIZE, rng.uniform(-0.15, 0.15), (0, 0))
    extent = np.concatenate(placed).max(0)
    corner = rng.uniform(12, PAD_SIZE - 12 - extent)
    rgba = np.zeros((PAD_SIZE, PAD_SIZE, 4), np.uint8)
    rgba[:, :, 3] = draw([p + corner for p in placed], PAD_SIZE, PAD_SIZE)
    out = io.BytesIO()
    Image.fromarray(rgba).save(out, format="PNG")
    return out.getvalue()


def population(source: str, style=None) -> tuple[list, list]:
    """(the class: a list of (student, [(digit, strokes)]), the others: [(digit, strokes)]) of a source."""
    digits = pen_digits.load_pen_digits()
    chosen = pen_digits.held_out(digits) & pen_digits.well_formed(digits) & (digits.sources() == source)
    people = sorted({int(p) for p in digits.person[chosen]}, key=lambda p: digits.persons[p])
    np.random.default_rng(0).shuffle(people)
    students, others = people[: max(2, len(people) // 2)], people[max(2, len(people) // 2):]
    restyle = style or (lambda strokes, label: strokes)

    def written(person, first_only):
        found = []
        for digit in range(10):
            mine = [i for i in np.flatnonzero(chosen & (digits.person == person) & (digits.labels == digit))]
            found += [(digit, restyle(digits.strokes[i], digit)) for i in (mine[:1] if first_only else mine)]
        return found

    return [(p, written(p, True)) for p in students], [w for p in others for w in written(p, False)]


def read_all(client: Client, folder: Path, pictures: list[bytes]) -> list[int | None]:
    answers = []
    for i, png in enumerate(pictures):
        path = folder / f"read-{i}.png"
        path.write_bytes(png)
        answers.append(client.predict(handle_file(str(path)), api_name="/predict")["digit"])
    return answers


def measure(url: str, source: str, style, folder: Path, model: str | None = None) -> dict:
    rng = np.random.default_rng(1)
    students, others = population(source, style)
    teacher, reader = Client(url, verbose=False), Client(url, verbose=False)
    for client in (teacher, reader) if model else ():
        client.predict(model, api_name="/load_checkpoint")
    code = teacher.predict(api_name="/class_start")["code"]
    reader.predict(code, api_name="/class_join")
    for person, written in students:
        student = Client(url, verbose=False)
        student.predict(code, api_name="/class_join")
        for digit, strokes in written:
            path = folder / "add.png"
            path.write_bytes(pad_picture(strokes, rng))
            student.predict(handle_file(str(path)), digit, api_name="/class_add")
            time.sleep(ADD_PACE)
    labels = [d for d, _ in others]
    pictures = [pad_picture(s, rng) for _, s in others]
    before = read_all(reader, folder, pictures)
    taught = teacher.predict(api_name="/class_teach")
    teacher.predict(api_name="/class_publish")
    after = read_all(reader, folder, pictures)  # the reader is a student: its session has the class's model now
    teacher.predict(api_name="/class_end")
    def right(answers, digit=None) -> float:  # NaN for a digit the others did not write
        hits = [a == t for a, t in zip(answers, labels) if digit in (None, t)]
        return float(np.mean(hits)) if hits else float("nan")

    return {"source": source, "students": len(students), "drawings": sum(len(w) for _, w in students),
            "others": len(others), "before": right(before), "after": right(after),
            "before_digits": [right(before, d) for d in range(10)], "after_digits": [right(after, d) for d in range(10)],
            "mnist_after": taught["after"]["mnist"], "mnist_before": taught["before"]["mnist"],
            "seconds": taught["seconds"]}


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data-dir", default=os.environ.get("MNIST_DATA_DIR"), required="MNIST_DATA_DIR" not in os.environ)
    parser.add_argument("--model", default=None, help="the model taught, by its name in Saved models (default: shipped)")
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as folder, running_app(Path(folder) / "app.log", MNIST_DATA_DIR=args.data_dir) as url:
        for name, style in (("UNIPEN", None), ("flagged 1s, barred 7s (synthetic)", flagged)):
            for source in SOURCES:
                print(f"{name}: {source}…", file=sys.stderr)
                rows.append((name, measure(url, source, style, Path(folder), args.model)))
    print(f"machine: {describe()}; model taught: {args.model or 'shipped'}\n")
    print("| population | source | class (students, drawings) | others read | before | after | weakest digit before → after "
          "| MNIST after | teaching |")
    print("|---|---|---|---|---|---|---|---|---|")
    for name, r in rows:
        weakest = int(np.nanargmin(r["before_digits"]))
        print(f"| {name} | {r['source']} | {r['students']}, {r['drawings']} | {r['others']} | {r['before']:.1%} | "
              f"{r['after']:.1%} | {weakest}: {r['before_digits'][weakest]:.0%} → {r['after_digits'][weakest]:.0%} | "
              f"{r['mnist_after']:.2%} | {r['seconds']:.1f} s |")
    for name in dict(rows):
        group = [r for n, r in rows if n == name]
        others = sum(r["others"] for r in group)
        before = sum(r["before"] * r["others"] for r in group) / others
        after = sum(r["after"] * r["others"] for r in group) / others
        print(f"\n{name}, all sources: {before:.2%} → {after:.2%} on {others} drawings by people outside the class; "
              f"MNIST after teaching at least {min(r['mnist_after'] for r in group):.2%}")


if __name__ == "__main__":
    main()
