"""A real browser draws digits with real mouse strokes on the page and reads the prediction.

Needs Debian's Chromium at /usr/bin/chromium (`.ci/run` installs it) and the playwright package;
skips with a reason otherwise. Screenshots land in tests/artifacts/.
"""

import shutil
from pathlib import Path

import pytest

from strokes import DIGITS

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARTIFACTS = Path(__file__).parent / "artifacts"

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.skip("no Chromium: install Debian's chromium package (apt-get install chromium)")
    sync_api = pytest.importorskip("playwright.sync_api", reason="the playwright package is not installed")
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
            "--no-first-run", "--disable-sync"])
        yield browser
        browser.close()


def open_page(browser, url):
    page = browser.new_page(viewport={"width": 1280, "height": 1100})
    page.goto(url)
    page.wait_for_selector("div.pixi-target canvas", timeout=60_000)
    return page


def select_brush(page):
    page.locator("button[aria-label='Brush']").first.click()


def draw(page, digit: int):
    """Replay the digit's strokes with the mouse inside the drawing area, at the displayed zoom."""
    box = page.locator("div.pixi-target canvas").first.bounding_box()
    zoom = float(page.locator(".zoom-number").first.inner_text().strip().rstrip("%")) / 100
    side = 280 * zoom  # the drawing area, centred in the canvas element
    left, top = box["x"] + (box["width"] - side) / 2, box["y"] + (box["height"] - side) / 2
    for stroke in DIGITS[digit]:
        points = [(left + side * (0.5 + (x - 0.5) * 0.5), top + side * (0.15 + 0.7 * y)) for x, y in stroke]
        page.mouse.move(*points[0])
        page.mouse.down()
        for point in points[1:]:
            page.mouse.move(*point, steps=2)
        page.mouse.up()


def shown_digit(page, expected: str, timeout=30_000) -> str:
    page.wait_for_function(
        "(d) => document.querySelector('#prediction .digit')?.textContent === d", arg=expected, timeout=timeout)
    return page.locator('[data-testid="label-output-value"]').inner_text()


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_drawing_digits_with_the_mouse_shows_the_right_prediction(browser, app_url, theme):
    ARTIFACTS.mkdir(exist_ok=True)
    page = open_page(browser, app_url + ("?__theme=dark" if theme == "dark" else ""))
    for digit in (1, 0, 7):
        select_brush(page)
        draw(page, digit)
        assert shown_digit(page, str(digit)) == str(digit)
        assert page.locator(".input-preview img").count() == 1  # the 28x28 input is shown
        page.screenshot(path=str(ARTIFACTS / f"draw-{theme}-{digit}.png"))
        page.locator("button[aria-label='Clear canvas']").first.click()
        page.wait_for_selector("#prediction .prompt", timeout=30_000)
    assert page.locator("#prediction .prompt").inner_text() == "Draw a digit"
    page.close()


def test_the_clear_button_empties_the_prediction(browser, app_url):
    page = open_page(browser, app_url)
    select_brush(page)
    draw(page, 7)
    shown_digit(page, "7")
    page.get_by_role("button", name="Clear", exact=True).click()
    page.wait_for_selector("#prediction .prompt", timeout=30_000)
    assert page.locator('[data-testid="label-output-value"]').count() == 0
    page.close()
