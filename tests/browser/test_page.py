"""A real browser draws digits on the page with a mouse, a finger and a pen, and reads the answer.

Needs Debian's Chromium at /usr/bin/chromium (`.ci/run` installs it) and the playwright package;
skips with a reason otherwise. Screenshots land in tests/browser/artifacts/.
"""

import re
import time
from pathlib import Path

import numpy as np
import pytest
import torch

from app_ui.components import answer_value, drawing_picture, model_payload
from app_ui.texts import TEXTS
from mnist_model import Classifier
from mnist_model.data import load_mnist
from mnist_model.explain import dead_units, look_inside
from mnist_model.model import MLP
from support.pagedriver import (
    DIGIT,
    EARLY_PAD,
    GRADIOS_OWN,
    PAD,
    PATIENCE,
    clear,
    click_unit,
    draw_mouse,
    draw_pen,
    draw_touch,
    hold,
    new_page,
    open_page,
    shown_digit,
    strokes_on,
    wait_for_digit,
)
from support.strokes import DIGITS

ARTIFACTS = Path(__file__).parent / "artifacts"
PHONE = {"viewport": {"width": 390, "height": 844}, "has_touch": True, "is_mobile": True}
SERVER_CALLS = ("/gradio_api/queue/join", "/gradio_api/run/", "/gradio_api/call/")

pytestmark = pytest.mark.browser


@pytest.fixture(autouse=True)
def artifacts():
    ARTIFACTS.mkdir(exist_ok=True)


def drawings_sent(page) -> list[str]:
    """Every request that sends the server the pad's drawing from now on (the list grows)."""
    sent = []
    page.on("request", lambda request: sent.append(request.url)
            if "data:image/png;base64," in (request.post_data or "") else None)
    return sent


def server_calls(page) -> list[str]:
    """Every event request the page sends the server from now on (the list grows)."""
    calls = []
    page.on("request", lambda request: calls.append(request.url) if any(s in request.url for s in SERVER_CALLS) else None)
    return calls


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_digits_drawn_with_the_mouse_are_read(browser, app_url, theme):
    page = open_page(browser, app_url + ("?__theme=dark" if theme == "dark" else ""))
    for digit in (1, 0, 7):
        draw_mouse(page, digit)
        wait_for_digit(page, str(digit))
        page.screenshot(path=str(ARTIFACTS / f"draw-{theme}-{digit}.png"))
        clear(page)
    page.wait_for_selector("#prediction .prompt")
    assert page.locator("#prediction .prompt").inner_text() == "Draw a digit"
    assert shown_digit(page) is None
    page.context.close()


def test_digits_drawn_with_a_finger_are_read(browser, app_url):
    page = open_page(browser, app_url, has_touch=True)
    for digit in (4, 2):
        draw_touch(page, digit)
        wait_for_digit(page, str(digit))
        clear(page)
    page.context.close()


def test_a_phone_draws_and_is_answered_before_gradios_scripts_have_come_and_the_page_takes_that_drawing_over(
        browser, app_url):
    page = new_page(browser, **PHONE)
    release = hold(page, GRADIOS_OWN)  # a slow link: Gradio's scripts have not come
    page.goto(app_url, wait_until="commit")
    page.wait_for_selector(EARLY_PAD)
    assert page.evaluate("() => document.querySelector('gradio-app').childElementCount") == 0
    draw_touch(page, 7, EARLY_PAD)
    assert page.evaluate("() => mnistDemo.drawing.state.strokes.length") == len(DIGITS[7])
    # the network answers from the weights that came with the page's HTML
    page.wait_for_function("() => /^7 \\(\\d+%\\)$/.test(document.querySelector('.early-pad-answer').textContent)")

    release()
    wait_for_digit(page, "7")  # the page's own answer takes over
    # the page's load names the model the page has (the HTML's payload held its weights), sends them not again
    page.wait_for_function("() => { const info = mnistDemo.pipeline.state.modelInfo;"
                           " return info.digest && !('data' in info); }")
    page.wait_for_selector("#early-pad", state="detached")
    # the page's pad holds the drawing as its own
    assert page.evaluate("() => [mnistDemo.drawing.state.strokes.length, mnistDemo.drawing.state.pad]") == [
        len(DIGITS[7]), "sketch"]
    page.context.close()


def test_digits_drawn_with_a_pen_are_read(browser, app_url):
    page = open_page(browser, app_url)
    kinds = []
    page.evaluate("() => { window.__kinds = []; document.querySelector('#sketch canvas')"
                  ".addEventListener('pointerdown', (e) => window.__kinds.push(e.pointerType)); }")
    for digit in (3, 8):
        draw_pen(page, digit)
        wait_for_digit(page, str(digit))
        clear(page)
    kinds = page.evaluate("window.__kinds")
    assert kinds and set(kinds) == {"pen"}  # the strokes really came from a pen pointer
    page.context.close()


