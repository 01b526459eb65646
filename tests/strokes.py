"""Hand-drawn-style digits as pen strokes, shared by the unit, client and browser tests.

Each digit is a list of strokes; each stroke a list of (x, y) points in a unit box (x right, y down).
`render_sketch` turns them into the value a Gradio Sketchpad sends; the browser test replays the
same strokes with the mouse.
"""

import math

import numpy as np
from PIL import Image, ImageDraw


def _arc(cx, cy, rx, ry, start, end, n=24):
    """Points on an ellipse from angle `start` to `end` in degrees (0 = right, 90 = down)."""
    return [
        (cx + rx * math.cos(math.radians(a)), cy + ry * math.sin(math.radians(a)))
        for a in np.linspace(start, end, n)
    ]


DIGITS: dict[int, list[list[tuple[float, float]]]] = {
    0: [_arc(0.5, 0.5, 0.33, 0.45, -90, 270, 40)],
    1: [[(0.52, 0.05), (0.5, 0.5), (0.48, 0.95)]],
    2: [_arc(0.5, 0.3, 0.32, 0.25, 190, 360, 16) + [(0.78, 0.42), (0.15, 0.95), (0.88, 0.95)]],
    3: [_arc(0.48, 0.27, 0.3, 0.22, 200, 450, 20) + _arc(0.48, 0.72, 0.34, 0.23, -90, 160, 20)],
    4: [[(0.62, 0.95), (0.62, 0.05), (0.1, 0.68), (0.9, 0.68)]],
    5: [[(0.82, 0.05), (0.3, 0.05), (0.25, 0.45)] + _arc(0.48, 0.67, 0.32, 0.28, -120, 150, 22)],
    6: [[(0.72, 0.05), (0.4, 0.3)] + _arc(0.5, 0.7, 0.3, 0.25, 180, 540, 30)],
    7: [[(0.1, 0.05), (0.9, 0.05), (0.42, 0.95)]],
    8: [_arc(0.5, 0.27, 0.26, 0.22, 90, 450, 26) + _arc(0.5, 0.72, 0.32, 0.23, -90, 270, 30)],
    9: [_arc(0.48, 0.3, 0.3, 0.25, 0, 360, 30) + [(0.78, 0.3), (0.72, 0.95)]],
}

LIGHT_BACKGROUND = (255, 255, 255)
DARK_BACKGROUND = (0x33, 0x33, 0x33)


def place(digit: int, canvas: int, size: float, centre: tuple[float, float]) -> list[list[tuple[float, float]]]:
    """The digit's strokes in canvas pixels: `size` is its height in pixels, `centre` its middle."""
    cx, cy = centre
    return [[(cx + (x - 0.5) * size * 0.7, cy + (y - 0.5) * size) for x, y in stroke] for stroke in DIGITS[digit]]


def ink_layer(strokes, canvas: int, radius: int) -> np.ndarray:
    """An RGBA layer, transparent but for pure black ink: what Gradio 6's Sketchpad draws."""
    layer = Image.new("RGBA", (canvas, canvas), (0, 0, 0, 0))
    pen = ImageDraw.Draw(layer)
    for stroke in strokes:
        pen.line(stroke, fill=(0, 0, 0, 255), width=2 * radius, joint="curve")
        for x, y in (stroke[0], stroke[-1]):
            pen.ellipse((x - radius, y - radius, x + radius, y + radius), fill=(0, 0, 0, 255))
    return np.asarray(layer)


def render_sketch(digit: int, canvas: int = 280, size: float | None = None, centre=None, radius: int | None = None,
                  background=LIGHT_BACKGROUND) -> dict:
    """A Sketchpad value (background, layers, composite as RGBA arrays) with `digit` drawn on it."""
    size = size if size is not None else canvas * 0.7
    centre = centre if centre is not None else (canvas / 2, canvas / 2)
    radius = radius if radius is not None else max(1, round(size / 25))
    layer = ink_layer(place(digit, canvas, size, centre), canvas, radius)
    back = np.empty((canvas, canvas, 4), np.uint8)
    back[:] = (*background, 255)
    alpha = layer[:, :, 3:4].astype(np.float32) / 255
    composite = back.copy()
    composite[:, :, :3] = (back[:, :, :3] * (1 - alpha) + layer[:, :, :3] * alpha).astype(np.uint8)
    return {"background": back, "layers": [layer], "composite": composite}


def render_mnist_like(digit: int, rng: np.random.Generator, canvas: int = 84) -> np.ndarray:
    """A jittered drawing of `digit` as a grey picture (black ink on white), for generated data sets."""
    size = canvas * rng.uniform(0.5, 0.8)
    centre = tuple(canvas / 2 + rng.uniform(-0.1, 0.1, 2) * canvas)
    strokes = [[(x + rng.normal(0, 0.6), y + rng.normal(0, 0.6)) for x, y in s] for s in place(digit, canvas, size, centre)]
    radius = int(rng.integers(2, 5))
    return 255 - ink_layer(strokes, canvas, radius)[:, :, 3]
