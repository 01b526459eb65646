"""Doodles drawn as a hand draws them on the pad: what students draw when they are not writing a digit.

Each kind is a small program of pen strokes (a star, a heart, a house, a smiley, a sun, a tree, a
fish, a cloud, a spiral, a #, a scribble, an arrow, a flower, a cat, a zigzag, a crossed box), with
its proportions, its strokes' order and direction and the hand's wobble drawn at random. None is
one a fair reader takes for a digit: no plain circle (a 0), no single straight stroke (a 1), no
zigzag of fewer than four turns (a 2 or a Z). Strokes are (n, 2) float32 arrays, y pointing down,
in any units (pen_digits.render places and sizes them on the pad).

    strokes = doodle("heart", np.random.default_rng(0))
"""

from collections.abc import Callable

import numpy as np

Strokes = list[np.ndarray]
POINTS_PER_UNIT = 40  # points along a stroke per unit of length (the pad's pen joins them with lines)


def _line(a, b) -> np.ndarray:
    a, b = np.asarray(a, np.float64), np.asarray(b, np.float64)
    n = max(2, int(np.linalg.norm(b - a) * POINTS_PER_UNIT))
    return a + (b - a) * np.linspace(0, 1, n)[:, None]


def _path(*corners) -> np.ndarray:
    """Straight lines through `corners`, as one stroke."""
    return np.concatenate([_line(a, b)[:-1] for a, b in zip(corners, corners[1:])] + [np.asarray([corners[-1]], float)])


def _arc(centre, radii, start: float, end: float) -> np.ndarray:
    """An ellipse's arc from angle `start` to `end` (radians; y down, so positive angles turn clockwise)."""
    rx, ry = radii
    n = max(3, int(abs(end - start) * max(rx, ry) * POINTS_PER_UNIT))
    t = np.linspace(start, end, n)
    return np.stack([centre[0] + rx * np.cos(t), centre[1] + ry * np.sin(t)], 1)


def _dot(centre, rng) -> np.ndarray:
    return np.asarray([centre], float) + rng.normal(0, 0.004, (1, 2))


def _star(rng) -> Strokes:
    tips = rng.choice([5, 6])
    turn = rng.uniform(0, 2 * np.pi)
    if rng.random() < 0.5 and tips == 5:  # drawn without lifting the pen: a pentagram
        angles = turn + np.arange(6) * 4 * np.pi / 5
        return [_path(*np.stack([np.cos(angles), np.sin(angles)], 1))]
    angles = turn + np.arange(2 * tips + 1) * np.pi / tips  # an outline: tips and notches
    radii = np.where(np.arange(2 * tips + 1) % 2 == 0, 1.0, rng.uniform(0.35, 0.5))
    return [_path(*np.stack([radii * np.cos(angles), radii * np.sin(angles)], 1))]


def _heart(rng) -> Strokes:
    t = np.linspace(0, 2 * np.pi, 120) + rng.uniform(-0.3, 0.3)
    x = 16 * np.sin(t) ** 3
    y = -(13 * np.cos(t) - 5 * np.cos(2 * t) - 2 * np.cos(3 * t) - np.cos(4 * t))
    return [np.stack([x * rng.uniform(0.85, 1.15), y], 1) / 16]


def _house(rng) -> Strokes:
    w, h, roof = rng.uniform(0.8, 1.2), rng.uniform(0.7, 1.0), rng.uniform(0.4, 0.7)
    body = _path((0, 0), (0, h), (w, h), (w, 0), (0, 0))
    top = _path((-0.1 * w, 0), (w / 2, -roof), (1.1 * w, 0))
    strokes = [body, top]
    if rng.random() < 0.7:  # a door
        dw = rng.uniform(0.15, 0.25) * w
        x = rng.uniform(0.2, 0.8) * w - dw / 2
        strokes.append(_path((x, h), (x, h * 0.5), (x + dw, h * 0.5), (x + dw, h)))
    if rng.random() < 0.5:  # a window
        s, x = 0.18 * w, rng.choice([0.15, 0.65]) * w
        strokes.append(_path((x, 0.2 * h), (x + s, 0.2 * h), (x + s, 0.2 * h + s), (x, 0.2 * h + s), (x, 0.2 * h)))
    return strokes


def _face(rng, centre=(0.0, 0.0), radius=1.0) -> Strokes:
    cx, cy = centre
    start = rng.uniform(0, 2 * np.pi)
    head = _arc(centre, (radius, radius * rng.uniform(0.9, 1.1)), start, start + 2 * np.pi * rng.uniform(1.0, 1.08))
    eyes = [_dot((cx - 0.35 * radius, cy - 0.3 * radius), rng), _dot((cx + 0.35 * radius, cy - 0.3 * radius), rng)]
    smile = _arc((cx, cy + 0.05 * radius), (0.5 * radius, 0.4 * radius), 0.2 * np.pi, 0.8 * np.pi)
    return [head, *eyes, smile]


