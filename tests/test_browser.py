"""A real browser draws digits with real mouse strokes on the page and reads the prediction.

Needs Debian's Chromium at /usr/bin/chromium (`.ci/run` installs it) and the playwright package;
skips with a reason otherwise. Screenshots land in tests/artifacts/.
"""

from pathlib import Path

import pytest

from pagedriver import chromium_missing, clear, draw, launch, open_page, select_brush, wait_for_digit

ARTIFACTS = Path(__file__).parent / "artifacts"

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def browser():
    if reason := chromium_missing():
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = launch(p)
        yield browser
        browser.close()


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_drawing_digits_with_the_mouse_shows_the_right_prediction(browser, app_url, theme):
    ARTIFACTS.mkdir(exist_ok=True)
    page = open_page(browser, app_url + ("?__theme=dark" if theme == "dark" else ""))
    for digit in (1, 0, 7):
        select_brush(page)
        draw(page, digit)
        assert wait_for_digit(page, str(digit)) == str(digit)
        assert page.locator(".input-preview img").count() == 1  # the 28x28 input is shown
        page.screenshot(path=str(ARTIFACTS / f"draw-{theme}-{digit}.png"))
        clear(page)
    assert page.locator("#prediction .prompt").inner_text() == "Draw a digit"
    page.close()


def test_the_clear_button_empties_the_prediction(browser, app_url):
    page = open_page(browser, app_url)
    select_brush(page)
    draw(page, 7)
    wait_for_digit(page, "7")
    page.get_by_role("button", name="Clear", exact=True).click()
    page.wait_for_selector("#prediction .prompt", timeout=30_000)
    assert page.locator('[data-testid="label-output-value"]').count() == 0
    page.close()
