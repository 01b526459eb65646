"""A real lesson, on a projector (1920 x 1080), a laptop (1366 x 768) and a phone (390 x 844), in
English and Chinese: the Train tab fits, a paced run shows its curves at once, Stop then Step goes on
from the stopped run, runs side by side each in its colour, projector mode scales what a class reads
and is remembered, nothing needs a run before there is one, small digits are read, and nothing is
left in English on the Chinese page.

The lesson's path (draw, explore, a paced run, Stop, Step, compare) is saved as screenshots in
tests/browser/artifacts/lesson-*.png, the README's classroom pictures.
"""

import re
from pathlib import Path

import numpy as np
import pytest

from app_ui.render import confusion_html, mistakes_html, per_digit_html
from mnist_model.config import PRESETS
from support.pagedriver import PAD, click_unit, draw_mouse, draw_touch, finished_run, open_page, wait_for_digit

ARTIFACTS = Path(__file__).parent / "artifacts"
SCREENS = {"projector": (1920, 1080), "laptop": (1366, 768), "phone": (390, 844)}
WORDS = {"en": {"train": "Train", "step": "Step", "stop": "Stop", "tab": "Train", "stopped": "(stopped)",
                "stepped": "Stepping the network of the run you stopped", "explore": "Explore"},
         "zh-CN": {"train": "开始训练", "step": "单步", "stop": "停止", "tab": "训练", "stopped": "（已停止）",
                   "stepped": "单步更新你停止的那次训练的网络", "explore": "探索网络"}}

pytestmark = pytest.mark.browser


@pytest.fixture(autouse=True)
def artifacts():
    ARTIFACTS.mkdir(exist_ok=True)


def opened(browser, app_url, screen: str, lang: str):
    width, height = SCREENS[screen]
    phone = screen == "phone"
    return open_page(browser, app_url, viewport={"width": width, "height": height}, locale=lang,
                     is_mobile=phone, has_touch=phone)


def in_view(page, selector: str) -> bool:
    return page.evaluate("""(s) => { const r = document.querySelector(s).getBoundingClientRect();
        return r.width > 0 && r.top >= 0 && r.bottom <= window.innerHeight; }""", selector)


def settled(page):
    """Wait until no CSS transition runs (Gradio's buttons ease into a new size)."""
    page.wait_for_function("() => document.getAnimations().every((a) => a.playState !== 'running')")


def curves_inside_their_axes(page) -> bool:
    """Every point of every curve lies between its plot's lowest and highest grid lines."""
    return page.evaluate("""() => [...document.querySelectorAll('.plot-area svg')].every((svg) => {
        const grid = [...svg.querySelectorAll('line.grid')];
        const ys = grid.filter((l) => l.getAttribute('y1') === l.getAttribute('y2')).map((l) => +l.getAttribute('y1'));
        const xs = grid.filter((l) => l.getAttribute('x1') === l.getAttribute('x2')).map((l) => +l.getAttribute('x1'));
        return [...svg.querySelectorAll('polyline')].every((line) => line.getAttribute('points').split(' ').every((p) => {
            const [x, y] = p.split(',').map(Number);
            return y >= Math.min(...ys) - 0.5 && y <= Math.max(...ys) + 0.5 && x >= Math.min(...xs) - 0.5
                && x <= Math.max(...xs) + 0.5; }));
    })""")


def set_pace(page, pace: int):
    box = page.locator("#train-form input[type='number']").first
    box.fill(str(pace))
    box.press("Enter")


@pytest.mark.parametrize("lang", ["en", "zh-CN"])
@pytest.mark.parametrize("screen", ["projector", "laptop"])
def test_the_recipe_train_step_stop_and_the_loss_plot_are_in_view_together(browser, app_url, screen, lang):
    page = opened(browser, app_url, screen, lang)
    page.get_by_role("tab", name=WORDS[lang]["tab"]).click()
    page.wait_for_selector("#loss-plot")
    for selector in ("#train-form fieldset", "#train-button", "#step-button", "#stop-button", "#loss-plot .plot-frame"):
        assert in_view(page, selector), f"{selector} is not in view at {screen} in {lang}"
    page.screenshot(path=str(ARTIFACTS / f"lesson-train-{screen}-{lang}.png"))
    page.context.close()


