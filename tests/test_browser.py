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


def test_explore_shows_activations_and_saliency_of_the_drawing(browser, app_url):
    ARTIFACTS.mkdir(exist_ok=True)
    page = open_page(browser, app_url)
    select_brush(page)
    draw(page, 3)
    wait_for_digit(page, "3")
    page.get_by_role("tab", name="Explore").click()
    page.wait_for_function("() => document.querySelectorAll('#layers figure img').length === 3", timeout=30_000)
    assert page.locator("#inside img").count() == 2  # input and saliency overlay
    assert page.locator("#weights img").count() >= 64  # one picture per first-layer unit
    page.locator("#weights img").nth(5).click()
    page.wait_for_function("() => document.querySelectorAll('#unit img').length === 2", timeout=30_000)
    page.screenshot(path=str(ARTIFACTS / "explore.png"), full_page=True)
    page.close()


def test_the_page_in_chinese_shows_chinese_labels(browser, app_url):
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 1100})
    page = context.new_page()
    page.goto(app_url)
    page.wait_for_selector("div.pixi-target canvas", timeout=60_000)
    page.get_by_role("tab", name="写数字").wait_for(timeout=30_000)
    assert page.get_by_role("tab", name="训练").count() == 1
    assert page.get_by_role("tab", name="探索网络").count() == 1
    assert "请写一个数字" in page.locator("#prediction").inner_text()  # the server's message follows too
    page.screenshot(path=str(ARTIFACTS / "chinese.png"))
    context.close()


def test_switching_to_chinese_in_settings_also_switches_the_servers_messages(browser, app_url):
    page = open_page(browser, app_url)
    assert page.locator("#prediction .prompt").inner_text() == "Draw a digit"
    page.get_by_text("Settings").click()
    page.get_by_role("combobox", name="Language").click()
    page.get_by_role("option", name="简体中文").click()
    page.mouse.click(100, 500)  # close the settings panel
    page.get_by_role("tab", name="写数字").wait_for(timeout=30_000)
    select_brush(page)
    draw(page, 7)
    wait_for_digit(page, "7")
    clear(page)
    assert page.locator("#prediction .prompt").inner_text() == "请写一个数字"
    page.close()


def test_projector_and_full_screen_modes_enlarge_the_drawing_and_the_answer(browser, app_url):
    page = open_page(browser, app_url)
    digit_size = "() => parseFloat(getComputedStyle(document.querySelector('#prediction .digit')).fontSize)"
    select_brush(page)
    draw(page, 4)
    wait_for_digit(page, "4")
    normal = page.evaluate(digit_size)
    page.get_by_label("Projector mode (large text)").check()
    page.wait_for_function(f"() => ({digit_size})() > {normal * 1.5}", timeout=10_000)
    clear(page)
    page.get_by_role("button", name="Full screen").click()
    page.wait_for_function("() => document.fullscreenElement?.id === 'draw-area'", timeout=10_000)
    page.wait_for_function("() => parseFloat(document.querySelector('.zoom-number').textContent) > 150", timeout=10_000)
    select_brush(page)
    draw(page, 7)  # strokes placed at the re-fitted zoom
    wait_for_digit(page, "7")
    page.screenshot(path=str(ARTIFACTS / "projector-fullscreen.png"))
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
