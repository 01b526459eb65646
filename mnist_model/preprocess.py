"""Turn whatever a person gives (a drawing, an upload, a photo, an MNIST scan) into MNIST's input.

MNIST's digits were made like this: the ink was size-normalised to fit a 20x20 box keeping its
aspect ratio (anti-aliasing gives the grey levels), then placed in a 28x28 field so that its centre
of mass sits at the centre; white digit on black. `to_mnist` repeats exactly those steps:

    ink map  ->  crop to the ink's bounding box  ->  fit the longer side into 20 px  ->  centre of mass

The fit averages areas exactly (each output pixel is the mean of the input it covers, fractions of
pixels weighted by their overlap), and the centring rounds halves up: plain arithmetic that the
page's JavaScript (app_ui/static/preprocess.js) repeats step for step, so the page and Python agree.

The ink map is where inputs differ:
- a picture with a transparent background (the pad's drawings): its alpha channel is the ink;
- any other picture: the background level is estimated from the border, the ink is whatever departs
  from it in the stronger direction (dark on light or light on dark), and uneven lighting in photos
  is flattened against a local background estimate.
"""

import io
import os
import re
import warnings

import numpy as np
from PIL import Image, ImageFilter, ImageOps, UnidentifiedImageError

from .errors import InvalidImageError

PREPROCESS_VERSION = 2  # bump when the output for a given input changes; stored in checkpoints
FIELD = 28  # MNIST's image side
BOX = 20  # the longer side of the digit after size normalisation
CENTRE = (14.0, 14.0)  # where MNIST puts the centre of mass (row, column), pixel-index coordinates
MIN_SIDE, MAX_SIDE = 8, 4000  # accepted picture sides, in pixels
MAX_PIXELS = 4000 * 3000  # accepted picture files: up to a 12-megapixel phone photo
WORKING_SIDE = 1024  # picture files are shrunk to this as they are decoded (a digit still spans 100 px or more)
Image.MAX_IMAGE_PIXELS = MAX_PIXELS  # PIL's own guard against decompression bombs, at the same bound
# the picture files read: photos and pictures as phones, cameras and screenshots make them (JPEG's
# opener takes many cameras' MPO files too). Not every format PIL knows: EPS, for one, would run
# Ghostscript on an upload.
PICTURE_FORMATS = ("PNG", "JPEG", "GIF", "BMP", "WEBP", "AVIF", "TIFF", "ICO")
BLANK_EXTENT = 0.1  # ink spanning less than this share of the picture's longer side is a dot, not a digit
BLANK_MIN_PIXELS = 3  # ... or fewer pixels than this
MIN_CONTRAST = 0.08  # a picture whose ink departs less than this from its background is blank
INK_THRESHOLD = 0.1  # ink level (of 1) that counts when finding the bounding box
_LUMA = np.array([0.299, 0.587, 0.114], dtype=np.float32)


# --- turning an input into an array -----------------------------------------------------------


def _as_array(image) -> np.ndarray:
    """Validate `image` and return it as an H x W or H x W x C array (C in 1..4) of uint8 or float32.

    uint8 arrays are returned as they are (scale 255); everything else as float32 in [0, 1].
    """
    if isinstance(image, Image.Image):
        image = _pil_to_array(image)
    if not isinstance(image, np.ndarray):
        raise InvalidImageError("not_a_picture", type=type(image).__name__)
    if image.ndim == 3 and image.shape[2] == 1:
        image = image[:, :, 0]
    if image.ndim not in (2, 3) or (image.ndim == 3 and image.shape[2] not in (2, 3, 4)):
        raise InvalidImageError("bad_shape", shape=tuple(image.shape))
    height, width = image.shape[:2]
    if min(height, width) < MIN_SIDE:
        raise InvalidImageError("too_small", width=width, height=height, min=MIN_SIDE)
    if max(height, width) > MAX_SIDE:
        raise InvalidImageError("too_large", width=width, height=height, max=MAX_SIDE)
    kind = image.dtype.kind
    if image.dtype == np.uint8:
        return image
    if kind == "b":
        return image.astype(np.float32)
    if kind in "ui":
        top = 65535 if image.dtype == np.uint16 else 255
        low, high = int(image.min()), int(image.max())
        if low < 0 or high > top:
            raise InvalidImageError("int_range", top=top, low=low, high=high)
        return image.astype(np.float32) / top
    if kind == "f":
        image = image.astype(np.float32, copy=False)
        low, high = float(image.min()), float(image.max())
        if not (np.isfinite(low) and np.isfinite(high)):
            raise InvalidImageError("not_finite")
        if low < -1e-3 or high > 1 + 1e-3:
            raise InvalidImageError("float_range", low=f"{low:.3g}", high=f"{high:.3g}")
        return np.clip(image, 0.0, 1.0)
    raise InvalidImageError("pixel_type", dtype=str(image.dtype))