def test_the_answer_changes_while_drawing_and_no_request_reaches_the_server(browser, app_url):
    page = open_page(browser, app_url)
    calls = server_calls(page)
    (points,) = strokes_on(page, 7)
    page.mouse.move(*points[0])
    page.mouse.down()
    for point in points[1:]:
        page.mouse.move(*point, steps=8)
    wait_for_digit(page, "7")  # before the pointer is lifted
    page.mouse.up()
    draw_mouse(page, 0)
    page.locator("#sketch button[data-action='undo']").click()
    page.locator("#sketch button[data-action='undo']").click()
    page.wait_for_selector("#prediction .prompt")
    page.wait_for_timeout(500)
    assert calls == []  # drawing, Undo and the answer: all in the page
    page.context.close()


def test_undo_takes_back_the_last_stroke(browser, app_url):
    page = open_page(browser, app_url)
    draw_mouse(page, 1)
    wait_for_digit(page, "1")
    box = page.locator(PAD).bounding_box()
    page.mouse.move(box["x"] + box["width"] * 0.3, box["y"] + box["height"] * 0.15)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] * 0.55, box["y"] + box["height"] * 0.15, steps=5)
    page.mouse.up()
    page.wait_for_function("() => mnistDemo.drawing.state.strokes.length === 2")
    page.locator("#sketch button[data-action='undo']").click()
    page.wait_for_function("() => mnistDemo.drawing.state.strokes.length === 1")
    wait_for_digit(page, "1")
    page.context.close()


def test_explore_updates_its_layers_while_drawing_and_adds_the_servers_views_after_the_stroke(browser, app_url):
    page = open_page(browser, app_url)
    page.get_by_role("tab", name="Explore").click()
    page.wait_for_selector("#explore-sketch canvas")
    calls = server_calls(page)
    (points,) = strokes_on(page, 1, "#explore-sketch canvas")
    page.mouse.move(*points[0])
    page.mouse.down()
    for point in points[1:]:
        page.mouse.move(*point, steps=8)
    page.wait_for_function("() => document.querySelectorAll('#layers figure canvas').length === 3")
    page.wait_for_function("() => /units active/.test(document.querySelector('#layers figcaption').textContent)"
                           " && !/ 0 of/.test(document.querySelector('#layers figcaption').textContent)")
    assert calls == []  # mid-stroke: the live view is the page's own
    page.mouse.up()
    page.wait_for_function("() => document.querySelectorAll('#inside img').length === 2")
    assert len(calls) == 1  # one request after the stroke, for the saliency map and the unit
    click_unit(page, 5)
    page.wait_for_function("() => document.querySelectorAll('#unit img').length === 2")
    page.screenshot(path=str(ARTIFACTS / "explore.png"), full_page=True)
    page.context.close()


def test_the_neuron_shows_a_picked_units_sum_bias_and_output_live_and_names_the_dead_units(browser, app_url,
                                                                                             tiny_mnist, shipped):
    """Explore's neuron: a click on a cell of the second hidden layer picks that unit; while a stroke is
    drawn its numbers follow the page's forward pass (no request), equal to torch's for the page's
    input; the dead units listed and marked are Python's over the app's test set (the tiny one)."""
    page = open_page(browser, app_url)
    page.get_by_role("tab", name="Explore").click()
    page.wait_for_selector("#explore-sketch canvas")
    draw_mouse(page, 1, "#explore-sketch canvas")
    page.wait_for_function("() => mnistDemo.neuron.state.shown !== null")
    cells = page.locator("#layers figure").nth(1).locator("canvas")  # layer 2: 64 units, 8 x 8
    box = cells.bounding_box()
    page.mouse.click(box["x"] + 2.5 * box["width"] / 8, box["y"] + 1.5 * box["height"] / 8)  # row 1, column 2
    page.wait_for_function("() => mnistDemo.neuron.state.shown?.unit === 10")
    assert page.locator("#neuron .neuron-title").text_content() == "layer 2, unit 10"
    assert page.locator("#layers figure").nth(1).locator(".picked").is_visible()

    calls = server_calls(page)
    (points,) = strokes_on(page, 7, "#explore-sketch canvas")
    before = page.evaluate("() => mnistDemo.neuron.state.shown.sum")
    page.mouse.move(*points[0])
    page.mouse.down()
    for point in points[1:]:
        page.mouse.move(*point, steps=4)
    page.wait_for_function("(s) => mnistDemo.neuron.state.shown.sum !== s", arg=before)  # live, mid-stroke
    shown, picture = page.evaluate("() => [mnistDemo.neuron.state.shown, Array.from(mnistDemo.pipeline.state.result.input)]")
    assert calls == []  # the page's own numbers
    inside = look_inside(shipped.model, np.array(picture, np.float32).reshape(28, 28))
    bias = shipped.model.layers[1].bias[10].item()
    assert shown["sum"] == pytest.approx(float(inside.sums[1][10]), abs=1e-4)
    assert shown["bias"] == pytest.approx(bias, abs=1e-6)
    assert shown["weighted"] == pytest.approx(float(inside.sums[1][10]) - bias, abs=1e-4)
    assert shown["output"] == pytest.approx(float(inside.activations[1][10]), abs=1e-4)
    page.wait_for_function("(s) => document.querySelector('#neuron .neuron-sum').textContent === s",
                           arg=f"{shown['sum']:.3f}")
    page.mouse.up()

    dead = dead_units(shipped.model, load_mnist(tiny_mnist, download=False).test_x)
    assert dead.count > 0
    page.wait_for_function("(n) => document.querySelectorAll('#neuron .neuron-dead button').length === n",
                           arg=dead.count)
    assert page.evaluate("() => mnistDemo.neuron.state.dead.units") == dead.units
    layer = next(i for i, units in enumerate(dead.units) if units)
    unit = dead.units[layer][0]
    page.locator(f"#neuron .neuron-dead button[data-layer='{layer}'][data-unit='{unit}']").click()
    page.wait_for_function("([l, u]) => mnistDemo.neuron.state.shown?.layer === l && mnistDemo.neuron.state.shown.unit === u",
                           arg=[layer, unit])
    assert page.locator("#neuron .neuron-badge").is_visible()
    assert f"{len(dead.units[layer])} dead" in page.locator("#layers figcaption").nth(layer).text_content()
    colour = page.evaluate("""([layer, unit]) => {
        const canvas = document.querySelectorAll('#layers figure canvas')[layer];
        const at = [unit % canvas.width, Math.floor(unit / canvas.width)];
        return Array.from(canvas.getContext('2d').getImageData(at[0], at[1], 1, 1).data.slice(0, 3)); }""", [layer, unit])
    assert colour == [45, 85, 120]  # blue-grey: dead
    page.locator("#neuron").screenshot(path=str(ARTIFACTS / "neuron.png"))
    page.context.close()


