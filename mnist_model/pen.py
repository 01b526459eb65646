"""The drawing pad's pen: the constants the page's pad and Python share, and strokes drawn as it draws them.

The pad (app_ui/static/pad.js) is a PAD_SIZE x PAD_SIZE canvas whose ink is round-capped, round-
joined lines of radius BRUSH_RADIUS. The app hands these numbers to the page, so there is one copy
of them; `draw` renders strokes the same way in Python, for the pen-written training digits
(drawn.py) and for tests.
"""

from collections.abc import Sequence

import numpy as np
from PIL import Image, ImageDraw

PAD_SIZE = 280  # px, the pad canvas's side (its pixels, whatever size it is shown at)
BRUSH_RADIUS = 12  # px: a digit drawn across most of the pad ends with MNIST-like 2-3 px strokes
SUPERSAMPLE = 2  # pixels drawn per output pixel and axis, averaged: antialiased edges like a canvas's


def draw(strokes: Sequence[np.ndarray], height: int, width: int, radius: float = BRUSH_RADIUS) -> np.ndarray:
    """Ink of `strokes` ((n, 2) arrays of x, y pixel coordinates, y down) on a height x width pad,
    as uint8 coverage (255 = fully inked): round pen of `radius`, antialiased edges."""
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
