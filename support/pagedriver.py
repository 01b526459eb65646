"""Driving the app's page in Debian's Chromium with Playwright (browser tests and benchmarks)."""

import shutil
from pathlib import Path

import numpy as np

from mnist_model import pen_digits
from mnist_model.pen import PAD_SIZE
from support.strokes import DIGITS

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--no-first-run", "--disable-sync"]
PAD = "#sketch canvas"  # the Draw tab's pad: a stable hook (README)
DIGIT = "#prediction .digit"  # the digit the page shows: a stable hook (README)
EARLY_PAD = "#early-pad canvas"  # the pad before the page (static/early_pad.js)
GRADIOS_OWN = "**/assets/*.js"  # Gradio's own scripts (its template's; its stylesheet, 7 KB, comes first)
FAILURES = Path(__file__).resolve().parent.parent / "tests" / "browser" / "artifacts"  # (git-ignored) screenshots of failures
# ms: how long anything waits for the page (a run's end, an answer, a click): a right page on a busy
# 2-core machine is slow, never this slow. Every page's default (new_page); tests name no shorter wait.
PATIENCE = 180_000


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


def new_page(browser, **context):
    """A new page in its own context (its own visitor session) that waits up to PATIENCE for anything."""
    page = browser.new_context(**context).new_page()
    page.set_default_timeout(PATIENCE)
    page.set_default_navigation_timeout(PATIENCE)
    return page


def open_page(browser, url, **context):
    """A new page (new_page) of the app, once the pad holds a model."""
    page = new_page(browser, **{"viewport": {"width": 1280, "height": 1100}, **context})
    page.goto(url)
    page.wait_for_selector(PAD)
    page.wait_for_function("() => window.mnistDemo?.pipeline?.state.modelInfo !== null")
    # the model line, once filled ("…" until then), moves the pad down: strokes must wait for it
    page.wait_for_function("() => !document.querySelector('#model-info')?.textContent.includes('…')")
    settle(page)
    return page


def finished_run(page, runs: int) -> None:
    """Wait until the Train tab's `runs`-th run (of an English page) has finished: its curves and its
    progress arrive together, so once the plots' legend has `runs` runs, "Finished." is this run's
    (the run before's summary, still shown while this one goes, is not)."""
    page.wait_for_function("(n) => document.querySelectorAll('#loss-plot .plot-legend li').length === n", arg=runs)
    page.wait_for_function("() => document.querySelector('#train-progress')?.textContent.includes('Finished.')")


def settle(page, selector: str = PAD):
    """Wait until the pad stops moving (the page is still laying out after it loads), so that strokes
    computed from its position land where they are meant to."""
    page.evaluate("""async (selector) => {
      await document.fonts.ready;
      let last = '', still = 0;
      while (still < 5) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        const box = JSON.stringify(document.querySelector(selector).getBoundingClientRect());
        still = box === last ? still + 1 : 0;
        last = box;
      }
    }""", selector)


def strokes_on(page, digit: int, selector: str = PAD) -> list[list[tuple[float, float]]]:
    """The digit's strokes in the page's coordinates, drawn across most of the pad's height."""
    box = page.locator(selector).bounding_box()
    return [[(box["x"] + box["width"] * (0.5 + (x - 0.5) * 0.5), box["y"] + box["height"] * (0.15 + 0.7 * y))
             for x, y in stroke] for stroke in DIGITS[digit]]


def draw_mouse(page, digit: int, selector: str = PAD, steps: int = 2):
    for points in strokes_on(page, digit, selector):
        page.mouse.move(*points[0])
        page.mouse.down()
        for point in points[1:]:
            page.mouse.move(*point, steps=steps)
        page.mouse.up()


def draw_touch(page, digit: int, selector: str = PAD):
    """Strokes as a finger makes them: Chrome DevTools Protocol touch events (needs has_touch=True)."""
    cdp = page.context.new_cdp_session(page)
    for points in strokes_on(page, digit, selector):
        cdp.send("Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": [_at(points[0])]})
        for point in points[1:]:
            cdp.send("Input.dispatchTouchEvent", {"type": "touchMove", "touchPoints": [_at(point)]})
        cdp.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})
    cdp.detach()


def draw_pen(page, digit: int, selector: str = PAD):
    """Strokes as a stylus makes them: Chrome DevTools Protocol mouse events with pointerType "pen"."""
    cdp = page.context.new_cdp_session(page)
    for points in strokes_on(page, digit, selector):
        pen = {"pointerType": "pen", "button": "left", "force": 0.5}
        cdp.send("Input.dispatchMouseEvent", {"type": "mouseMoved", **_at(points[0]), "pointerType": "pen"})
        cdp.send("Input.dispatchMouseEvent", {"type": "mousePressed", **_at(points[0]), **pen, "clickCount": 1})
        for point in points[1:]:
            cdp.send("Input.dispatchMouseEvent", {"type": "mouseMoved", **_at(point), **pen, "buttons": 1})
        cdp.send("Input.dispatchMouseEvent", {"type": "mouseReleased", **_at(points[-1]), **pen, "clickCount": 1})
    cdp.detach()


def _at(point) -> dict:
    return {"x": point[0], "y": point[1]}


def hold(page, pattern: str):
    """The page's requests for `pattern` wait until the returned function is called."""
    held = []
    page.route(pattern, lambda route: held.append(route) if held is not None else route.continue_())

    def release():
        nonlocal held
        waiting, held = held, None
        for route in waiting:
            route.continue_()
    return release


def shown_digit(page) -> str | None:
    return page.evaluate(f"() => document.querySelector({DIGIT!r})?.textContent || null")


