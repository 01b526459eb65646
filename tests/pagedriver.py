"""Driving the app's page in Debian's Chromium with Playwright (browser tests and benchmarks)."""

import shutil
from pathlib import Path

from strokes import DIGITS

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--no-first-run", "--disable-sync"]


def chromium_missing() -> str | None:
    """Why no browser test can run here, or None when Chromium and Playwright are both present."""
    if not Path(CHROMIUM).exists():
        return "no Chromium: install Debian's chromium package (apt-get install chromium)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the playwright package is not installed (pip install -r requirements-dev.txt)"
    return None


def launch(playwright):
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)


def open_page(browser, url):
    page = browser.new_page(viewport={"width": 1280, "height": 1100})
    page.goto(url)
    page.wait_for_selector("div.pixi-target canvas", timeout=60_000)
    return page


def select_brush(page):
    """A fresh (or cleared) Sketchpad ignores the mouse until its Brush tool is selected."""
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


def wait_for_digit(page, expected: str, timeout=30_000) -> str:
    """Wait until the page shows `expected` as its prediction; returns the label's text."""
    page.wait_for_function(
        "(d) => document.querySelector('#prediction .digit')?.textContent === d", arg=expected, timeout=timeout)
    return page.locator('[data-testid="label-output-value"]').inner_text()


def clear(page):
    page.locator("button[aria-label='Clear canvas']").first.click()
    page.wait_for_selector("#prediction .prompt", timeout=30_000)
