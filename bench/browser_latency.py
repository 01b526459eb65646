"""Browser-perceived latency of the answer, side by side in one run: the live pad against the
Sketchpad path the app had before it.

Both apps run here (`python app.py`, and bench/sketchpad_app.py: Gradio's Sketchpad with the
answer computed on the server after each stroke) and are drawn on in Debian's Chromium (headless,
software rendering) with the mouse; the clock is the page's own (performance.now()).

  pad         from a pointer move to the frame after the one that painted its answer: the earliest
              move not yet answered is the one timed, so several moves in one frame count once, at
              their worst; moves 30 ms apart, strokes of 20 moves
  Sketchpad   from the pointer-up that ends a stroke (it answers only then) to the frame after the
              answer appeared

    python -m bench.browser_latency [--strokes 15]
"""

import argparse
import statistics
import sys
import tempfile
from pathlib import Path

import numpy as np

from bench.machine import describe
from support.apprunner import running_app
from support.pagedriver import PAD, chromium_missing, launch, open_page

# every answered frame: the time since the earliest pointer move it answered
ARM_PAD = """() => {
  window.__latencies = []; let pending = null;
  document.querySelector('#sketch canvas').addEventListener('pointermove', (e) => {
    if (pending === null) pending = e.timeStamp; }, {capture: true});
  mnistDemo.pipeline.on('result', () => {
    if (pending === null) return;
    const since = pending; pending = null;
    requestAnimationFrame(() => window.__latencies.push(performance.now() - since));
  });
}"""
# pointer-up, then the answer's appearance
ARM_SKETCHPAD = """() => {
  window.__latencies = []; let up = null;
  window.addEventListener('pointerup', (e) => { up = e.timeStamp; }, {capture: true});
  new MutationObserver(() => {
    if (up !== null && document.querySelector('#prediction .digit')) {
      const since = up; up = null;
      requestAnimationFrame(() => window.__latencies.push(performance.now() - since));
    }
  }).observe(document.querySelector('#prediction'), {subtree: true, childList: true, characterData: true});
}"""


def stroke(page, points, pause_ms: float):
    page.mouse.move(*points[0])
    page.mouse.down()
    for point in points[1:]:
        page.mouse.move(*point)
        page.wait_for_timeout(pause_ms)
    page.mouse.up()


def line(box, step: int) -> list[tuple[float, float]]:
    """A slanted stroke across the drawing area, a little different each time."""
    x0, y0, side = box["x"], box["y"], box["width"]
    return [(x0 + side * (0.35 + 0.02 * (step % 5) + 0.3 * t / 20), y0 + side * (0.15 + 0.7 * t / 20)) for t in range(21)]


def measure_pad(browser, url: str, strokes: int) -> list[float]:
    page = open_page(browser, url)
    page.evaluate(ARM_PAD)
    box = page.locator(PAD).bounding_box()
    for i in range(strokes + 2):
        stroke(page, line(box, i), 30)
        page.locator("#sketch button[data-action='clear']").click()
    latencies = page.evaluate("window.__latencies")[40:]  # the first two strokes warm up
    page.context.close()
    return latencies


def measure_sketchpad(browser, url: str, strokes: int) -> list[float]:
    page = browser.new_page(viewport={"width": 1280, "height": 1100})
    page.goto(url)
    canvas = page.locator("#sketchpad div.pixi-target canvas").first
    canvas.wait_for(timeout=60_000)
    page.evaluate(ARM_SKETCHPAD)
    for i in range(strokes + 2):
        page.locator("#sketchpad button[aria-label='Brush']").first.click()
        box = canvas.bounding_box()
        zoom = float(page.locator("#sketchpad .zoom-number").first.inner_text().strip().rstrip("%")) / 100
        side = 280 * zoom  # the drawing area, centred in the canvas element at the displayed zoom
        area = {"x": box["x"] + (box["width"] - side) / 2, "y": box["y"] + (box["height"] - side) / 2, "width": side}
        stroke(page, line(area, i), 10)
        page.wait_for_function("(n) => window.__latencies.length >= n", arg=i + 1, timeout=60_000)
        page.locator("#sketchpad button[aria-label='Clear canvas']").first.click()
        page.wait_for_selector("#prediction .prompt", timeout=30_000)
    latencies = page.evaluate("window.__latencies")[2:]
    page.close()
    return latencies


def summary(latencies: list[float]) -> str:
    return (f"{len(latencies)} | {statistics.median(latencies):.1f} ms | {np.percentile(latencies, 95):.1f} ms | "
            f"{max(latencies):.1f} ms")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--strokes", type=int, default=15, help="strokes timed on each app (default: 15)")
    args = parser.parse_args()
    if reason := chromium_missing():
        sys.exit(reason)
    from playwright.sync_api import sync_playwright

    folder = Path(tempfile.mkdtemp(prefix="browser-latency-"))
    with sync_playwright() as p:
        browser = launch(p)
        with running_app(folder / "app.log", MNIST_APP_DIR=str(folder / "app")) as url:
            pad = measure_pad(browser, url, args.strokes)
        with running_app(folder / "sketchpad.log", command=("-m", "bench.sketchpad_app")) as url:
            sketchpad = measure_sketchpad(browser, url, args.strokes)
        browser.close()
    print(f"machine: {describe()}; headless Chromium, software rendering\n")
    print("| | answers timed | p50 | p95 | worst |")
    print("|---|---|---|---|---|")
    print(f"| live pad: pointer move → answer painted | {summary(pad)} |")
    print(f"| Sketchpad (before): pointer-up → answer painted | {summary(sketchpad)} |")


if __name__ == "__main__":
    main()