def _smiley(rng) -> Strokes:
    return _face(rng)


def _sun(rng) -> Strokes:
    r = rng.uniform(0.35, 0.5)
    start = rng.uniform(0, 2 * np.pi)
    strokes = [_arc((0, 0), (r, r), start, start + 2 * np.pi * 1.04)]
    rays = rng.integers(6, 11)
    for a in rng.uniform(0, 2 * np.pi) + np.arange(rays) * 2 * np.pi / rays:
        inner, outer = r * 1.25, r * 1.25 + rng.uniform(0.3, 0.5)
        strokes.append(_line((inner * np.cos(a), inner * np.sin(a)), (outer * np.cos(a), outer * np.sin(a))))
    return strokes


def _tree(rng) -> Strokes:
    trunk_w, trunk_h = rng.uniform(0.12, 0.22), rng.uniform(0.4, 0.6)
    trunk = [_line((-trunk_w, 0), (-trunk_w, trunk_h)), _line((trunk_w, 0), (trunk_w, trunk_h))]
    if rng.random() < 0.5:  # a fir: a triangle on the trunk
        w, h = rng.uniform(0.5, 0.7), rng.uniform(0.9, 1.3)
        return [_path((-w, 0), (0, -h), (w, 0), (-w, 0)), *trunk]
    bumps = rng.integers(5, 8)  # a round crown of bumps
    centres = [(0.55 * np.cos(a), -0.6 + 0.5 * np.sin(a)) for a in np.linspace(0.65 * np.pi, 2.35 * np.pi, bumps)]
    crown = np.concatenate([_arc(c, (0.3, 0.3), a - np.pi * 0.6, a + np.pi * 0.6)
                            for c, a in zip(centres, np.linspace(0.65 * np.pi, 2.35 * np.pi, bumps))])
    return [crown, *trunk]


def _fish(rng) -> Strokes:
    length, height = rng.uniform(1.0, 1.4), rng.uniform(0.4, 0.6)
    top = _arc((0, height * 0.6), (length / 2, height * 1.2), np.pi * 1.15, np.pi * 1.85)
    bottom = _arc((0, -height * 0.6), (length / 2, height * 1.2), np.pi * 0.85, np.pi * 0.15)
    tail_x = length * 0.42
    tail = _path((tail_x, 0), (tail_x + 0.35, -0.3), (tail_x + 0.35, 0.3), (tail_x, 0))
    return [top, bottom, tail, _dot((-length * 0.25, -height * 0.15), rng)]


def _cloud(rng) -> Strokes:
    bumps = rng.integers(3, 6)
    r = 0.9 / bumps + 0.1
    xs = np.linspace(-0.6, 0.6, bumps)
    upper = np.concatenate([_arc((x, rng.uniform(-0.1, 0.05)), (r, r * rng.uniform(1.1, 1.6)), np.pi, 2 * np.pi)
                            for x in xs])
    base = rng.uniform(0.25, 0.4)
    return [np.concatenate([upper, _path(upper[-1], (0.6 + r, base), (-0.6 - r, base), upper[0])])]


def _spiral(rng) -> Strokes:
    turns = rng.uniform(2.2, 3.5)
    t = np.linspace(0, turns * 2 * np.pi, int(turns * 60))
    r = t / t[-1]
    direction = rng.choice([-1, 1])
    return [np.stack([r * np.cos(direction * t), r * np.sin(direction * t)], 1)]


def _hash(rng) -> Strokes:
    a, b = rng.uniform(0.25, 0.4, 2)
    lean = rng.uniform(-0.15, 0.15)
    return [_line((-1, -a), (1, -a)), _line((-1, b), (1, b)),
            _line((-a + lean, -1), (-a - lean, 1)), _line((b + lean, -1), (b - lean, 1))]


def _scribble(rng) -> Strokes:
    if rng.random() < 0.5:  # a coil drawn across: the pen going round and round
        loops = rng.uniform(5, 10)
        t = np.linspace(0, loops * 2 * np.pi, int(loops * 40))
        r = rng.uniform(0.25, 0.45)
        return [np.stack([np.linspace(-1, 1, len(t)) + r * np.cos(t), r * 1.3 * np.sin(t)], 1)]
    steps = rng.integers(80, 140)
    heading = rng.uniform(0, 2 * np.pi)
    turning = rng.normal(0, 0.6, steps).cumsum() * 0.3 + rng.normal(0, 0.9, steps)
    angles = heading + np.cumsum(turning)
    points = np.cumsum(np.stack([np.cos(angles), np.sin(angles)], 1) * 0.12, 0)
    return [np.concatenate([_line(a, b)[:-1] for a, b in zip(points, points[1:])])]


