"""Preprocessing: every input form, blank and invalid inputs, MNIST fidelity, invariances."""

import numpy as np
import pytest
from PIL import Image

from mnist_model import InvalidImageError
from mnist_model.preprocess import MAX_SIDE, load_picture, to_mnist
from support.strokes import DARK_BACKGROUND, drawing, photo


def com(image: np.ndarray) -> tuple[float, float]:
    ys, xs = np.indices(image.shape)
    return float((ys * image).sum() / image.sum()), float((xs * image).sum() / image.sum())


def bbox_side(image: np.ndarray) -> int:
    rows, cols = np.flatnonzero((image > 0.1).any(1)), np.flatnonzero((image > 0.1).any(0))
    return max(rows[-1] - rows[0] + 1, cols[-1] - cols[0] + 1)


def correlation(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.corrcoef(a.ravel(), b.ravel())[0, 1])


SEVEN = drawing(7, 280)
SEVEN_INK = SEVEN.layer[:, :, 3]  # 255 where the pen went
SEVEN_GRAY = SEVEN.gray  # black ink on white


def rgba_on_transparent(ink: np.ndarray) -> np.ndarray:
    out = np.zeros((*ink.shape, 4), np.uint8)
    out[:, :, 3] = ink
    return out


INPUT_FORMS = [
    pytest.param(SEVEN.layer, id="pad-drawing"),
    pytest.param(drawing(7, 280, background=DARK_BACKGROUND).composite, id="drawing-on-dark-grey"),
    pytest.param(Image.fromarray(SEVEN.layer), id="pad-drawing-pil"),
    pytest.param(SEVEN_GRAY, id="gray-dark-on-light"),
    pytest.param(255 - SEVEN_GRAY, id="gray-light-on-dark"),
    pytest.param(SEVEN.composite[:, :, :3], id="rgb"),
    pytest.param(rgba_on_transparent(SEVEN_INK), id="rgba-transparent-background"),
    pytest.param(SEVEN.composite, id="rgba-opaque"),
    pytest.param(SEVEN_GRAY.astype(np.float32) / 255, id="float-unit-range"),
    pytest.param(SEVEN_GRAY.astype(np.float64)[:, :, None] / 255, id="float64-hxwx1"),
    pytest.param(SEVEN_GRAY < 128, id="bool"),
    pytest.param(SEVEN_GRAY.astype(np.uint16) * 257, id="uint16"),
    pytest.param(Image.fromarray(SEVEN_GRAY), id="pil-L"),
    pytest.param(Image.fromarray(SEVEN_GRAY).convert("1"), id="pil-1"),
    pytest.param(Image.fromarray(SEVEN.composite[:, :, :3]).convert("P"), id="pil-P"),
    pytest.param(Image.fromarray(SEVEN_GRAY).convert("LA"), id="pil-LA"),
    pytest.param(Image.fromarray(SEVEN_GRAY.astype(np.float32) / 255, mode="F"), id="pil-F"),
    pytest.param(Image.fromarray(SEVEN_GRAY.astype(np.uint16) * 257), id="pil-I16"),
    pytest.param(Image.fromarray(rgba_on_transparent(SEVEN_INK)), id="pil-RGBA"),
    pytest.param(photo(SEVEN_INK), id="photo"),
    pytest.param(255 - drawing(7, 28, size=20, radius=1).gray, id="28px-white-on-black"),
    pytest.param(drawing(7, 4000, size=3000, radius=110).layer, id="4000px-canvas"),
]


@pytest.mark.parametrize("image", INPUT_FORMS)
def test_every_input_form_gives_the_same_digit(image, shipped):
    out = to_mnist(image)
    assert out is not None and out.shape == (28, 28)
    assert correlation(out, to_mnist(SEVEN.layer)) > 0.75
    assert shipped.probabilities(out).argmax() == 7


def test_output_is_28x28_float32_in_unit_range_white_on_black():
    out = to_mnist(drawing(3).layer)
    assert out.shape == (28, 28) and out.dtype == np.float32
    assert 0.0 <= out.min() and out.max() <= 1.0
    assert out[0].max() == 0 and out[:, 0].max() == 0  # black background
    assert out.max() > 0.9  # white ink


def test_digit_is_fitted_into_a_20px_box_and_centred_by_mass():
    out = to_mnist(drawing(0, 400, size=100, centre=(300, 120)).layer)
    assert bbox_side(out) == 20
    cy, cx = com(out)
    assert abs(cy - 14) <= 0.5 and abs(cx - 14) <= 0.5