def _pil_to_array(image: Image.Image) -> np.ndarray:
    if image.mode in ("I", "I;16", "I;16B", "I;16L", "F"):
        array = np.asarray(image, dtype=np.float32)
        top = 1.0 if image.mode == "F" else (255.0 if array.max(initial=0) <= 255 else 65535.0)
        return array / top
    has_alpha = image.mode in ("RGBA", "LA", "PA", "La", "RGBa") or "transparency" in image.info
    return np.asarray(image.convert("RGBA" if has_alpha else "L"))


def _scale(array: np.ndarray) -> float:
    return 255.0 if array.dtype == np.uint8 else 1.0


def _border(gray: np.ndarray) -> np.ndarray:
    width = max(1, min(gray.shape) // 50)
    return np.concatenate(
        [gray[:width].ravel(), gray[-width:].ravel(), gray[:, :width].ravel(), gray[:, -width:].ravel()]
    )


def unreadable_picture(exc: Exception) -> InvalidImageError:
    """The error for a file no decoder could read: one that is no picture is told so in words (not by
    the decoder's class name, UnidentifiedImageError); otherwise what the decoder said."""
    if isinstance(exc, UnidentifiedImageError):
        return InvalidImageError("not_an_image_file", formats=", ".join(PICTURE_FORMATS))
    return InvalidImageError("unreadable", reason=type(exc).__name__)


def open_picture(source) -> Image.Image:
    """Open an image file (a path, or the file's bytes) and check its size from its header alone,
    before anything is decoded: over MAX_SIDE or MAX_PIXELS it is refused, costing no memory."""
    if isinstance(source, (bytes, bytearray)):
        source = io.BytesIO(source)
    elif not isinstance(source, (str, os.PathLike)):
        raise InvalidImageError("not_a_path", type=type(source).__name__)
    try:
        if (source.getbuffer().nbytes if isinstance(source, io.BytesIO) else os.path.getsize(source)) == 0:
            raise InvalidImageError("empty_file")
    except OSError as exc:  # (no such file, or none that can be read: named as the decoder would name it)
        raise unreadable_picture(exc) from None
    try:
        with warnings.catch_warnings():  # PIL warns of what the size check below refuses anyway
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            image = Image.open(source, formats=PICTURE_FORMATS)
        width, height = image.size
    except Image.DecompressionBombError as exc:  # PIL's own guard, from the header too: far over MAX_PIXELS
        pixels = re.search(r"\((\d+) pixels\)", str(exc))
        raise InvalidImageError("too_many_pixels_count", mp=f"{int(pixels[1]) / 1e6:.0f}" if pixels else "?",
                                max=f"{MAX_PIXELS / 1e6:.0f}") from None
    except (OSError, ValueError) as exc:
        raise unreadable_picture(exc) from None
    if max(width, height) > MAX_SIDE:
        raise InvalidImageError("too_large", width=width, height=height, max=MAX_SIDE)
    if width * height > MAX_PIXELS:
        raise InvalidImageError("too_many_pixels", width=width, height=height,
                                mp=f"{width * height / 1e6:.0f}", max=f"{MAX_PIXELS / 1e6:.0f}")
    return image


def load_picture(source) -> Image.Image:
    """An image file (a path, or its bytes) decoded for `to_mnist`: refused by its header if too big
    (open_picture), only its first frame decoded, and shrunk to WORKING_SIDE while decoding when larger
    (JPEGs decode at a fraction of their size), so that no upload costs more than a few megabytes;
    turned the right way up by its EXIF orientation."""
    image = open_picture(source)
    if max(image.size) > WORKING_SIDE:
        image.draft(image.mode, (WORKING_SIDE, WORKING_SIDE))
    try:
        image.load()
    except (OSError, ValueError, Image.DecompressionBombError) as exc:
        raise InvalidImageError("damaged", reason=type(exc).__name__) from None
    if max(image.size) > WORKING_SIDE:
        image.thumbnail((WORKING_SIDE, WORKING_SIDE), Image.BOX)
    return ImageOps.exif_transpose(image)  # a phone photo, the right way up


# --- the ink map ------------------------------------------------------------------------------


def _ink_from_picture(image: np.ndarray) -> np.ndarray:
    """Ink map of one picture: H x W, uint8 (of 255) or float32 (of 1), higher = more ink."""
    if image.ndim == 3 and image.shape[2] in (2, 4):
        alpha = image[:, :, -1]
        if np.median(_border(alpha)) < 0.5 * _scale(image):  # transparent background: alpha is ink
            return alpha
        image = image[:, :, :-1]
    if image.ndim == 3 and image.shape[2] == 1:
        image = image[:, :, 0]
    if image.ndim == 3:
        gray = image.astype(np.float32) @ _LUMA
    else:
        gray = image.astype(np.float32, copy=False)
    return _ink_from_gray(gray / _scale(image))


def _ink_from_gray(gray: np.ndarray) -> np.ndarray:
    """Ink map of a grey picture in [0, 1], either polarity, flattening uneven lighting."""
    border = _border(gray)
    background = float(np.median(border))
    # pixel noise from neighbour differences along the border: blind to smooth lighting gradients
    noise = 1.4826 * float(np.median(np.abs(np.diff(border)))) / np.sqrt(2)
    dark_ink = background - float(gray.min()) >= float(gray.max()) - background
    ink = (background - gray) if dark_ink else (gray - background)
    if np.percentile(border, 95) - np.percentile(border, 5) > 0.05:  # uneven lighting, as in photos
        ink = ink - _local_background(ink)
    extent = float(ink.max())
    if extent < max(MIN_CONTRAST, 10.0 * noise):  # nothing stands out of the background and its noise
        return np.zeros_like(gray)
    margin = min(4.0 * noise, 0.5 * extent)
    return np.clip((ink - margin) / (extent - margin), 0.0, 1.0)


def _local_background(ink: np.ndarray) -> np.ndarray:
    """A smooth estimate of the paper's own level: the local minimum of the ink map, blurred."""
    height, width = ink.shape
    step = max(1, max(height, width) // 64)
    small = Image.fromarray(ink[::step, ::step].astype(np.float32), mode="F").filter(ImageFilter.MinFilter(7))
    low = np.pad(np.asarray(small), 3, mode="edge")
    k = 7  # a k x k mean over the local minima, so the estimate has no steps
    sums = np.cumsum(np.cumsum(np.pad(low, ((1, 0), (1, 0))), 0), 1)
    smooth = (sums[k:, k:] - sums[:-k, k:] - sums[k:, :-k] + sums[:-k, :-k]) / (k * k)
    return np.asarray(Image.fromarray(smooth.astype(np.float32), mode="F").resize((width, height), Image.BILINEAR))


def ink_map(image) -> np.ndarray:
    """The ink of any accepted picture as an H x W array (uint8 of 255, or float32 of 1)."""
    return _ink_from_picture(_as_array(image))


# --- size normalisation and centring ----------------------------------------------------------


def to_mnist(image) -> np.ndarray | None:
    """The 28x28 float32 image in [0, 1] (white digit on black) MNIST would have made of `image`.

    Returns None when there is no digit (blank or near-blank input). Raises InvalidImageError
    (a ValueError) for anything that is not a usable picture.
    """
    return from_ink(ink_map(image))


def from_ink(ink: np.ndarray) -> np.ndarray | None:
    """MNIST's 28x28 digit from an ink map (uint8 of 255, or float32 of 1); None if it holds no digit."""
    scale = _scale(ink)
    mask = ink > INK_THRESHOLD * scale
    rows = np.flatnonzero(mask.any(axis=1))
    cols = np.flatnonzero(mask.any(axis=0))
    if rows.size == 0:
        return None
    top, bottom, left, right = rows[0], rows[-1] + 1, cols[0], cols[-1] + 1
    extent = max(bottom - top, right - left)
    if extent < max(BLANK_MIN_PIXELS, BLANK_EXTENT * max(ink.shape)):
        return None
    crop = ink[top:bottom, left:right].astype(np.float32)
    if scale != 1.0:
        crop /= scale
    return _centre(_fit(crop))


def _round(value: float) -> int:
    """Halves up, as JavaScript's Math.round does (Python's round() rounds halves to even)."""
    return int(np.floor(value + 0.5))


def area_weights(size_in: int, size_out: int) -> np.ndarray:
    """(size_out, size_in) weights that average each output pixel's footprint on the input, pixels
    counted by the share of them that the footprint covers."""
    edges = np.arange(size_out + 1, dtype=np.float64) * (size_in / size_out)
    left = np.arange(size_in, dtype=np.float64)
    overlap = np.minimum(edges[1:, None], left + 1) - np.maximum(edges[:-1, None], left)
    return (np.clip(overlap, 0.0, None) * (size_out / size_in)).astype(np.float32)


def _fit(crop: np.ndarray) -> np.ndarray:
    """Scale so the longer side is BOX pixels, keeping the aspect ratio, averaging areas."""
    height, width = crop.shape
    factor = BOX / max(height, width)
    out_w, out_h = max(1, _round(width * factor)), max(1, _round(height * factor))
    if (out_w, out_h) == (width, height):
        return crop
    resized = area_weights(height, out_h) @ crop @ area_weights(width, out_w).T
    return np.clip(resized, 0.0, 1.0)


def _centre(digit: np.ndarray) -> np.ndarray:
    """Place `digit` in a 28x28 field with its centre of mass at CENTRE (whole-pixel shift)."""
    height, width = digit.shape
    mass = float(digit.sum())
    if mass <= 0:
        com_y, com_x = (height - 1) / 2, (width - 1) / 2
    else:
        com_y = float(digit.sum(axis=1) @ np.arange(height, dtype=np.float32)) / mass
        com_x = float(digit.sum(axis=0) @ np.arange(width, dtype=np.float32)) / mass
    top = int(np.clip(_round(CENTRE[0] - com_y), 0, FIELD - height))
    left = int(np.clip(_round(CENTRE[1] - com_x), 0, FIELD - width))
    field = np.zeros((FIELD, FIELD), dtype=np.float32)
    field[top : top + height, left : left + width] = digit
    return field