def test_on_a_phone_the_answer_stays_in_view_while_drawing(browser, app_url):
    page = open_page(browser, app_url, viewport={"width": 390, "height": 844}, device_scale_factor=3,
                     is_mobile=True, has_touch=True)
    (points,) = strokes_on(page, 7)
    cdp = page.context.new_cdp_session(page)
    cdp.send("Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": [{"x": points[0][0], "y": points[0][1]}]})
    for x, y in points[1:]:
        cdp.send("Input.dispatchTouchEvent", {"type": "touchMove", "touchPoints": [{"x": x, "y": y}]})
    wait_for_digit(page, "7")
    answer, pad = page.locator(DIGIT).bounding_box(), page.locator(PAD).bounding_box()
    page.screenshot(path=str(ARTIFACTS / "phone-drawing.png"))
    cdp.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})
    assert page.evaluate("() => window.scrollY") == 0  # the finger drew; it did not scroll the page
    assert 0 <= answer["y"] and answer["y"] + answer["height"] <= 844  # the answer is in view, with the pad
    assert pad["y"] + pad["height"] <= 844
    page.context.close()


def test_a_freshly_trained_model_of_another_shape_runs_in_the_page(browser, app_url):
    page = open_page(browser, app_url)
    page.get_by_role("tab", name="Train").click()
    page.get_by_label("Hidden layers: units per layer, comma-separated").fill("32")
    page.get_by_label("Epochs").fill("3")
    page.get_by_label("Batch size").fill("16")
    page.get_by_label("Learning rate").fill("0.01")
    page.get_by_role("button", name="Train", exact=True).click()
    page.get_by_text("Press Use this model to draw with it").wait_for()
    page.get_by_role("button", name="Use this model").click()
    page.wait_for_function("() => mnistDemo.pipeline.state.modelInfo?.sizes.join() === '784,32,10'")
    page.get_by_role("tab", name="Draw").click()
    draw_mouse(page, 7)
    page.wait_for_function(f"() => document.querySelector({DIGIT!r})?.textContent !== ''")
    page.get_by_role("tab", name="Explore").click()
    page.wait_for_function("() => document.querySelectorAll('#layers figure canvas').length === 1")
    page.context.close()


def not_a_digit_model() -> Classifier:
    """A network with an 11th answer that says "not a digit" to anything, unless told to pick a digit."""
    torch.manual_seed(0)
    model = MLP((16,), answers=11)
    with torch.no_grad():
        model.layers[-1].bias[10] = 30.0
    return Classifier(model)


