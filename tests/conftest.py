"""Shared fixtures: a tiny generated MNIST-format data set, the shipped classifier, the full data set."""

import os
import struct
from pathlib import Path

import numpy as np
import pytest

from tests.apprunner import running_app
from tests.pagedriver import chromium_missing, launch, open_page
from tests.strokes import DIGITS, render_mnist_like

from mnist_model import Classifier
from mnist_model.preprocess import to_mnist


def write_idx(folder: Path, prefix: str, images: np.ndarray, labels: np.ndarray) -> None:
    """Write images (N, 28, 28) uint8 and labels (N,) as the IDX files torchvision's MNIST reads."""
    folder.mkdir(parents=True, exist_ok=True)
    n = len(labels)
    (folder / f"{prefix}-images-idx3-ubyte").write_bytes(struct.pack(">IIII", 2051, n, 28, 28) + images.tobytes())
    (folder / f"{prefix}-labels-idx1-ubyte").write_bytes(struct.pack(">II", 2049, n) + labels.astype(np.uint8).tobytes())


def make_tiny_mnist(root: Path, train_per_class: int = 40, test_per_class: int = 10, seed: int = 0) -> Path:
    """A small learnable data set in torchvision's MNIST layout: jittered stroke digits, preprocessed like MNIST."""
    rng = np.random.default_rng(seed)
    for prefix, per_class in (("train", train_per_class), ("t10k", test_per_class)):
        labels = np.repeat(np.arange(10), per_class)
        rng.shuffle(labels)
        images = np.stack([(to_mnist(render_mnist_like(int(d), rng)) * 255).round().astype(np.uint8) for d in labels])
        write_idx(root / "MNIST" / "raw", prefix, images, labels)
    return root


@pytest.fixture(scope="session", autouse=True)
def drawings_cache(tmp_path_factory):
    """mnist_model's cache of drawings goes to a temporary folder, not the user's home (and the
    processes tests start inherit it)."""
    folder = tmp_path_factory.mktemp("cache")
    previous = os.environ.get("MNIST_CACHE_DIR")
    os.environ["MNIST_CACHE_DIR"] = str(folder)
    yield folder
    if previous is None:
        os.environ.pop("MNIST_CACHE_DIR")
    else:
        os.environ["MNIST_CACHE_DIR"] = previous


@pytest.fixture(scope="session")
def tiny_mnist(tmp_path_factory) -> Path:
    return make_tiny_mnist(tmp_path_factory.mktemp("tiny_mnist"))


def make_tiny_drawn(path: Path, seed: int = 0) -> Path:
    """A small pen-written digit file in the shipped format, made by drawn/pack.py from UNIPEN-style
    records: 12 writers from 3 sources (one on a tablet with different resolutions on its axes), each
    writing every digit twice, y pointing up as on a tablet."""
    import gzip
    import json

    from drawn.pack import pack

    rng = np.random.default_rng(seed)
    records = []
    for source, writers, ppi in (("aaa", 6, (1000.0, 1000.0)), ("bbb", 4, (508.0, 508.0)), ("ccc", 2, (856.7, 979.3))):
        for w in range(writers):
            for digit in range(10):
                for _ in range(2):
                    strokes = [[[round((x + rng.normal(0, 0.02)) * ppi[0]), round((1 - y + rng.normal(0, 0.02)) * ppi[1])]
                                for x, y in stroke] for stroke in DIGITS[digit]]
                    records.append({"label": str(digit), "source": source, "writer": f"{source}:w{w}",
                                    "x_ppi": ppi[0], "y_ppi": ppi[1], "strokes": strokes})
    jsonl = path.with_suffix(".jsonl.gz")
    with gzip.open(jsonl, "wt") as f:
        f.writelines(json.dumps(r) + "\n" for r in records)
    pack(str(jsonl), str(path))
    return path


@pytest.fixture(scope="session")
def tiny_drawn(tmp_path_factory) -> Path:
    return make_tiny_drawn(tmp_path_factory.mktemp("tiny_drawn") / "digits.npz")


@pytest.fixture(scope="session")
def shipped() -> Classifier:
    return Classifier.load()


@pytest.fixture(scope="session")
def full_mnist() -> Path:
    """The full MNIST folder named by $MNIST_DATA_DIR (CI sets it); tests using it skip otherwise."""
    folder = os.environ.get("MNIST_DATA_DIR")
    if not folder or not (Path(folder) / "MNIST" / "raw" / "t10k-images-idx3-ubyte").is_file():
        pytest.skip("the full MNIST data set is absent: set MNIST_DATA_DIR to a folder holding MNIST/raw")
    return Path(folder)


@pytest.fixture(scope="session")
def app_dir(tmp_path_factory) -> Path:
    """The launched app's own folder (hosting.APP_DIR): its visitors' saves, its caches."""
    return tmp_path_factory.mktemp("app-dir")


@pytest.fixture(scope="session")
def app_url(tiny_mnist, tiny_drawn, app_dir, tmp_path_factory):
    """`python app.py` started as a user starts it, on a free port, training on the tiny data sets."""
    log = tmp_path_factory.mktemp("app") / "app.log"
    try:
        with running_app(log, MNIST_DATA_DIR=str(tiny_mnist), MNIST_DRAWN_FILE=str(tiny_drawn),
                         MNIST_APP_DIR=str(app_dir), MNIST_APP_MAX_SAVES="3") as url:
            yield url
    except RuntimeError as exc:
        pytest.fail(str(exc))


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium driven by Playwright; tests using it skip when either is missing."""
    if reason := chromium_missing():
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = launch(p)
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def page(browser, app_url):
    """One page of the app for a module's tests that only read or compute (they share its drawing)."""
    page = open_page(browser, app_url)
    yield page
    page.context.close()
