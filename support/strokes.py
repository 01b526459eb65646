"""Hand-drawn-style digits as pen strokes, shared by the unit, client and browser tests.

Each digit is a list of strokes; each stroke a list of (x, y) points in a unit box (x right, y down).
`pad_png` draws them as the app's pad would hand them to Python (a PNG, transparent but for black
ink drawn with the pen fitted to the digit), `drawing` as pictures of any canvas, pen and
background; the browser tests replay the same strokes with the mouse, a finger or a pen.
"""

import base64
import io
import math
from dataclasses import dataclass

import numpy as np
from PIL import Image, ImageFilter

from mnist_model.pen import PAD_SIZE, draw


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


def place(digit, canvas: int, size: float, centre: tuple[float, float]) -> list[list[tuple[float, float]]]:
    """The digit's strokes (DIGITS[digit], or strokes of one's own in the unit square) in canvas
    pixels: `size` is its height in pixels, `centre` its middle."""
    cx, cy = centre
    shape = DIGITS[digit] if isinstance(digit, int) else digit
    return [[(cx + (x - 0.5) * size * 0.7, cy + (y - 0.5) * size) for x, y in stroke] for stroke in shape]


def ink_layer(strokes, canvas: int, radius: float | None = None) -> np.ndarray:
    """An RGBA layer, transparent but for black ink drawn with a round pen (mnist_model.pen's; of
    `radius`, or fitted to the digit as the pad inks it)."""
    layer = np.zeros((canvas, canvas, 4), np.uint8)
    layer[:, :, 3] = draw([np.asarray(s, np.float64) for s in strokes], canvas, canvas, radius)
    return layer


def pad_png(digit: int, size: float = PAD_SIZE * 0.7, centre=None) -> bytes:
    """The PNG the pad hands to Python for `digit` drawn `size` px tall (at `centre`) on the pad."""
    centre = centre if centre is not None else (PAD_SIZE / 2, PAD_SIZE / 2)
    out = io.BytesIO()
    Image.fromarray(ink_layer(place(digit, PAD_SIZE, size, centre), PAD_SIZE)).save(out, format="PNG")
    return out.getvalue()


def doodle_png(kind: str, index: int = 0) -> bytes:
    """The PNG the pad hands to Python for a doodle (mnist_model.doodles: "heart", "house", ...) of the
    held-out seed, 60 % of the pad tall, in its middle."""
    from mnist_model import doodles, not_digits
    from mnist_model.pen_digits import on_pad

    placed = on_pad(doodles.doodle(kind, np.random.default_rng([not_digits.HELD_OUT_SEED, index])), PAD_SIZE * 0.6,
                    0.0, (0, 0))
    corner = (PAD_SIZE - np.concatenate(placed).max(0)) / 2
    out = io.BytesIO()
    Image.fromarray(ink_layer([p + corner for p in placed], PAD_SIZE)).save(out, format="PNG")
    return out.getvalue()


def data_url(png: bytes) -> str:
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")


@dataclass
class Drawing:
    layer: np.ndarray  # RGBA, transparent but for the black ink
    composite: np.ndarray  # RGBA, opaque: the ink on the background

    @property
    def gray(self) -> np.ndarray:
        return self.composite[:, :, 0]


def drawing(digit, canvas: int = 280, size: float | None = None, centre=None, radius: float | None = None,
            background=LIGHT_BACKGROUND) -> Drawing:
    """`digit` drawn on a canvas: `size` px tall (default 70% of it) around `centre`, with a pen of
    `radius` (default: fitted to the digit, as the pad inks it), on `background`."""
    size = size if size is not None else canvas * 0.7
    centre = centre if centre is not None else (canvas / 2, canvas / 2)
    layer = ink_layer(place(digit, canvas, size, centre), canvas, radius)
    back = np.empty((canvas, canvas, 4), np.uint8)
    back[:] = (*background, 255)
    alpha = layer[:, :, 3:4].astype(np.float32) / 255
    composite = back.copy()
    composite[:, :, :3] = (back[:, :, :3] * (1 - alpha) + layer[:, :, :3] * alpha).astype(np.uint8)
    return Drawing(layer, composite)


def render_mnist_like(digit: int, rng: np.random.Generator, canvas: int = 84) -> np.ndarray:
    """A jittered drawing of `digit` as a grey picture (black ink on white), for generated data sets."""
    size = canvas * rng.uniform(0.5, 0.8)
    centre = tuple(canvas / 2 + rng.uniform(-0.1, 0.1, 2) * canvas)
    strokes = [[(x + rng.normal(0, 0.6), y + rng.normal(0, 0.6)) for x, y in s] for s in place(digit, canvas, size, centre)]
    radius = int(rng.integers(2, 5))
    return 255 - ink_layer(strokes, canvas, radius)[:, :, 3]


def photo(digit_ink: np.ndarray, seed: int = 0) -> np.ndarray:
    """A 'photo' of a dark digit on unevenly lit, tinted, noisy paper, slightly out of focus."""
    rng = np.random.default_rng(seed)
    h, w = digit_ink.shape
    yy, xx = np.mgrid[0:h, 0:w] / max(h, w)
    light = 0.5 + 0.35 * xx + 0.15 * yy
    paper = light * (1 - 0.8 * digit_ink / 255)
    rgb = paper[:, :, None] * np.array([1.0, 0.95, 0.85]) + rng.normal(0, 0.02, (h, w, 3))
    image = Image.fromarray((np.clip(rgb, 0, 1) * 255).astype(np.uint8)).filter(ImageFilter.GaussianBlur(1.5))
    return np.asarray(image)


def given_input(kind: int) -> np.ndarray:
    """A network's 28 x 28 input for the forward-pass parity tests: a drawing of a 3 (kind 0), random
    pixels (1) or a blank (2)."""
    from mnist_model.preprocess import to_mnist

    if kind == 0:
        return to_mnist(drawing(3).layer)
    if kind == 1:
        return np.random.default_rng(0).random((28, 28)).astype(np.float32)
    return np.zeros((28, 28), np.float32)