@pytest.mark.parametrize("screen, lang", [("projector", "en"), ("projector", "zh-CN"), ("phone", "en")])
def test_a_paced_run_shows_its_curves_at_once_then_stop_then_step_goes_on_from_it(browser, app_url, screen, lang):
    words = WORDS[lang]
    page = opened(browser, app_url, screen, lang)
    page.get_by_role("tab", name=words["tab"]).click()
    page.locator("#train-form label:has-text('seed') input, #train-form label:has-text('（seed）') input").first.check()
    # the preset's values in the form first: arriving after the epochs, they took them back to the preset's
    # (a run of 13 s, which a slow machine could finish before the test pressed Stop)
    page.wait_for_function("(lr) => [...document.querySelectorAll('#train-form input[type=number]')].some("
                           "(i) => i.value === lr)", arg=str(PRESETS["seed"].lr))
    page.locator("#train-form input[type='number']").nth(1).fill("50")  # epochs: longer than the test watches
    set_pace(page, 10)
    page.locator("#train-button").click()
    # the loss curve within seconds, and the first accuracy point soon after (measured every 2 s or so)
    page.wait_for_function("() => document.querySelectorAll('#loss-plot polyline').length === 1")
    page.wait_for_function("() => document.querySelectorAll('#mnist-plot polyline, #mnist-plot circle').length > 0")
    assert curves_inside_their_axes(page)  # (a fresh network's loss, 2.3, above a 0-2 axis was drawn off the plot)
    assert not page.locator("#loss-plot .plot-empty").is_visible()
    axis = page.locator("#loss-plot .axis-title").first.text_content()
    assert axis in (("steps", "epochs") if lang == "en" else ("步数", "轮数"))  # (curves.py decides which)
    page.screenshot(path=str(ARTIFACTS / f"lesson-paced-{screen}-{lang}.png"))
    page.locator("#stop-button").click()
    # the run's own end: its curve kept, labelled stopped (not the progress line: Stop's own reply,
    # "Stopping…", can reach it after the run's last message, and stay)
    page.wait_for_function("(w) => document.querySelector('#loss-plot .plot-legend').textContent.includes(w)",
                           arg=words["stopped"])
    assert "50" in page.locator("#loss-plot .plot-legend").inner_text()  # the epochs asked for, not the preset's
    page.locator("#step-button").click()
    page.wait_for_function("(w) => document.querySelector('#step')?.textContent.includes(w)", arg=words["stepped"])
    steps = int(re.search(r"(\d+)", page.locator("#step h4").inner_text())[1])
    assert steps > 1  # the stopped run's steps, and this one
    page.locator("#step").scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / f"lesson-step-{screen}-{lang}.png"))
    page.context.close()


def test_runs_side_by_side_each_in_its_own_colour_with_a_whole_legend(browser, app_url):
    page = opened(browser, app_url, "laptop", "en")
    page.get_by_role("tab", name="Train").click()
    for seed in ("1", "2"):
        page.get_by_label("Hidden layers: units per layer, comma-separated").fill("16")
        page.get_by_label("Epochs").fill("1")
        page.get_by_text("More settings").click() if seed == "1" else None
        page.get_by_label("Random seed").fill(seed)
        page.locator("#train-button").click()
        finished_run(page, int(seed))
    for plot in ("#loss-plot", "#mnist-plot", "#drawn-plot"):
        colours = page.evaluate(f"() => [...document.querySelectorAll('{plot} polyline')].map((p) => p.getAttribute('stroke'))")
        assert len(colours) == 2 and len(set(colours)) == 2, f"{plot}: {colours}"
        legend = page.locator(f"{plot} .plot-legend li")
        assert legend.count() == 2 and "seed 2" in legend.nth(1).inner_text()
        fits = page.evaluate(f"""() => [...document.querySelectorAll('{plot} .plot-legend li')].every((li) => {{
            const r = li.getBoundingClientRect(), f = document.querySelector('{plot}').getBoundingClientRect();
            return r.left >= f.left - 1 && r.right <= f.right + 1 && r.height > 0; }})""")
        assert fits, f"{plot}'s legend runs out of its plot"
    page.locator("#mnist-plot").scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / "lesson-compare.png"))
    page.context.close()