@pytest.mark.parametrize("lang, said", [("en", "That's not a digit"), ("zh-CN", "这不是数字")])
def test_a_network_with_an_eleventh_answer_says_not_a_digit_with_an_eleventh_bar_and_can_be_told_to_pick_a_digit(
        browser, app_url, lang, said):
    page = open_page(browser, app_url, locale=lang)
    clf = not_a_digit_model()
    page.evaluate("(payload) => mnistDemo.pipeline.setModel(payload)", model_payload(clf))
    draw_mouse(page, 3)
    wait_for_digit(page, said)
    bars = page.locator("#prediction .bars .bar")
    assert bars.count() == 11 and bars.nth(10).locator(".label").text_content() == "✗"
    assert "best" in bars.nth(10).get_attribute("class")
    # one row of eleven, ✗ last (a grid of ten columns put it alone on a second row)
    boxes = [bars.nth(i).locator(".label").bounding_box() for i in range(11)]
    assert len({round(box["y"]) for box in boxes}) == 1 and boxes[10]["x"] > boxes[9]["x"]
    # the page's probabilities are Python's for the same drawing
    picture = page.evaluate("() => mnistDemo.pipeline.picture()")
    digit = clf.preprocess(drawing_picture(picture))
    expected = answer_value(clf, digit, lang)
    shown = page.evaluate("() => Array.from(mnistDemo.pipeline.state.result.forward.probabilities)")
    np.testing.assert_allclose(shown, expected["probabilities"], atol=1e-5)
    assert expected["digit"] is None and expected["not_a_digit"] is True
    # ten answers only: the digit the network would pick among the ten, and ten bars
    page.locator("#prediction .ten-only input").check()
    ten = clf.probabilities(digit)[:10]  # (unrounded: the ten are tiny beside "not a digit")
    wait_for_digit(page, str(int(ten.argmax())))
    assert bars.count() == 10
    page.context.close()


def test_the_page_in_chinese_shows_chinese_labels(browser, app_url):
    page = open_page(browser, app_url, locale="zh-CN")
    page.get_by_role("tab", name="写数字").wait_for()
    assert page.get_by_role("tab", name="训练").count() == 1
    assert page.get_by_role("tab", name="探索网络").count() == 1
    page.wait_for_function("() => document.querySelector('#prediction .prompt').textContent === '请写一个数字'")
    assert page.locator("#sketch button[data-action='undo']").inner_text() == "撤销"
    page.screenshot(path=str(ARTIFACTS / "chinese.png"))
    page.context.close()


def test_explore_asks_for_a_digit_in_the_pages_language_before_anything_is_drawn(browser, app_url):
    """(a Chinese page's Explore tab said "Draw a digit" until its pad had been drawn on and cleared)"""
    page = open_page(browser, app_url, locale="zh-CN")
    page.get_by_role("tab").nth(2).click()
    page.wait_for_function("() => document.querySelector('#inside')?.innerText.trim() === '请写一个数字'")
    size = page.evaluate("() => parseFloat(getComputedStyle(document.querySelector('#inside .prose')).fontSize)")
    draw_mouse(page, 1, "#explore-sketch canvas")
    page.wait_for_function("() => document.querySelectorAll('#inside img').length === 2")
    clear(page, "#explore-sketch")  # the server's prompt for an empty pad, as large
    page.wait_for_function("() => document.querySelector('#inside .prompt')?.textContent === '请写一个数字'")
    assert page.evaluate("() => parseFloat(getComputedStyle(document.querySelector('#inside .prompt')).fontSize)") == size
    page.context.close()


def test_switching_to_chinese_in_settings_switches_the_page_and_the_servers_messages(browser, app_url):
    page = open_page(browser, app_url)
    assert page.locator("#prediction .prompt").inner_text() == "Draw a digit"
    page.get_by_text("Settings").click()
    page.get_by_role("combobox", name="Language").click()
    page.get_by_role("option", name="简体中文").click()
    page.mouse.click(100, 500)  # close the settings panel
    page.get_by_role("tab", name="写数字").wait_for()
    page.wait_for_function("() => document.querySelector('#prediction .prompt').textContent === '请写一个数字'")
    page.get_by_role("tab").nth(2).click()  # Gradio 6.31 retitles only the selected tab at run time
    draw_mouse(page, 1, "#explore-sketch canvas")
    page.wait_for_function("() => document.querySelectorAll('#inside img').length === 2")
    clear(page, "#explore-sketch")  # the server's message for an empty pad
    page.wait_for_function("() => document.querySelector('#inside .prompt')?.textContent === '请写一个数字'")
    page.context.close()


def test_a_language_picked_in_settings_renames_every_tab_and_the_upload_box_and_outlives_a_reload(browser, app_url):
    page = open_page(browser, app_url)
    page.get_by_text("Settings").click()
    page.get_by_role("combobox", name="Language").click()
    page.get_by_role("option", name="简体中文").click()
    page.mouse.click(100, 500)  # close the settings panel
    chinese = """() => ['写数字', '训练', '探索网络', '教它认字'].join() ===
      Array.from(document.querySelectorAll('button[role=tab]'), (b) => b.textContent.trim()).join()
      && /将图像拖放到此处[\\s\\S]*点击上传/.test(document.querySelector('#upload').innerText)"""
    page.wait_for_function(chinese, timeout=30_000)
    page.reload()
    page.wait_for_selector(PAD, timeout=60_000)
    page.wait_for_function(chinese, timeout=30_000)
    page.wait_for_function("() => document.querySelector('#prediction .prompt').textContent === '请写一个数字'",
                           timeout=30_000)
    page.context.close()


