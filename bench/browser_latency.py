"""Browser-perceived latency: from mouse-up on the canvas to the updated prediction on the page.

Starts `python app.py`, opens it in Debian's Chromium (headless, software rendering) and, N times:
selects the brush, draws a one-stroke "1" with the mouse, and measures in the page itself (a
mouseup listener and a MutationObserver on the prediction) the time until the digit is shown;
then clears the canvas.

    python bench/browser_latency.py [--repeats 15]
"""

import argparse
import statistics
import sys
import tempfile
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(REPO / "tests"), str(REPO / "bench")]
from apprunner import running_app  # noqa: E402
from machine import describe  # noqa: E402
from pagedriver import chromium_missing, clear, draw, launch, open_page, select_brush, wait_for_digit  # noqa: E402

ARM = """() => {
  window.__lat = null;
  const target = document.querySelector('#prediction');
  const observer = new MutationObserver(() => {
    if (window.__up && target.querySelector('.digit')) {
      window.__lat = performance.now() - window.__up; observer.disconnect(); }
  });
  observer.observe(target, {subtree: true, childList: true, characterData: true});
  window.__up = null;
  window.addEventListener('mouseup', () => { window.__up = performance.now(); }, {capture: true, once: true});
}"""


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeats", type=int, default=15, help="strokes to time (default: 15)")
    args = parser.parse_args()
    if reason := chromium_missing():
        sys.exit(reason)
    from playwright.sync_api import sync_playwright

    folder = Path(tempfile.mkdtemp(prefix="browser-latency-"))
    with running_app(folder / "app.log") as url, sync_playwright() as p:
        browser = launch(p)
        page = open_page(browser, url)
        latencies = []
        for i in range(args.repeats + 2):  # the first two warm up
            select_brush(page)
            page.evaluate(ARM)
            draw(page, 1)
            wait_for_digit(page, "1")
            page.wait_for_function("() => window.__lat !== null")
            if i >= 2:
                latencies.append(page.evaluate("window.__lat") / 1000)
            clear(page)
        browser.close()
    print(f"machine: {describe()}; headless Chromium, software rendering")
    print(f"mouse-up to updated prediction, {len(latencies)} strokes on a 280x280 canvas: "
          f"median {statistics.median(latencies) * 1e3:.0f} ms, p95 {np.percentile(latencies, 95) * 1e3:.0f} ms")


if __name__ == "__main__":
    main()
