"""Pack UNIPEN's isolated digits (JSON lines of pen trajectories) into the compact file the project ships.

    python drawn/pack.py ../shared/drawn/unipen1a_digits.jsonl.gz drawn/unipen1a_digits.npz

Each digit is brought to screen orientation (x divided by x_ppi, y by y_ppi and flipped so that it
points down), moved to its bounding box's corner and scaled so that its longer side is 255, keeping
the aspect ratio; coordinates are rounded to whole numbers (uint8) and repeated points dropped. At a
280 px pad a digit is drawn at most 252 px tall, so nothing visible is lost. The result is a numpy
.npz of plain arrays (no pickles):

    labels        uint8  (digits,)        0..9
    writer        uint16 (digits,)        index into `writers`
    writers       str    (writers,)       "source:writer-id", as UNIPEN names them
    stroke_count  uint8  (digits,)        strokes of each digit, in writing order
    point_count   uint16 (strokes,)       points of each stroke
    points        uint8  (points, 2)      x, y of every point, in order
"""

import gzip
import json
import sys

import numpy as np

SCALE = 255  # the longer side of every digit, in stored units


def digit_points(record: dict) -> list[np.ndarray]:
    """A record's strokes in screen orientation (y down), longer side SCALE, as rounded uint8 points."""
    strokes = [np.asarray(s, np.float64).reshape(-1, 2) / (record["x_ppi"], -record["y_ppi"]) for s in record["strokes"]]
    every = np.concatenate(strokes)
    low = every.min(0)
    extent = max(float((every.max(0) - low).max()), 1e-9)  # a single dot has no extent
    packed = []
    for stroke in strokes:
        q = np.rint((stroke - low) * (SCALE / extent)).astype(np.uint8)
        keep = np.ones(len(q), bool)
        keep[1:] = (np.diff(q.astype(np.int16), axis=0) != 0).any(1)
        packed.append(q[keep])
    return packed


def pack(source: str, target: str) -> None:
    with gzip.open(source, "rt") as lines:
        records = [json.loads(line) for line in lines]
    writers = sorted({r["writer"] for r in records})
    index = {w: i for i, w in enumerate(writers)}
    strokes = [digit_points(r) for r in records]
    np.savez_compressed(
        target,
        labels=np.array([int(r["label"]) for r in records], np.uint8),
        writer=np.array([index[r["writer"]] for r in records], np.uint16),
        writers=np.array(writers),
        stroke_count=np.array([len(s) for s in strokes], np.uint8),
        point_count=np.array([len(p) for s in strokes for p in s], np.uint16),
        points=np.concatenate([p for s in strokes for p in s]),
    )


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    pack(sys.argv[1], sys.argv[2])