def test_a_refused_upload_says_why_in_one_line_and_leaves_the_box_ready_for_the_next_file(browser, app_url, tmp_path):
    """(a file that is no picture stayed in the box as a broken picture, to be taken out by hand)"""
    from support.strokes import pad_png

    page = open_page(browser, app_url, **PHONE)
    refused, photo = tmp_path / "homework.png", tmp_path / "three.png"
    refused.write_text("not a picture at all")
    photo.write_bytes(pad_png(3))
    page.locator("#upload input[type='file']").set_input_files(str(refused))
    page.wait_for_function("""() => [...document.querySelectorAll("[data-testid='toast-body']")].some((toast) =>
      toast.textContent.includes("This file is not a picture this app reads (PNG, JPEG, GIF"))""")
    page.wait_for_selector("#upload [data-testid='upload-text']")  # the empty box, its drop zone
    assert page.locator("#upload img").count() == 0
    page.locator("#upload input[type='file']").set_input_files(str(photo))
    wait_for_digit(page, "3")
    page.context.close()


def test_an_error_toast_is_titled_in_the_pages_language(browser, app_url):
    page = open_page(browser, app_url, locale="zh-CN")
    page.get_by_role("tab", name="教它认字").click()
    page.locator("#add-button").click()  # nothing drawn: refused
    page.wait_for_selector("[data-testid='toast-body']", timeout=30_000)
    page.wait_for_function("() => document.querySelector('.toast-title')?.textContent.trim() === '出错了'",
                           timeout=30_000)
    page.context.close()


def test_the_runner_up_bar_is_drawn_in_the_answers_colour(browser, app_url):
    """'7 — or 9?': the runner-up's bar is as clearly coloured as the answer's, not the pale rest."""
    page = open_page(browser, app_url)
    page.evaluate("""() => { const probabilities = Float32Array.from([0, 0, 0, 0, 0, 0, 0, .55, 0, .45]);
      mnistDemo.mlp.forward = () => ({ probabilities }); }""")  # a network that hesitates between 7 and 9
    draw_mouse(page, 7)
    page.wait_for_function("() => !document.querySelector('#prediction .alternative').hidden", timeout=30_000)
    fill = "(d) => getComputedStyle(document.querySelectorAll('#prediction .bars .fill')[d]).backgroundColor"
    assert page.evaluate(fill, 9) == page.evaluate(fill, 7) != page.evaluate(fill, 0)
    page.context.close()


@pytest.mark.parametrize("screen", ["projector", "phone"])
def test_the_upload_boxs_texts_clear_its_icons_on_a_projector_and_on_a_phone(browser, app_url, screen):
    """(on a 390 px phone its label took two lines, and the second covered the upload icon)"""
    if screen == "phone":
        page = open_page(browser, app_url, **PHONE)
    else:
        page = open_page(browser, app_url, viewport={"width": 1920, "height": 1080})
        page.locator("#projector input").check()
        page.wait_for_function("() => document.body.classList.contains('projector')")
    # (each part's content as drawn: a Range's box, not the element's, which may stretch past it)
    edges = """(parts) => parts.map((part) => {
      const range = document.createRange(); range.selectNodeContents(document.querySelector(`#upload ${part}`));
      const box = range.getBoundingClientRect(); return [box.top, box.bottom]; })"""
    parts = ["[data-testid='block-label']", "[data-testid='upload-icon']", "[data-testid='upload-text']", ".source-selection"]
    page.wait_for_function(f"() => ({edges})({parts!r}).every(([top, bottom]) => bottom > top)", timeout=30_000)
    (_, label), (icon, _), (_, texts), (sources, _) = page.evaluate(edges, parts)
    assert label <= icon and texts <= sources, (label, icon, texts, sources)
    page.context.close()


def test_projector_and_full_screen_modes_enlarge_the_drawing_and_the_answer(browser, app_url):
    page = open_page(browser, app_url)
    digit_size = f"() => parseFloat(getComputedStyle(document.querySelector({DIGIT!r})).fontSize)"
    draw_mouse(page, 4)
    wait_for_digit(page, "4")
    normal = page.evaluate(digit_size)
    page.get_by_label("Projector mode (large text)").check()
    page.wait_for_function(f"() => ({digit_size})() > {normal * 1.5}")
    clear(page)
    pad_width = page.locator(PAD).bounding_box()["width"]
    page.locator("#sketch button[data-action='fullscreen']").click()
    page.wait_for_function("() => document.fullscreenElement?.id === 'draw-area'")
    page.wait_for_function(f"() => document.querySelector({PAD!r}).getBoundingClientRect().width > {pad_width}")
    draw_mouse(page, 7)  # strokes placed on the enlarged pad
    wait_for_digit(page, "7")
    page.screenshot(path=str(ARTIFACTS / "projector-fullscreen.png"))
    page.context.close()