def wait_for_digit(page, expected: str) -> None:
    """Wait until the page shows `expected` as its answer: an assertion that fails, saying what the
    page showed instead and leaving a screenshot in tests/browser/artifacts/, when it does not in time."""
    try:
        page.wait_for_function(f"(d) => document.querySelector({DIGIT!r})?.textContent === d", arg=expected)
    except Exception:
        FAILURES.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(FAILURES / f"failed-{expected}.png"), full_page=True)
        raise AssertionError(f"expected the page to show {expected}, it shows {shown_digit(page)!r}") from None


def clear(page, selector: str = "#sketch"):
    """Press the pad's Clear and wait until the drawing is empty."""
    page.locator(f"{selector} button[data-action='clear']").click()
    page.wait_for_function("() => mnistDemo.drawing.state.strokes.length === 0")


def click_unit(page, unit: int, selector: str = "#weights"):
    """Click the first-layer unit `unit` in Explore's weights gallery (its tiles are 28 px and a
    pixel apart in the picture, which is shown scaled)."""
    image = page.locator(f"{selector} img.weights-tiles")
    image.wait_for()
    image.scroll_into_view_if_needed()
    box = image.bounding_box()
    natural, columns = image.evaluate("(img) => [img.naturalWidth, Math.round((img.naturalWidth - 1) / 29)]")
    scale = box["width"] / natural
    row, col = divmod(unit, columns)
    page.mouse.click(box["x"] + (1 + col * 29 + 14) * scale, box["y"] + (1 + row * 29 + 14) * scale)


# Draw each digit's strokes on the Draw tab's pad as pen pointer events, and take the page's 28 x 28
# input, its answer and the picture it would hand to Python. Points are in pad pixels.
DRAW_ALL = """([digits, pad]) => {
  const canvas = document.querySelector('#sketch canvas');
  const box = canvas.getBoundingClientRect();
  const at = ([x, y]) => ({clientX: box.left + x * box.width / pad, clientY: box.top + y * box.height / pad});
  const fire = (type, point) => canvas.dispatchEvent(new PointerEvent(type, {
    pointerId: 7, pointerType: 'pen', isPrimary: true, button: 0, buttons: type === 'pointerup' ? 0 : 1,
    bubbles: true, cancelable: true, ...at(point)}));
  return digits.map((strokes) => {
    mnistDemo.drawing.clear();
    for (const stroke of strokes) {
      fire('pointerdown', stroke[0]);
      for (const point of stroke.slice(1)) fire('pointermove', point);
      fire('pointerup', stroke[stroke.length - 1]);
    }
    const picture = mnistDemo.pipeline.picture();  // computes the frame's result now
    const {input, forward} = mnistDemo.pipeline.state.result;
    return {picture, input: input && Array.from(input), probabilities: forward && Array.from(forward.probabilities)};
  });
}"""


def draw_in_page(page, drawings: list) -> list[dict]:
    """Each drawing (a list of strokes in pad pixels) drawn on the pad in turn: the page's input,
    probabilities and picture for each."""
    return page.evaluate(DRAW_ALL, [drawings, PAD_SIZE])


def held_out_on_pad(count: int, heights: tuple[float, float], seed: int = 0, slant: float = 0.2) -> tuple[list, list]:
    """`count` held-out people's pen-written digits (mnist_model.pen_digits), each placed on the pad at a
    random height (a share of the pad's, between `heights`), place and slant: their strokes in pad
    pixels, and their labels."""
    digits = pen_digits.load_pen_digits()
    pool = np.flatnonzero(pen_digits.held_out(digits) & pen_digits.well_formed(digits))
    chosen = np.random.default_rng(seed).choice(pool, count, replace=False)
    placed = placed_on_pad([digits.strokes[i] for i in chosen], heights, seed, slant)
    return placed, [int(digits.labels[i]) for i in chosen]


def not_digits_on_pad(count: int, heights: tuple[float, float], seed: int = 0) -> list:
    """`count` drawings that are not a digit, placed on the pad as held_out_on_pad places digits: held-out
    people's letters (mnist_model.not_digits: none a reader may take for a digit) and, as many, held-out
    doodles of every kind (doodles of the held-out seed); their strokes in pad pixels."""
    from mnist_model import doodles, not_digits

    letters = pen_digits.read_once(not_digits.packed_file())
    held = not_digits.held_out_letters(letters, pen_digits.load_pen_digits()) & ~not_digits.digit_like(letters)
    chosen = np.random.default_rng(seed).choice(np.flatnonzero(held), count - count // 2, replace=False)
    drawn, _ = doodles.doodles(count // 2, not_digits.HELD_OUT_SEED)
    return placed_on_pad([letters.strokes[i] for i in chosen] + drawn, heights, seed, slant=0.0)


def placed_on_pad(drawings: list, heights: tuple[float, float], seed: int, slant: float) -> list:
    """Unit-box strokes (one list per drawing) placed on the pad, each at a random height (a share of the
    pad's, between `heights`), place and slant, in pad pixels."""
    rng = np.random.default_rng(seed + 1)
    placed = []
    margin = 4  # px: the ink stays on the pad
    for drawing in drawings:
        strokes = pen_digits.on_pad(drawing, rng.uniform(*heights) * PAD_SIZE, rng.uniform(-slant, slant), (0, 0))
        extent = np.concatenate(strokes).max(0)
        corner = rng.uniform(margin, PAD_SIZE - margin - extent)
        placed.append([(s + corner).round(2).tolist() for s in strokes])
    return placed