def test_an_mnist_style_image_passes_through_unchanged(tiny_mnist):
    """Already size-normalised and centred: only faint edge pixels (below the ink threshold) may be
    dropped, which can make the box 19 px and stretch it back to 20 (an edge pixel then moves by up
    to a seventh of the ink's step), and a centre of mass right between two pixels may round to a
    one-pixel shift."""
    from mnist_model.data import read_split

    images, _ = read_split(tiny_mnist, train=False)
    for scan in images.numpy():
        scan = scan / 255
        out = to_mnist(scan.astype(np.float32))
        best = min(np.abs(np.roll(out, (dy, dx), (0, 1)) - scan).max() for dy in (-1, 0, 1) for dx in (-1, 0, 1))
        assert best <= 0.15


def test_photo_shading_is_not_taken_for_ink():
    out = to_mnist(photo(SEVEN_INK))
    corners = [out[:3, :3], out[:3, -3:], out[-3:, :3], out[-3:, -3:]]
    assert max(c.max() for c in corners) == 0


@pytest.mark.parametrize("digit", range(10))
@pytest.mark.parametrize(
    "canvas, size, centre",
    [
        pytest.param(280, 200, None, id="centred-large"),
        pytest.param(280, 70, (60, 60), id="small-top-left"),
        pytest.param(400, 120, (330, 320), id="small-bottom-right"),
        pytest.param(800, 600, (400, 400), id="800px-canvas"),
        pytest.param(112, 90, (56, 56), id="112px-canvas"),
    ],
)
def test_the_same_digit_at_any_place_and_size_gets_the_same_answer(digit, canvas, size, centre, shipped):
    picture = drawing(digit, canvas, size=size, centre=centre).composite
    assert shipped.predict_proba(picture).argmax() == digit


BLANKS = [
    pytest.param(np.zeros((280, 280, 4), np.uint8), id="empty-pad"),
    pytest.param(np.full((280, 280), 255, np.uint8), id="white"),
    pytest.param(np.zeros((280, 280), np.uint8), id="black"),
    pytest.param(np.full((100, 100, 3), 0x33, np.uint8), id="dark-grey"),
    pytest.param(np.clip(np.random.default_rng(0).normal(200, 3, (300, 300)), 0, 255).astype(np.uint8), id="blank-paper-photo"),
    pytest.param(drawing(1, 800, size=12, radius=3).composite, id="a-dot"),
    pytest.param(drawing(1, 280, size=1, radius=12).layer, id="a-tap-of-the-pads-brush"),
    pytest.param(np.zeros((50, 50, 4), np.uint8), id="fully-transparent"),
]


@pytest.mark.parametrize("image", BLANKS)
def test_blank_or_near_blank_input_gives_none(image, shipped):
    assert to_mnist(image) is None
    assert shipped.predict_proba(image) is None


INVALID = [
    pytest.param(None, "got NoneType", id="none"),
    pytest.param("digit.png", "got str", id="string"),
    pytest.param([[0, 1], [1, 0]], "got list", id="list"),
    pytest.param(np.zeros((0, 0), np.uint8), "at least 8 px", id="empty"),
    pytest.param(np.zeros((1, 1), np.uint8), "at least 8 px", id="one-pixel"),
    pytest.param(np.zeros(784, np.uint8), "got shape (784,)", id="1-d"),
    pytest.param(np.zeros((2, 28, 28, 1), np.uint8), "got shape (2, 28, 28, 1)", id="4-d"),
    pytest.param(np.zeros((28, 28, 5), np.uint8), "got shape (28, 28, 5)", id="five-channels"),
    pytest.param(np.full((28, 28), np.nan, np.float32), "NaN", id="nan"),
    pytest.param(np.full((28, 28), np.inf), "NaN or infinite", id="inf"),
    pytest.param(np.full((28, 28), 255.0), "must lie in [0, 1]", id="float-0-255"),
    pytest.param(np.full((28, 28), -3, np.int32), "0..255, got -3..-3", id="negative-int"),
    pytest.param(np.zeros((28, 28), np.complex64), "unsupported pixel type complex64", id="complex"),
    pytest.param(np.zeros((28, 28), object), "unsupported pixel type object", id="object"),
    pytest.param(np.zeros((MAX_SIDE + 1, 10), np.uint8), "largest accepted side is 4000", id="too-tall"),
    pytest.param({"layers": []}, "must be a picture file, a numpy array or a PIL image, got dict", id="a-sketchpad-value"),
]


@pytest.mark.parametrize("image, message", INVALID)
def test_invalid_input_raises_value_error_with_an_actionable_message(image, message):
    with pytest.raises(InvalidImageError) as info:
        to_mnist(image)
    assert message in str(info.value)
    assert isinstance(info.value, ValueError)
    assert "\n" not in str(info.value)


def test_random_garbage_never_raises_anything_but_value_error():
    rng = np.random.default_rng(1)
    dtypes = [np.uint8, np.int16, np.uint16, np.int64, np.float32, np.float64, bool]
    for _ in range(300):
        ndim = int(rng.integers(0, 5))
        shape = tuple(int(s) for s in rng.integers(0, 40, ndim))
        dtype = dtypes[int(rng.integers(len(dtypes)))]
        array = (rng.normal(0.5, 1.0, shape) * rng.choice([1, 255, 70000])).astype(dtype)
        try:
            out = to_mnist(array)
        except ValueError:
            continue
        assert out is None or (out.shape == (28, 28) and np.isfinite(out).all())