def test_a_model_too_big_for_the_page_answers_from_the_server_after_each_stroke(browser, app_url, tmp_path):
    import torch

    from mnist_model import checkpoint
    from mnist_model.model import MLP

    def upload_big(answer):
        """Upload a model too big for the page that answers `answer` to any drawing."""
        model = MLP((1024, 1024))  # 1.9 M parameters
        with torch.no_grad():
            model.layers[-1].bias[answer] = 100.0
        path = checkpoint.save(tmp_path / f"big{answer}.safetensors", model)
        page.get_by_role("tab", name="Train").click()
        if page.locator("#checkpoint-upload button[aria-label='Clear']").is_visible():
            page.locator("#checkpoint-upload button[aria-label='Clear']").click()
        page.locator("#checkpoint-upload input[type='file']").set_input_files(str(path))
        page.wait_for_function("() => mnistDemo.pipeline.state.modelInfo?.server === true")
        # Gradio's page loses an event sent while the server is closing the page's event stream (the
        # client sees the close after it joined, and opens no new stream): let the model's other
        # updates finish and the stream close first, as a person drawing a moment later would
        deadline = time.monotonic() + PATIENCE / 1000
        while streams and time.monotonic() < deadline:
            page.wait_for_timeout(50)
        page.get_by_role("tab", name="Draw").click()

    page = open_page(browser, app_url)
    streams = set()  # the page's event streams from the server that are open
    page.on("request", lambda request: streams.add(request) if "/queue/data" in request.url else None)
    page.on("requestfinished", lambda request: streams.discard(request))
    page.on("requestfailed", lambda request: streams.discard(request))
    page.get_by_role("tab", name="Train").click()
    page.get_by_text("Saved models").click()
    upload_big(5)
    assert page.locator("#prediction .note").is_visible()  # the page says so
    sent = drawings_sent(page)
    draw_mouse(page, 1)
    wait_for_digit(page, "5")
    assert len(sent) == 1  # one request, after the stroke
    page.get_by_role("tab", name="Train").click()
    page.get_by_role("button", name="Back to the shipped model").click()
    page.wait_for_function("() => !mnistDemo.pipeline.state.modelInfo?.server")
    upload_big(3)  # another model: the same drawing goes to it
    wait_for_digit(page, "3")
    assert len(sent) == 2
    page.context.close()


@pytest.mark.parametrize("size", [(1366, 900), (390, 844)], ids=["laptop", "phone"])
def test_the_train_tabs_tables_fit_and_the_mistakes_captions_are_whole(browser, app_url, size):
    width, height = size
    page = open_page(browser, app_url, viewport={"width": width, "height": height})
    page.get_by_role("tab", name="Train").click()
    page.get_by_label("Hidden layers: units per layer, comma-separated").fill("8")
    page.get_by_label("Epochs").fill("1")
    page.get_by_label("Batch size").fill("64")  # a weak model: it makes mistakes to show
    page.get_by_role("button", name="Train", exact=True).click()
    page.get_by_text("Press Use this model to draw with it").wait_for()
    page.wait_for_selector("#mistakes img")
    for table in ("#confusion table", "#per-digit table"):
        fits = page.evaluate(f"""() => {{
            const table = document.querySelector({table!r}), column = table.closest('.column, .gr-column, [class*="column"]');
            return table.getBoundingClientRect().right <= column.getBoundingClientRect().right + 1; }}""")
        assert fits, f"{table} runs past its column at {width} px"
    figures = page.locator("#mistakes figure")
    assert figures.count() > 0
    for i in range(min(figures.count(), 4)):
        figure = figures.nth(i)
        true, predicted = re.fullmatch(r"(\d) → (\d)", figure.locator("figcaption").inner_text()).groups()
        assert true != predicted
        assert f"true {true} → predicted {predicted}" in figure.get_attribute("title")  # the tooltip says it whole
        below = figure.evaluate("""(f) => f.querySelector('figcaption').getBoundingClientRect().top
                                          >= f.querySelector('img').getBoundingClientRect().bottom - 1""")
        assert below, "the caption covers its digit"
        assert figure.evaluate("(f) => f.getBoundingClientRect().right <= document.documentElement.clientWidth")
    assert page.get_by_role("radio", name="the lesson's recipe (seed)").count() == 1
    assert page.get_by_role("radio", name="Random seed").count() == 0
    page.locator("#confusion").scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / f"train-{width}.png"), full_page=True)
    page.context.close()


