"""Pack UNIPEN's isolated digits, or its isolated letters (JSON lines of pen trajectories), into the
compact files the project ships.

    python drawn/pack.py ../shared/drawn/unipen1a_digits.jsonl.gz drawn/unipen1a_digits.npz
    python drawn/pack.py ../shared/drawn/unipen1bc_letters.jsonl.gz drawn/unipen1bc_letters.npz

Each digit is brought to screen orientation (x divided by x_ppi, y by y_ppi and flipped so that it
points down), moved to its bounding box's corner and scaled so that its longer side is 255, keeping
the aspect ratio; coordinates are rounded to whole numbers (uint8) and repeated points dropped. At a
280 px pad a digit is drawn at most 252 px tall, so nothing visible is lost.

UNIPEN holds the same person under several writer ids, and the same ink more than once: in source
`ibm`, ids `rNN-MM` that share `MM` are one person recorded in several sessions, and some records
repeat an earlier record's ink exactly, often under another writer id (`gmd:kast` holds copies of
`gmd:alek`). A split by writer id would put one person's digits on both sides of it, so the file
groups writer ids into **persons**: ibm's sessions by `MM`, and any two ids that share a record's
ink. Each record whose ink repeats an earlier one is left out, as are records whose ink is a single
point (three of ibm's lie at (0, 0)).

The result is a numpy .npz of plain arrays (no pickles):

    labels        uint8  (digits,)        0..9 (letters: the letter's code point, 65..90 and 97..122)
    writer        uint16 (digits,)        index into `writers`
    writers       str    (writers,)       "source:writer-id", as UNIPEN names them
    person        uint16 (writers,)       index into `persons`: the person behind each writer id
    persons       str    (persons,)       "source:name", the person's first writer id (ibm: "ibm:*-MM")
    stroke_count  uint8  (digits,)        strokes of each digit, in writing order
    point_count   uint16 (strokes,)       points of each stroke
    points        uint8  (2, points)      every point's x, then every point's y, in order (two planes:
                                          they compress a sixth smaller than x, y pairs)
"""

import gzip
import json
import re
import sys

import numpy as np

SCALE = 255  # the longer side of every digit, in stored units
IBM_SESSION = re.compile(r"ibm:r\d+-(\d+)")  # ibm's writer ids: session rNN, person MM


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


def is_a_point(record: dict) -> bool:
    every = np.concatenate([np.asarray(s, np.float64).reshape(-1, 2) for s in record["strokes"]])
    return bool(np.ptp(every, axis=0).max() == 0)


def person_key(writer: str) -> str:
    """The person a writer id names on its own: ibm's sessions of one person share a key."""
    session = IBM_SESSION.fullmatch(writer)
    return f"ibm:*-{session[1]}" if session else writer


def persons_of(records: list[dict]) -> dict[str, str]:
    """Each writer id's person: writer ids joined by person_key, and by any ink they share (a single
    point is not ink anyone could share)."""
    parent: dict[str, str] = {}

    def find(key: str) -> str:
        while parent.setdefault(key, key) != key:
            parent[key] = parent[parent[key]]
            key = parent[key]
        return key

    def join(a: str, b: str) -> None:
        a, b = find(a), find(b)
        if a != b:
            parent[max(a, b)] = min(a, b)  # the group is named by its smallest key

    first_writer: dict[str, str] = {}
    for record in records:
        writer = record["writer"]
        join(writer, person_key(writer))
        if not is_a_point(record):  # a dot at (0, 0) is no one's hand
            join(writer, first_writer.setdefault(json.dumps(record["strokes"]), writer))
    return {record["writer"]: find(record["writer"]) for record in records}


def kept_records(records: list[dict]) -> list[dict]:
    """The records that are one digit's own ink: repeats of earlier ink and single points left out."""
    seen, kept = set(), []
    for record in records:
        ink = json.dumps(record["strokes"])
        if ink not in seen and not is_a_point(record):
            kept.append(record)
        seen.add(ink)
    return kept


def pack(source: str, target: str) -> None:
    with gzip.open(source, "rt") as lines:
        records = [json.loads(line) for line in lines]
    person = persons_of(records)  # from every record: a repeat still tells who is who
    records = kept_records(records)
    writers = sorted({r["writer"] for r in records})
    persons = sorted({person[w] for w in writers})
    index = {w: i for i, w in enumerate(writers)}
    strokes = [digit_points(r) for r in records]
    np.savez_compressed(
        target,
        labels=np.array([int(r["label"]) if r["label"].isdigit() else ord(r["label"]) for r in records], np.uint8),
        writer=np.array([index[r["writer"]] for r in records], np.uint16),
        writers=np.array(writers),
        person=np.array([persons.index(person[w]) for w in writers], np.uint16),
        persons=np.array(persons),
        stroke_count=np.array([len(s) for s in strokes], np.uint8),
        point_count=np.array([len(p) for s in strokes for p in s], np.uint16),
        points=np.ascontiguousarray(np.concatenate([p for s in strokes for p in s]).T),
    )


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    pack(sys.argv[1], sys.argv[2])
