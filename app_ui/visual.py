"""Pictures of what the network computes: colour maps and layouts as plain uint8 arrays.

No plotting library: each function maps numbers to RGB pixels with numpy, so the app can show
weights, activations and saliency maps crisply at any size.
"""

import math

import numpy as np

# the heat map's colour stops, black (off) to pale yellow (most active); the page's views use them too
HEAT_PALETTE = np.array([[0, 0, 0], [40, 10, 90], [150, 30, 110], [235, 90, 40], [255, 200, 60], [255, 255, 220]], np.float32)


def enlarge(image: np.ndarray, scale: int) -> np.ndarray:
    """Nearest-neighbour enlargement: each pixel becomes a scale x scale block."""
    return image.repeat(scale, 0).repeat(scale, 1)


def gray(values: np.ndarray) -> np.ndarray:
    """Values in [0, 1] as grey RGB pixels."""
    g = (np.clip(values, 0, 1) * 255).round().astype(np.uint8)
    return np.stack([g, g, g], -1)


def diverging(values: np.ndarray, limit: float | None = None) -> np.ndarray:
    """Negative values blue, zero white, positive red, scaled so +-limit is full colour."""
    limit = limit or float(np.abs(values).max()) or 1.0
    v = np.clip(values / limit, -1, 1)[..., None]
    white = np.full(3, 255.0, np.float32)
    red, blue = np.array([200, 30, 40], np.float32), np.array([30, 80, 200], np.float32)
    rgb = np.where(v >= 0, white + v * (red - white), white - v * (blue - white))
    return rgb.round().astype(np.uint8)


def heat(values: np.ndarray, top: float | None = None) -> np.ndarray:
    """Non-negative values as a black-purple-orange-yellow heat map; exact zeros stay black."""
    top = top or float(values.max()) or 1.0
    position = np.clip(values / top, 0, 1) * (len(HEAT_PALETTE) - 1)
    low = np.floor(position).astype(int).clip(0, len(HEAT_PALETTE) - 2)
    frac = (position - low)[..., None]
    rgb = HEAT_PALETTE[low] * (1 - frac) + HEAT_PALETTE[low + 1] * frac
    rgb[values <= 0] = 0
    return rgb.round().astype(np.uint8)


def as_grid(values: np.ndarray) -> np.ndarray:
    """A layer's units (n,) laid out as a near-square grid; cells past the last unit are NaN."""
    n = len(values)
    cols = math.ceil(math.sqrt(n))
    rows = math.ceil(n / cols)
    grid = np.full(rows * cols, np.nan, np.float32)
    grid[:n] = values
    return grid.reshape(rows, cols)


def saliency_overlay(digit: np.ndarray, saliency: np.ndarray) -> np.ndarray:
    """The input in dim grey with the saliency on top: red pixels raised the answer, blue lowered it."""
    base = gray(digit * 0.45).astype(np.float32)
    limit = float(np.abs(saliency).max()) or 1.0
    strength = np.clip(np.abs(saliency) / limit, 0, 1)[..., None]
    colour = np.where(saliency[..., None] >= 0, [255, 60, 40], [60, 120, 255]).astype(np.float32)
    return (base * (1 - strength) + colour * strength).round().astype(np.uint8)
