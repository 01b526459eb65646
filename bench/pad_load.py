"""Many visitors drawing at once, with Explore closed: how many requests reach the server per stroke.

Starts `python app.py`, opens N pages (default 30: a class) in one headless Chromium, and has every
page draw for S seconds (default 30): in the page itself, a stroke of 30 pointer moves, one per
animation frame, then the next, the answer updating every frame. Every request a page sends after
it has loaded is counted, by kind.

    python -m bench.pad_load [--visitors 30] [--seconds 30]
"""

import argparse
import collections
import sys
import tempfile
import time
from pathlib import Path

from bench.machine import describe
from support.apprunner import running_app
from support.pagedriver import chromium_missing, launch, open_page

# draw for `seconds`: strokes of 30 moves, one per frame, as a finger would; resolves to the number
# of strokes drawn and of answers painted
DRAW = """(seconds) => new Promise((resolve) => {
  const canvas = document.querySelector('#sketch canvas');
  const box = canvas.getBoundingClientRect();
  let strokes = 0, answers = 0, t = 0;
  mnistDemo.pipeline.on('result', () => { answers += 1; });
  const fire = (type, i) => canvas.dispatchEvent(new PointerEvent(type, {
    pointerId: 1, pointerType: 'touch', isPrimary: true, bubbles: true, buttons: type === 'pointerup' ? 0 : 1,
    clientX: box.left + box.width * (0.3 + 0.4 * Math.abs(Math.sin(strokes + i / 9))),
    clientY: box.top + box.height * (0.15 + 0.7 * i / 29)}));
  const end = performance.now() + seconds * 1000;
  const frame = () => {
    if (t === 0) fire('pointerdown', 0); else fire('pointermove', t);
    t += 1;
    if (t === 30) {
      fire('pointerup', 29); t = 0; strokes += 1;
      if (strokes % 4 === 0) mnistDemo.drawing.clear();
    }
    if (performance.now() < end) requestAnimationFrame(frame); else resolve([strokes, answers]);
  };
  requestAnimationFrame(frame);
})"""


def kind(url: str) -> str:
    path = url.split("/", 3)[-1]
    for name in ("gradio_api/queue/join", "gradio_api/queue/data", "gradio_api/heartbeat", "gradio_api/run",
                 "gradio_api/call", "gradio_api/file="):
        if path.startswith(name):
            return name
    return "other"


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--visitors", type=int, default=30)
    parser.add_argument("--seconds", type=float, default=30)
    args = parser.parse_args()
    if reason := chromium_missing():
        sys.exit(reason)
    from playwright.sync_api import sync_playwright

    folder = Path(tempfile.mkdtemp(prefix="pad-load-"))
    requests = collections.Counter()
    with running_app(folder / "app.log", MNIST_APP_DIR=str(folder / "app")) as url, sync_playwright() as p:
        browser = launch(p)
        pages = [open_page(browser, url) for _ in range(args.visitors)]
        for page in pages:
            page.on("request", lambda request: requests.update([kind(request.url)]))
        start = time.perf_counter()
        for page in pages:  # every page starts drawing, then all are waited for: they draw at once
            page.evaluate(f"() => {{ window.__drawing = ({DRAW})({args.seconds}); }}")
        results = [page.evaluate("() => window.__drawing") for page in pages]
        wall = time.perf_counter() - start
        browser.close()
    strokes, answers = sum(r[0] for r in results), sum(r[1] for r in results)
    print(f"machine: {describe()}; headless Chromium, software rendering")
    print(f"{args.visitors} pages drawing for {args.seconds:.0f} s each, at once ({wall:.0f} s in all): "
          f"{strokes} strokes, {answers} answers painted in the pages\n")
    if not requests:
        print("requests from the pages to the server while drawing: **0** (no events, no files, nothing)")
        return
    print("| requests to the server while drawing | count | per stroke |")
    print("|---|---|---|")
    for name, count in sorted(requests.items()):
        print(f"| {name} | {count} | {count / max(strokes, 1):.3f} |")
    events = sum(c for n, c in requests.items() if n in ("gradio_api/queue/join", "gradio_api/run", "gradio_api/call"))
    print(f"| **events (any endpoint)** | **{events}** | **{events / max(strokes, 1):.3f}** |")


if __name__ == "__main__":
    main()