@pytest.mark.parametrize("screen, lang", [("laptop", "en"), ("phone", "zh-CN")])
def test_nothing_that_needs_a_run_can_be_pressed_before_there_is_one(browser, app_url, screen, lang):
    page = opened(browser, app_url, screen, lang)
    page.get_by_role("tab", name=WORDS[lang]["tab"]).click()
    for name in (("Use this model", "Save", "Download") if lang == "en" else ("使用这个模型", "保存", "下载")):
        assert page.get_by_role("button", name=name, exact=True).is_disabled(), name
    assert page.locator(".toast-body, [data-testid='toast-body']").count() == 0
    page.context.close()


def test_projector_mode_scales_what_a_class_reads_and_is_remembered(browser, app_url):
    page = opened(browser, app_url, "projector", "en")
    sizes = """() => Object.fromEntries([['tab', 'button[role=tab]'], ['probability', '#prediction .bars .label'],
        ['caption', '#prediction figcaption'], ['button', '#sketch .pad-tools button'],
        ['preview', '#prediction .pixels']].map(([k, s]) => {
          const e = document.querySelector(s);
          return [k, k === 'preview' ? e.getBoundingClientRect().width : parseFloat(getComputedStyle(e).fontSize)]; }))"""
    normal = page.evaluate(sizes)
    page.get_by_label("Projector mode (large text)").check()
    page.wait_for_function("() => document.body.classList.contains('projector')")
    settled(page)
    large = page.evaluate(sizes)
    for what in normal:
        assert large[what] >= 1.4 * normal[what], f"{what}: {normal[what]} -> {large[what]}"
    page.get_by_role("tab", name="Train").click()
    axis = page.evaluate("() => parseFloat(getComputedStyle(document.querySelector('#loss-plot .plot-title')).fontSize)")
    assert axis >= 20
    page.screenshot(path=str(ARTIFACTS / "lesson-projector.png"))
    page.reload()
    page.wait_for_function("() => document.body.classList.contains('projector')")
    assert page.get_by_label("Projector mode (large text)").is_checked()
    page.get_by_label("Projector mode (large text)").uncheck()
    page.context.close()


def test_full_screen_shows_the_pad_and_the_answer_only(browser, app_url):
    page = opened(browser, app_url, "laptop", "en")
    page.locator("#sketch button[data-action='fullscreen']").click()
    page.wait_for_function("() => document.fullscreenElement?.id === 'draw-area'")
    assert page.locator(PAD).is_visible() and page.locator("#prediction").is_visible()
    assert not page.locator("#upload").is_visible()
    page.context.close()


@pytest.mark.parametrize("screen, lang", [("projector", "en"), ("projector", "zh-CN"), ("phone", "en"),
                                           ("phone", "zh-CN")])
def test_the_draw_and_explore_path_of_a_lesson(browser, app_url, screen, lang):
    page = opened(browser, app_url, screen, lang)
    draw_mouse(page, 4)
    wait_for_digit(page, "4")
    page.screenshot(path=str(ARTIFACTS / f"lesson-draw-{screen}-{lang}.png"))
    page.get_by_role("tab", name=WORDS[lang]["explore"]).click()
    page.wait_for_function("() => document.querySelectorAll('#inside img').length === 2")
    page.locator("#weights img.weights-tiles").wait_for()  # (the gallery comes when Explore is first opened)
    caption = page.locator("#weights figcaption").bounding_box()
    tiles = page.locator("#weights img.weights-tiles").bounding_box()
    frame = page.locator("#weights").bounding_box()
    assert caption["y"] + caption["height"] <= tiles["y"] + 1  # the caption above the tiles, not over them
    assert tiles["x"] >= frame["x"] - 1 and tiles["x"] + tiles["width"] <= frame["x"] + frame["width"] + 1
    click_unit(page, 12)
    page.wait_for_function("() => document.querySelectorAll('#unit img').length === 2")
    page.screenshot(path=str(ARTIFACTS / f"lesson-explore-{screen}-{lang}.png"), full_page=True)
    page.context.close()


