"""The drawing pad's pen: the constants the page's pad and Python share, and strokes drawn as it draws them.

The pad (app_ui/static/pad.js) is a PAD_SIZE x PAD_SIZE canvas. It shows strokes with a round pen of
BRUSH_RADIUS, but the picture the network is given is inked again with a pen fitted to the digit's
size (`fitted_radius`): MNIST's strokes are 2-3 px of a 20 px digit whatever size it was written at,
so a digit drawn small must not become a blob of ink, nor a large one a hairline. The app hands these
numbers to the page (ink.js repeats `fitted_radius`), so there is one copy of them; `draw` renders
strokes the same way in Python, for the pen-written training digits (pen_digits.py) and for tests.
"""

from collections.abc import Sequence

import numpy as np
from PIL import Image, ImageDraw

PAD_SIZE = 280  # px, the pad canvas's side (its pixels, whatever size it is shown at)
BRUSH_RADIUS = 12  # px: the pen the pad shows; MNIST-like strokes on a digit drawn across 70% of the pad
PEN_SHARE = BRUSH_RADIUS / (0.7 * PAD_SIZE)  # the fitted pen's radius per pixel of the digit's longer side
MIN_RADIUS = 1.0  # px: the fitted pen is never thinner
SUPERSAMPLE = 2  # pixels drawn per output pixel and axis, averaged: antialiased edges like a canvas's


def fitted_radius(strokes: Sequence[np.ndarray]) -> float:
    """The radius of a pen fitted to a digit: PEN_SHARE of its strokes' longer side (their centre
    lines' bounding box), at least MIN_RADIUS."""
    points = np.concatenate([np.asarray(s, np.float64).reshape(-1, 2) for s in strokes])
    return max(MIN_RADIUS, PEN_SHARE * float(np.ptp(points, axis=0).max()))


def draw(strokes: Sequence[np.ndarray], height: int, width: int, radius: float | None = None) -> np.ndarray:
    """Ink of `strokes` ((n, 2) arrays of x, y pixel coordinates, y down) on a height x width pad,
    as uint8 coverage (255 = fully inked): a round pen of `radius` (default: fitted to the digit),
    antialiased edges."""
    radius = fitted_radius(strokes) if radius is None else radius
    s = SUPERSAMPLE
    picture = Image.new("L", (width * s, height * s), 0)
    pen = ImageDraw.Draw(picture)
    r = radius * s
    for stroke in strokes:
        points = [tuple(p) for p in (np.asarray(stroke, np.float64) * s).tolist()]
        if len(points) > 1:
            pen.line(points, fill=255, width=max(1, round(2 * r)))
        for x, y in points:  # round caps and joins (PIL's own joint="curve" is slow Python)
            pen.ellipse((x - r, y - r, x + r, y + r), fill=255)
    return np.asarray(picture.reduce(s))