def test_a_picture_file_is_read_for_preprocessing(tmp_path, shipped):
    path = tmp_path / "photo.jpg"
    Image.fromarray(photo(SEVEN_INK)).save(path, quality=85)
    assert shipped.predict_proba(load_picture(path)).argmax() == 7


def _truncated_png(path):
    Image.fromarray(SEVEN_GRAY).save(path)
    path.write_bytes(path.read_bytes()[:400])


BAD_PICTURES = [
    pytest.param(lambda p: p.write_bytes(b"this is not an image"),
                 r"^this file is not a picture this app reads \(PNG, JPEG, GIF, BMP, WEBP, AVIF, TIFF, ICO\)$",
                 id="not-an-image"),
    pytest.param(lambda p: p.write_bytes(b""), "^the file is empty$", id="empty-file"),
    # (a format PIL reads but the app does not: EPS would run Ghostscript, where a host has it)
    pytest.param(lambda p: p.write_bytes(b"%!PS-Adobe-3.0 EPSF-3.0\n%%BoundingBox: 0 0 28 28\nshowpage\n"),
                 r"^this file is not a picture this app reads", id="eps"),
    pytest.param(_truncated_png, "damaged or truncated", id="truncated-png"),
    pytest.param(lambda p: Image.new("L", (MAX_SIDE + 1, 16)).save(p), "largest accepted side is 4000", id="too-wide"),
]


@pytest.mark.parametrize("make, message", BAD_PICTURES)
def test_unreadable_or_oversized_picture_files_are_refused(tmp_path, make, message):
    path = tmp_path / "upload.png"
    make(path)
    with pytest.raises(InvalidImageError, match=message):
        load_picture(path)


def png_bomb(side: int = 13000) -> bytes:
    """A one-bit PNG of side x side pixels: about 20 kB on disk, 170 MB as a grey picture."""
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    raw = zlib.compress((b"\x00" + b"\xff" * (side // 8)) * side, 9)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", side, side, 1, 0, 0, 0, 0))
            + chunk(b"IDAT", raw) + chunk(b"IEND", b""))


def test_a_png_bomb_is_refused_by_its_header_before_it_is_decoded(monkeypatch):
    bomb = png_bomb()
    assert len(bomb) < 40_000

    def decode(self, *args):
        raise AssertionError("the picture was decoded")

    from PIL import ImageFile

    monkeypatch.setattr(Image.Image, "load", decode)
    monkeypatch.setattr(ImageFile.ImageFile, "load", decode)
    with pytest.raises(InvalidImageError, match="the image has 169 megapixels; the largest accepted is 12 megapixels"):
        load_picture(bomb)


def test_refusing_a_png_bomb_costs_no_memory(tmp_path):
    """In a fresh process (whose peak memory only this can raise): the peak after refusing the bomb
    is within a few megabytes of the peak before."""
    import subprocess
    import sys

    (tmp_path / "bomb.png").write_bytes(png_bomb())
    script = ("import resource, sys\n"
              "from mnist_model.preprocess import load_picture\n"
              "from mnist_model import InvalidImageError\n"
              "before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
              "try:\n    load_picture(sys.argv[1])\nexcept InvalidImageError:\n    pass\n"
              "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before)\n")
    grown_kb = int(subprocess.run([sys.executable, "-c", script, str(tmp_path / "bomb.png")], capture_output=True,
                                  text=True, check=True).stdout)
    assert grown_kb < 10_000  # a decode would take 170 MB


def test_pictures_over_12_megapixels_are_refused_by_their_header(tmp_path):
    path = tmp_path / "wide.png"
    Image.new("1", (4000, 3500)).save(path)
    with pytest.raises(InvalidImageError, match="14 megapixels; the largest accepted is 12 megapixels"):
        load_picture(path)


def test_a_big_photo_is_decoded_shrunk_and_still_read(tmp_path, shipped):
    path = tmp_path / "photo.jpg"
    Image.fromarray(photo(SEVEN_INK)).resize((3000, 3000)).save(path, quality=90)
    picture = load_picture(path)
    assert max(picture.size) <= 1024
    assert shipped.predict_proba(picture).argmax() == 7


def test_a_photo_is_turned_upright_by_its_exif_orientation(tmp_path):
    upright = Image.fromarray(SEVEN_GRAY)
    path = tmp_path / "rotated.jpg"
    exif = Image.Exif()
    exif[0x0112] = 6  # "rotate 90 degrees clockwise to display"
    upright.rotate(90, expand=True).save(path, exif=exif, quality=95)
    assert correlation(to_mnist(load_picture(path)), to_mnist(SEVEN.layer)) > 0.75
