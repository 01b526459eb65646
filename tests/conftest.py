"""Shared fixtures: a tiny generated MNIST-format data set, the shipped classifier, the full data set."""

import os
from pathlib import Path

import pytest

from mnist_model import Classifier
from support.apprunner import running_app
from support.datasets import make_tiny_drawn, make_tiny_letters, make_tiny_mnist
from support.pagedriver import chromium_missing, launch, open_page


# A developer's fast loop (`python -m pytest -m "not slow"`) leaves out the tests that need one of these:
# a running app, a browser, or the full MNIST (the reproductions). The README's command runs them all.
SLOW_FIXTURES = {"app_url", "browser", "full_mnist", "host", "clocked_host", "tiny_app"}


def pytest_collection_modifyitems(items):
    for item in items:
        if SLOW_FIXTURES & set(item.fixturenames) or item.get_closest_marker("browser"):
            item.add_marker(pytest.mark.slow)


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


@pytest.fixture(scope="session")
def tiny_drawn(tmp_path_factory) -> Path:
    return make_tiny_drawn(tmp_path_factory.mktemp("tiny_drawn") / "digits.npz")


@pytest.fixture(scope="session")
def tiny_letters(tmp_path_factory) -> Path:
    return make_tiny_letters(tmp_path_factory.mktemp("tiny_letters") / "letters.npz")


@pytest.fixture
def tiny_data(tiny_mnist, tiny_drawn, tiny_letters, monkeypatch):
    """The tiny data sets are where mnist_model looks for MNIST, the pen-written digits and letters,
    in this test (the process's copy of MNIST is read again before and after it)."""
    from mnist_model.training_run import mnist_on

    monkeypatch.setenv("MNIST_DATA_DIR", str(tiny_mnist))
    monkeypatch.setenv("MNIST_DRAWN_FILE", str(tiny_drawn))
    monkeypatch.setenv("MNIST_LETTERS_FILE", str(tiny_letters))
    monkeypatch.setattr("mnist_model.not_digits.TRAINING_DOODLES", 96)  # (thousands draw in a minute)
    monkeypatch.setattr("mnist_model.not_digits.HELD_OUT_DOODLES", 32)
    mnist_on.cache_clear()
    yield
    mnist_on.cache_clear()


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
    """The launched app's own folder (app_server.hosting.APP_DIR): its visitors' saves, its caches."""
    return tmp_path_factory.mktemp("app-dir")


@pytest.fixture(scope="session")
def app_log(tmp_path_factory) -> Path:
    """The launched app's log (its stdout and stderr)."""
    return tmp_path_factory.mktemp("app") / "app.log"


@pytest.fixture(scope="session")
def app_url(tiny_mnist, tiny_drawn, tiny_letters, app_dir, app_log):
    """`python app.py` started as a user starts it, on a free port, training on the tiny data sets."""
    try:
        with running_app(app_log, MNIST_DATA_DIR=str(tiny_mnist), MNIST_DRAWN_FILE=str(tiny_drawn),
                         MNIST_LETTERS_FILE=str(tiny_letters),
                         MNIST_APP_DIR=str(app_dir), MNIST_APP_MAX_SAVES="3",
                         # teaching is priced from the machine's speed, measured once; a busy moment
                         # must not refuse the tests' teachings (the budget has a test of its own)
                         MNIST_APP_MAX_TEACH_SECONDS="600") as url:
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