def test_a_digit_drawn_small_is_read(browser, app_url):
    page = opened(browser, app_url, "laptop", "en")
    box = page.locator(PAD).bounding_box()
    from support.strokes import DIGITS

    for digit in (3, 7, 4):
        for stroke in DIGITS[digit]:  # 15 % of the pad's height, near its top-left corner
            points = [(box["x"] + box["width"] * (0.2 + 0.1 * x), box["y"] + box["height"] * (0.2 + 0.15 * y))
                      for x, y in stroke]
            page.mouse.move(*points[0])
            page.mouse.down()
            for point in points[1:]:
                page.mouse.move(*point, steps=2)
            page.mouse.up()
        wait_for_digit(page, str(digit))
        page.locator("#sketch button[data-action='clear']").click()
    page.context.close()


def english_left(page, tab: str) -> list[str]:
    """Runs of three English words on a tab of the Chinese page (its own names aside, there are none)."""
    page.get_by_role("tab", name=tab).click()
    if tab == "探索网络":  # (the gallery's caption comes from the server, in the page's language)
        page.wait_for_function("() => /[\\u4e00-\\u9fff]/.test("
                               "document.querySelector('#weights .weights-caption')?.textContent || '')")
    return re.findall(r"\b[A-Za-z]{2,} [A-Za-z]{2,} [A-Za-z]{2,}\b", page.locator(".tabitem:visible").first.inner_text())


def test_nothing_is_left_in_english_on_the_chinese_page(browser, app_url):
    page = opened(browser, app_url, "laptop", "zh-CN")
    for tab in ("写数字", "探索网络", "教它认字"):
        assert not english_left(page, tab), f"left in English on {tab}: {english_left(page, tab)}"
    page.get_by_role("tab", name="训练").click()
    page.get_by_label("隐藏层：每层神经元个数，用逗号分隔").fill("16")
    page.get_by_label("训练轮数").fill("1")
    page.locator("#train-button").click()
    page.get_by_text("按 使用这个模型 即可").wait_for()
    text = page.locator("#train-area").inner_text()
    for english in ("loss", "accuracy", "epochs", "steps", " run", "Error", "cpu", "CPU)", "Press"):
        assert english not in text.replace("MNIST", ""), f"{english!r} left in English"
    assert "处理器" in text  # the device, in words
    # the model picker's names and figures, the name box's example, the footer: no word but a textbook's
    page.get_by_role("button", name="已保存的模型").click()
    page.get_by_label("已保存的检查点").click()
    options = page.locator("[role=option]").all_inner_texts()
    assert len(options) == 2 and all("%" in o and latin_words(o) <= TEXTBOOK for o in options), options
    assert latin_words(page.get_by_label("保存为（字母、数字、- 和 _）").get_attribute("placeholder")) <= TEXTBOOK
    page.keyboard.press("Escape")
    # (Gradio's run history would add a footer link "Runs", in English, once a call is recorded)
    assert latin_words(page.locator("footer").inner_text()) <= TEXTBOOK | {"api", "gradio"}
    assert page.evaluate("() => window.gradio_config.run_history") is False
    page.screenshot(path=str(ARTIFACTS / "lesson-zh-train.png"), full_page=True)
    assert not english_left(page, "探索网络")  # after a run: the gallery's frames
    page.context.close()


# the names a Chinese textbook writes in Latin letters too (in any case: a model's name "mnist-1")
TEXTBOOK = {"relu", "leaky", "sigmoid", "tanh", "softmax", "mnist", "cnn", "mlp"}


def latin_words(text: str) -> set[str]:
    return {word.lower() for word in re.findall(r"[A-Za-z]{2,}", text)}


def shown_as_results(page, html: dict[str, str]):
    """Python's HTML for the Train tab's results (selector -> HTML), put where a run's results go: a
    finished run on the full data set, without training one."""
    page.get_by_role("tab", name=WORDS["en"]["tab"]).click()
    page.locator("#train-button").wait_for()
    for selector, content in html.items():
        page.evaluate("([s, h]) => { document.querySelector(s).innerHTML = h; }", [selector, content])


FULL_CONFUSION = (np.eye(10, dtype=int) * 1000 + 7).tolist()  # four-digit counts, as on MNIST's 10,000 test digits