def test_step_shows_the_batch_the_loss_and_the_weight_change(browser, app_url):
    page = open_page(browser, app_url)
    page.get_by_role("tab", name="Train").click()
    page.get_by_role("radio", name="the lesson's recipe (seed)").check()
    page.get_by_role("button", name="Step", exact=True).click()
    page.wait_for_function("() => document.querySelectorAll('#step .digit-figures figure').length === 30")
    assert "Loss on this batch" in page.locator("#step").inner_text()
    assert page.locator("#step img.step-change").count() == 1
    assert page.locator("#step .gradient").count() == 4
    page.get_by_role("button", name="Step", exact=True).click()
    page.wait_for_function("() => /2 so far/.test(document.querySelector('#step h4').textContent)")
    page.locator("#step").scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / "step.png"), full_page=True)
    page.context.close()


@pytest.mark.parametrize("activation, meaning, counted, above", [
    ("relu", "ReLU switched it off", "units active", 0.0),
    ("sigmoid", "the sigmoid switches no unit off", "units above one half", 0.5),
    ("tanh", "between −1 and 1", "units above zero", 0.0),
])
def test_the_hidden_layers_words_say_what_is_true_of_the_active_models_activation(browser, app_url, activation,
                                                                                  meaning, counted, above):
    """"black = zero or negative: switched off" and "64 of 64 active" were said of a sigmoid network,
    whose outputs are all above zero and whose units are never switched off."""
    page = open_page(browser, app_url)
    torch.manual_seed(0)
    page.evaluate("(payload) => mnistDemo.pipeline.setModel(payload)",
                  model_payload(Classifier(MLP((16, 16), activation))))
    page.get_by_role("tab", name="Explore").click()
    page.wait_for_selector("#explore-sketch canvas")
    draw_mouse(page, 3, "#explore-sketch canvas")
    page.wait_for_function("(counted) => document.querySelector('#layers figcaption')?.textContent.includes(counted)",
                           arg=counted)
    assert meaning in page.locator("#layers .heading").inner_text()
    caption = page.locator("#layers figcaption .active").first.inner_text()
    first_layer = page.evaluate("() => Array.from(mnistDemo.pipeline.state.result.forward.activations[0])")
    assert caption == f"layer 1: {sum(v > above for v in first_layer)} of 16 {counted}"
    page.context.close()


def test_a_score_that_rounds_to_zero_reads_0_0_never_minus_0_0(page):
    chart = "(values) => { const chart = document.createElement('div'); mnistDemo.bars.paint(chart, values, " \
            "{ signed: true }); return Array.from(chart.querySelectorAll('.value'), (v) => v.textContent); }"
    shown = page.evaluate(chart, [-0.04, 0.04, -0.05, 2.26, -3.0, 0, 0, 0, 0, 0])
    assert shown[:5] == ["0.0", "0.0", "-0.1", "2.3", "-3.0"]  # (it said "-0.0")


def test_the_browser_tabs_title_is_in_the_pages_language(browser, app_url):
    page = open_page(browser, app_url, locale="zh-CN")
    page.wait_for_function("(title) => document.title === title", arg=TEXTS["zh-CN"]["page_title"])  # (it was English)
    page.context.close()


def test_the_dead_units_list_says_none_plainly_and_explains_only_units_that_exist(browser, app_url):
    """It read "layer 1: 0 of 64: none", and explained "those units" under a list of none."""
    page = open_page(browser, app_url)
    page.get_by_role("tab", name="Explore").click()
    page.wait_for_selector("#neuron")
    box = "#neuron .neuron-dead"
    dead = {"sizes": [64, 64, 64], "activation": "relu", "images": 100}
    page.evaluate("(dead) => mnistDemo.neuron.setDead(dead)", {**dead, "units": [[], [7, 9], []]})
    page.wait_for_function("(s) => document.querySelector(s)?.textContent.includes('layer 1: none of 64')", arg=box)
    said = page.locator(box).inner_text()
    assert "layer 2: 2 of 64" in said and "layer 3: none of 64" in said and "of 64 none" not in said
    page.evaluate("(dead) => mnistDemo.neuron.setDead(dead)", {**dead, "units": [[], [], []]})
    page.wait_for_function("(s) => document.querySelector(s)?.textContent.startsWith('No dead units')", arg=box)
    assert page.locator(f"{box} li, {box} .neuron-dead-means").count() == 0
    page.context.close()