def _arrow(rng) -> Strokes:
    angle = rng.uniform(0, 2 * np.pi)
    tip = np.array([np.cos(angle), np.sin(angle)])
    head, spread = rng.uniform(0.55, 0.8), rng.uniform(0.55, 0.75)  # a head no one takes for a 1's flag
    wings = [tip - head * np.array([np.cos(angle + s), np.sin(angle + s)]) for s in (spread, -spread)]
    if rng.random() < 0.5:
        return [_line(-tip, tip), _path(wings[0], tip, wings[1])]
    return [_line(-tip, tip), _line(tip, wings[0]), _line(tip, wings[1])]


def _flower(rng) -> Strokes:
    petals = rng.integers(5, 8)
    centre_r = rng.uniform(0.12, 0.2)
    strokes = [_arc((0, -0.5), (centre_r, centre_r), 0, 2 * np.pi)]
    for a in rng.uniform(0, 2 * np.pi) + np.arange(petals) * 2 * np.pi / petals:
        c = (0.38 * np.cos(a), -0.5 + 0.38 * np.sin(a))
        strokes.append(_arc(c, (0.2, 0.2), a + 0.75 * np.pi, a + 2.25 * np.pi))
    strokes.append(_line((0, -0.5 + 0.58), (rng.uniform(-0.1, 0.1), 1.0)))  # the stem
    if rng.random() < 0.6:  # a leaf
        strokes.append(_arc((0.18, 0.55), (0.2, 0.08), np.pi, 3 * np.pi))
    return strokes


def _cat(rng) -> Strokes:
    face = _face(rng)[:-1]  # head and eyes; a cat's mouth and whiskers instead of a smile
    ears = [_path((-0.8, -0.55), (-0.6, -1.3), (-0.25, -0.95)), _path((0.25, -0.95), (0.6, -1.3), (0.8, -0.55))]
    whiskers = [_line((s * 0.2, 0.2 + d), (s * 1.1, 0.1 + 2 * d)) for s in (-1, 1) for d in (-0.05, 0.1)]
    mouth = _path((-0.15, 0.35), (0, 0.25), (0.15, 0.35))
    return [*face, *ears, mouth, *whiskers]


def _zigzag(rng) -> Strokes:
    turns = rng.integers(4, 9)
    xs = np.linspace(-1, 1, turns + 1)
    ys = np.where(np.arange(turns + 1) % 2 == 0, -0.3, 0.3) * rng.uniform(0.6, 1.4)
    return [_path(*zip(xs, ys))]


def _crossed_box(rng) -> Strokes:
    w, h = rng.uniform(0.7, 1.0), rng.uniform(0.7, 1.0)
    box = _path((-w, -h), (w, -h), (w, h), (-w, h), (-w, -h))
    return [box, _line((-w, -h), (w, h)), _line((w, -h), (-w, h))]


KINDS: dict[str, Callable[[np.random.Generator], Strokes]] = {
    "star": _star, "heart": _heart, "house": _house, "smiley": _smiley, "sun": _sun, "tree": _tree,
    "fish": _fish, "cloud": _cloud, "spiral": _spiral, "hash": _hash, "scribble": _scribble, "arrow": _arrow,
    "flower": _flower, "cat": _cat, "zigzag": _zigzag, "crossed_box": _crossed_box,
}


def _wobbled(stroke: np.ndarray, rng: np.random.Generator, size: float) -> np.ndarray:
    """A stroke as a hand draws it: a slow drift of about 1.5% of the doodle's size along its way."""
    if len(stroke) < 3:
        return stroke
    drift = rng.normal(0, 1, (len(stroke), 2)).cumsum(0)
    drift -= np.linspace(0, 1, len(stroke))[:, None] * drift[-1]  # back where the stroke was meant to end
    scale = np.abs(drift).max() or 1.0
    return stroke + drift / scale * 0.015 * size


def doodle(kind: str, rng: np.random.Generator) -> Strokes:
    """One doodle of `kind` (one of KINDS): its strokes, y down, float32, each drawn either way."""
    strokes = KINDS[kind](rng)
    every = np.concatenate(strokes)
    size = float(np.ptp(every, 0).max()) or 1.0
    drawn = []
    for stroke in strokes:
        stroke = _wobbled(np.asarray(stroke, np.float64), rng, size)
        drawn.append((stroke[::-1] if rng.random() < 0.3 else stroke).astype(np.float32))
    return drawn


def doodles(count: int, seed: int) -> tuple[list[Strokes], np.ndarray]:
    """`count` doodles, the kinds in turn, each from its own generator seeded by (seed, i): their
    strokes and each one's kind (an index into KINDS)."""
    names = list(KINDS)
    kinds = np.arange(count) % len(names)
    return [doodle(names[k], np.random.default_rng([seed, i])) for i, k in enumerate(kinds)], kinds