def test_on_a_phone_a_table_wider_than_the_screen_fades_at_the_edge_it_scrolls_to(browser, app_url):
    page = opened(browser, app_url, "phone", "en")
    shown_as_results(page, {"#confusion": confusion_html(FULL_CONFUSION, "en")})
    box = "#confusion .table-fit"
    page.wait_for_function("(s) => document.querySelector(s)?.classList.contains('more')", arg=box)
    assert page.evaluate("(s) => getComputedStyle(document.querySelector(s)).maskImage", box) != "none"
    page.locator(box).scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / "lesson-confusion-phone.png"))
    page.evaluate("(s) => { const b = document.querySelector(s); b.scrollLeft = b.scrollWidth; }", box)
    page.wait_for_function("(s) => !document.querySelector(s)?.classList.contains('more')", arg=box)
    page.context.close()
    page = opened(browser, app_url, "laptop", "en")  # where it fits, nothing fades
    shown_as_results(page, {"#confusion": confusion_html(FULL_CONFUSION, "en")})
    page.wait_for_function("(s) => document.querySelector(s)?.getBoundingClientRect().width > 0", arg=box)
    assert not page.evaluate("(s) => document.querySelector(s).classList.contains('more')", box)
    page.context.close()


def test_projector_mode_enlarges_the_train_tabs_tables(browser, app_url):
    page = opened(browser, app_url, "projector", "en")
    shown_as_results(page, {"#per-digit": per_digit_html([0.99] * 10, [0.9] * 10, "en"),
                            "#confusion": confusion_html(FULL_CONFUSION, "en")})
    sizes = """() => ['#per-digit td', '#per-digit th', '#confusion td', '#confusion th'].map(
        (s) => parseFloat(getComputedStyle(document.querySelector(s)).fontSize))"""
    normal = page.evaluate(sizes)
    page.get_by_label("Projector mode (large text)").check()
    page.wait_for_function("() => document.body.classList.contains('projector')")
    large = page.evaluate(sizes)
    assert all(big >= 1.4 * small for small, big in zip(normal, large)), f"{normal} -> {large}"
    page.locator("#per-digit").scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / "lesson-projector-tables.png"))
    page.get_by_label("Projector mode (large text)").uncheck()
    page.context.close()


def test_in_projector_mode_the_mistakes_captions_stand_apart(browser, app_url):
    """Each misclassified digit's "true → predicted" is apart from the next one's ("5 → 24 → 52 → 3"
    read as one run on a projector)."""
    page = opened(browser, app_url, "projector", "en")
    pairs = [("mnist", t, (t + 3) % 10, np.zeros((28, 28), np.float32)) for t in range(8)]
    shown_as_results(page, {"#mistakes": mistakes_html(pairs, "en")})
    page.get_by_label("Projector mode (large text)").check()
    page.wait_for_function("() => document.body.classList.contains('projector')")
    boxes = page.evaluate("""() => [...document.querySelectorAll('#mistakes figcaption')].map((c) => {
        const r = c.getBoundingClientRect(); return [r.left, r.right, r.top, parseFloat(getComputedStyle(c).fontSize)]; })""")
    assert len(boxes) == 8 and all(size >= 18 for *_, size in boxes)
    for (_, right, top, size), (left, _, next_top, _) in zip(boxes, boxes[1:]):
        if abs(top - next_top) < 1:  # side by side: a letter's width apart at least
            assert left - right >= 0.6 * size, boxes
    page.get_by_label("Projector mode (large text)").uncheck()
    page.context.close()


def test_on_a_phone_the_accuracy_plots_step_labels_stand_apart(browser, app_url):
    page = opened(browser, app_url, "phone", "en")
    page.get_by_role("tab", name="Train").click()
    page.get_by_label("Hidden layers: units per layer, comma-separated").fill("16")
    page.get_by_role("spinbutton", name="Epochs").fill("2")  # (plotted in epochs: 0, 0.5, 1, ... when there is room)
    page.locator("#train-button").click()
    page.get_by_text("Press Use this model to draw with it").last.wait_for()
    for plot in ("#loss-plot", "#mnist-plot", "#drawn-plot"):  # (a gap of half a letter, at least, between them)
        boxes = page.evaluate(f"""() => [...document.querySelectorAll('{plot} .axes text[text-anchor=middle]')]
            .filter((t) => !t.classList.contains('axis-title')).map((t) => [t.getBoundingClientRect(),
              parseFloat(getComputedStyle(t).fontSize)]).map(([r, f]) => [r.left, r.right, f]).sort((a, b) => a[0] - b[0])""")
        assert len(boxes) >= 2, plot
        assert all(a[1] + a[2] / 2 <= b[0] for a, b in zip(boxes, boxes[1:])), f"{plot}: {boxes}"
    page.locator("#mnist-plot").scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / "lesson-plots-phone.png"))
    page.context.close()