def test_moving_a_units_bias_is_a_what_if_of_the_neuron_view_alone(browser, app_url, shipped):
    """The class moves the selected unit's bias and watches z, the point on the curve and the output
    move; the network's own bias, its answer and the model are untouched."""
    page = open_page(browser, app_url)
    page.get_by_role("tab", name="Explore").click()
    draw_mouse(page, 3, "#explore-sketch canvas")
    click_unit(page, 5)
    page.wait_for_function("() => mnistDemo.neuron.state.shown?.unit === 5")
    real, answer = page.evaluate("() => [mnistDemo.neuron.state.shown, Array.from(mnistDemo.pipeline.state.result.forward.probabilities)]")
    reach = page.evaluate("() => mnistDemo.neuron.state.reach")
    shift = -(real["sum"] + 1.0)  # enough to take a switched-on unit below zero (ReLU: off)
    page.evaluate("(v) => { const s = document.querySelector('#neuron input.neuron-shift'); s.value = String(v);"
                  " s.dispatchEvent(new Event('input', { bubbles: true })); }", round(shift, 1))
    shift = round(shift, 1)
    page.wait_for_function("() => mnistDemo.neuron.state.shift !== 0")
    shown = {name: float(page.locator(f"#neuron .neuron-{name}").inner_text()) for name in ("bias", "sum", "output")}
    assert shown["bias"] == pytest.approx(real["bias"] + shift, abs=2e-3)
    assert shown["sum"] == pytest.approx(real["sum"] + shift, abs=2e-3)
    assert shown["output"] == pytest.approx(max(0.0, real["sum"] + shift), abs=2e-3)
    assert "its own" in page.locator("#neuron .neuron-shift-said").inner_text()
    after = page.evaluate("() => [mnistDemo.neuron.state.shown, Array.from(mnistDemo.pipeline.state.result.forward.probabilities),"
                          " mnistDemo.pipeline.state.model.layers[0].b[5]]")
    assert after[0] == real and after[1] == answer  # the network itself, and its answer, as they were
    assert after[2] == pytest.approx(shipped.model.layers[0].bias[5].item(), abs=1e-6)
    assert page.evaluate("() => mnistDemo.neuron.state.reach") >= reach  # (the curve's range never shrinks)
    page.locator("#neuron .neuron-shift-reset").click()
    page.wait_for_function("(s) => document.querySelector('#neuron .neuron-sum').textContent === s", arg=f"{real['sum']:.3f}")
    page.context.close()


def test_the_neuron_curve_writes_out_the_slope_below_zero_and_no_value_over_its_axis(browser, app_url):
    """Leaky ReLU's 0.01 slope cannot be told from ReLU's 0 by eye, so the curve says it in words; its
    lowest value (-0.04 over a reach of 4) sat on the z axis and is left out; sigmoid has no such words."""
    page = open_page(browser, app_url, locale="zh-CN")
    page.get_by_role("tab", name="探索网络").click()
    page.wait_for_function("() => mnistDemo.neuron?.state.labels.length > 0")
    drawn = page.evaluate("() => mnistDemo.neuron.state.labels.map((l) => l.text)")
    assert "0 以下的斜率：0" in drawn and {"z", "f(z)"} <= set(drawn)  # the shipped MLP's ReLU, in Chinese

    def labels(activation: str, r: float = 4) -> list[dict]:
        return page.evaluate("""([a, r]) => { const low = Math.min(0, ...mnistDemo.neuron.curve(a, [-r]));
            const high = Math.max(...mnistDemo.neuron.curve(a, [r]));
            const X = (z) => 18 + (z + r) / (2 * r) * 324, Y = (y) => 152 - (y - low) / (high - low) * 134;
            return mnistDemo.neuron.curveLabels(a, r, low, high, X, Y, 12, (s) => `slope ${s}`)
              .map((l) => ({ ...l, axis: Y(0) })); }""", [activation, r])

    leaky = labels("leaky_relu")
    assert [l["text"] for l in leaky if l["text"].startswith("slope")] == ["slope 0.01"]
    assert "-0.04" not in [l["text"] for l in leaky]
    assert all(abs(l["y"] - l["axis"]) > 2 or l["text"] in ("z",) for l in leaky if l["align"] == "right" and l["x"] < 180)
    assert "-1" in [l["text"] for l in labels("tanh")]  # (far enough from the axis: kept)
    assert not [l for l in labels("sigmoid") if l["text"].startswith("slope")]
    page.context.close()


def test_the_teach_prompt_is_in_the_language_picked_before_the_tab_was_first_opened(browser, app_url):
    """Gradio draws the Teach tab when it is first opened: a prompt worded in English at the page's
    load stayed English after Chinese was picked in Settings."""
    page = open_page(browser, app_url)
    page.get_by_text("Settings").click()
    page.get_by_role("combobox", name="Language").click()
    page.get_by_role("option", name="简体中文").click()
    page.mouse.click(100, 500)  # close the settings panel
    page.get_by_role("tab", name="写数字").wait_for()
    page.get_by_role("tab").nth(3).click()
    page.wait_for_function("(asked) => document.querySelector('#ask .ask')?.textContent === asked",
                           arg=TEXTS["zh-CN"]["ask_digit"].format(digit=0))
    page.context.close()