def test_on_a_phone_explore_shows_the_layers_and_the_pad_together_while_drawing(browser, app_url):
    page = opened(browser, app_url, "phone", "en")
    page.get_by_role("tab", name=WORDS["en"]["explore"]).click()
    pad = "#explore-sketch canvas"
    page.locator(pad).scroll_into_view_if_needed()
    draw_touch(page, 4, pad)
    page.wait_for_function("() => !document.querySelector('#layers .live-layers').classList.contains('empty')")
    for selector in (pad, "#layers .layer canvas", "#layers .bars.probabilities"):
        assert in_view(page, selector), f"{selector} is not in view while drawing on a phone"
    page.screenshot(path=str(ARTIFACTS / "lesson-explore-phone.png"))
    page.context.close()


# Every text a class reads, visible, whose size on the screen is under `limit` px: [size, where, text];
# an SVG's text at its drawn size, a canvas's (the neuron's curve) at the size it draws its text with.
SMALL_TEXT = """(limit) => {
  const shown = (e) => { for (let n = e; n && n !== document.body; n = n.parentElement) {
      const s = getComputedStyle(n);
      if (s.display === 'none' || s.visibility === 'hidden' || parseFloat(s.opacity) === 0 || n.classList.contains('sr-only'))
        return false; } return true; };
  const small = [];
  const walker = document.createTreeWalker(document.querySelector('.gradio-container'), NodeFilter.SHOW_TEXT);
  for (let t = walker.nextNode(); t; t = walker.nextNode()) {
    const e = t.parentElement, words = t.textContent.trim();
    if (!words || !e || e.closest('footer') || !e.getBoundingClientRect().width || !shown(e)) continue;
    let size = parseFloat(getComputedStyle(e).fontSize);
    if (e.closest('svg')) { const m = e.getScreenCTM(); size *= Math.hypot(m.a, m.b); }
    if (size < limit) small.push([size, e.closest('[id]')?.id, words.slice(0, 40)]);
  }
  for (const canvas of document.querySelectorAll('canvas.neuron-curve'))
    if (canvas.getBoundingClientRect().width && parseFloat(getComputedStyle(canvas).fontSize) < limit)
      small.push([parseFloat(getComputedStyle(canvas).fontSize), 'neuron-curve', '(its ticks and axes)']);
  return small; }"""


def test_in_projector_mode_no_text_a_class_reads_is_under_18_px(browser, app_url):
    """From the back of a room: the recipes' names, the switches, the layers' captions, the neuron's
    curve, the answer's percentage, the plots' ticks, Step's "(99%)" were 13.6 to 17.6 px."""
    page = opened(browser, app_url, "projector", "en")
    page.get_by_label("Projector mode (large text)").check()
    page.wait_for_function("() => document.body.classList.contains('projector')")
    draw_mouse(page, 3)
    wait_for_digit(page, "3")
    small = {"Draw": page.evaluate(SMALL_TEXT, 18)}
    page.get_by_role("tab", name="Train").click()
    page.locator("#train-button").click()
    finished_run(page, 1)
    page.locator("#step-button").click()
    page.wait_for_function("() => /\\(\\d+%\\)/.test(document.querySelector('#step')?.textContent)")
    small["Train"] = page.evaluate(SMALL_TEXT, 18)
    page.get_by_role("tab", name="Explore").click()
    click_unit(page, 5)
    page.wait_for_function("() => document.querySelector('canvas.neuron-curve')?.getBoundingClientRect().width > 0")
    small["Explore"] = page.evaluate(SMALL_TEXT, 18)
    page.get_by_role("tab", name="Teach").click()
    page.wait_for_selector("#teach-sketch canvas")
    small["Teach"] = page.evaluate(SMALL_TEXT, 18)
    page.screenshot(path=str(ARTIFACTS / "projector-explore.png"))
    assert small == {"Draw": [], "Train": [], "Explore": [], "Teach": []}
    page.get_by_label("Projector mode (large text)").uncheck()
    page.context.close()
