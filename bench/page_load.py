"""A class opens the join link together: how soon a phone can draw, and run the network, on its
share of the classroom's Wi-Fi.

Starts `python app.py`, opens the page as a phone (390 x 844, touch) in headless Chromium with
Chromium's own network throttling (DevTools' Network.emulateNetworkConditions: a 40th of a 20 Mbit/s
link by default, 0.5 Mbit/s each way with 50 ms latency), the cache empty, and notes, from the
navigation's start:
  - "can draw": a pad is on the page and takes a stroke (the pad before the page, or the page's own;
    never another tab's);
  - "runs the network": the page holds the model's weights and has answered a stroke (drawn once they
    came) with its forward pass;
  - "the page's own pad": Gradio's page has come, its pad on the screen (the Draw tab's; on a class's
    link, the Teach tab's, which asks for a digit).
With --class-link the phones open a class's join link (?class=CODE, a class started through the API):
that page's pad before the page asks for the digit its Teach tab asks for first (and says no answer).
Each page is opened `--repeat` times (a fresh context each: nothing cached); with `--phones N`, N
phones open it at once, each on its own throttled share (the server's side of a class arriving).
What came over the wire is summed by kind (Chromium's encoded sizes: as compressed on the wire).

    python -m bench.page_load [--phones 1] [--repeat 3] [--mbit 0.5] [--latency 50] [--class-link]
"""

import argparse
import collections
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

from app_ui import draw_tab, teach_tab
from bench.machine import describe
from support.apprunner import running_app
from support.pagedriver import chromium_missing, launch

# the page's own pad, by the page opened: a drawing on any other is not what the phone came to draw
OWN_PAD = {False: f"#{draw_tab.PAD} canvas", True: f"#{teach_tab.PAD} canvas"}  # the Draw tab's; a class link's
# from the page's first script on: the moments it could draw and ran the network (performance.now(),
# ms since the navigation began), polled every 20 ms; `own`: the page's own pad (OWN_PAD)
WATCH = """((own) => {
  const seen = window.__ready = {};
  const pad = () => [...document.querySelectorAll(`#early-pad canvas, ${own}`)]
    .find((canvas) => canvas.getBoundingClientRect().width > 0);
  const stroke = (canvas) => { // a stroke down the pad's middle
    const box = canvas.getBoundingClientRect();
    const fire = (type, i) => canvas.dispatchEvent(new PointerEvent(type, { pointerId: 1, pointerType: 'touch',
      isPrimary: true, bubbles: true, buttons: type === 'pointerup' ? 0 : 1,
      clientX: box.left + box.width * 0.5, clientY: box.top + box.height * (0.2 + 0.6 * i / 9) }));
    fire('pointerdown', 0);
    for (let i = 1; i < 10; i++) fire('pointermove', i);
    fire('pointerup', 9);
  };
  const timer = setInterval(() => {
    const canvas = pad(), drawing = window.mnistDemo?.drawing;
    if (!seen.draw && canvas && drawing) {
      const before = drawing.state.strokes.length;
      stroke(canvas);
      if (drawing.state.strokes.length > before) seen.draw = performance.now();
    }
    const state = window.mnistDemo?.pipeline?.state;
    if (seen.draw && state?.model && !seen.stroked && canvas) { seen.stroked = true; stroke(canvas); }
    if (seen.stroked && !seen.network && state.result?.forward) seen.network = performance.now();
    const come = [...document.querySelectorAll(own)].some((canvas) => canvas.getBoundingClientRect().width > 0);
    if (!seen.page && come) seen.page = performance.now();
    if (seen.draw && seen.network && seen.page) clearInterval(timer);
  }, 20);
})"""


def kind(url: str, mime: str) -> str:
    if "/gradio_api/file=" in url and "/static/" in url:
        return "the app's own scripts and styles"
    if "/gradio_api/queue/" in url or "/gradio_api/heartbeat" in url:
        return "events (the page's load, the model)"
    if mime.startswith(("application/javascript", "text/javascript", "text/css")):
        return "Gradio's scripts and styles"
    if mime.startswith("text/html"):
        return "the page (HTML with Gradio's config)"
    if mime.startswith("font/") or url.endswith((".woff", ".woff2")):
        return "fonts"
    return "other"


def open_once(browser, url: str, mbit: float, latency: float, class_link: bool) -> dict:
    """One phone opens the page on a throttled link: its two moments (s) and its bytes by kind."""
    context = browser.new_context(viewport={"width": 390, "height": 844}, has_touch=True, is_mobile=True)
    page = context.new_page()
    page.set_default_timeout(300_000)
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
    rate = mbit * 1e6 / 8  # bytes per second
    cdp.send("Network.emulateNetworkConditions", {"offline": False, "latency": latency, "downloadThroughput": rate,
                                                   "uploadThroughput": rate})
    responses, received, finished = {}, collections.Counter(), {}
    cdp.on("Network.responseReceived", lambda e: responses.__setitem__(e["requestId"], (e["response"]["url"],
                                                                                         e["response"]["mimeType"])))
    # (an event stream, the model's among them, may not have finished: what it has received so far counts)
    cdp.on("Network.dataReceived", lambda e: received.update({e["requestId"]: e["encodedDataLength"]}))
    cdp.on("Network.loadingFinished", lambda e: finished.__setitem__(e["requestId"], e["encodedDataLength"]))
    page.add_init_script(f"{WATCH}({json.dumps(OWN_PAD[class_link])});")
    page.goto(url, wait_until="commit")
    page.wait_for_function("() => window.__ready?.draw && window.__ready?.network && window.__ready?.page", polling=100)
    ready = page.evaluate("() => window.__ready")
    page.wait_for_timeout(500)  # (the last responses' sizes)
    context.close()
    sizes = collections.Counter()
    for request, (url_, mime) in responses.items():
        sizes[kind(url_, mime)] += max(finished.get(request, 0), received[request])
    return {**{moment: ready[moment] / 1000 for moment in ("draw", "network", "page")}, "sizes": sizes,
            "requests": len(responses)}


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--phones", type=int, default=1, help="phones opening the page at once")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--mbit", type=float, default=0.5, help="each phone's share of the Wi-Fi, Mbit/s")
    parser.add_argument("--latency", type=float, default=50, help="ms")
    parser.add_argument("--class-link", action="store_true", help="open a class's join link")
    args = parser.parse_args()
    if reason := chromium_missing():
        sys.exit(reason)
    from concurrent.futures import ThreadPoolExecutor

    from playwright.sync_api import sync_playwright

    folder = Path(tempfile.mkdtemp(prefix="page-load-"))
    runs = []
    with running_app(folder / "app.log", MNIST_APP_DIR=str(folder / "app")) as url:
        if args.class_link:
            from gradio_client import Client

            url = f"{url.rstrip('/')}/?class={Client(url, verbose=False).predict(api_name='/class_start')['code']}"
        for _ in range(args.repeat):
            def phone(_):
                with sync_playwright() as p:  # (one Playwright per thread)
                    browser = launch(p)
                    try:
                        return open_once(browser, url, args.mbit, args.latency, args.class_link)
                    finally:
                        browser.close()

            start = time.perf_counter()
            with ThreadPoolExecutor(args.phones) as pool:
                runs.extend(pool.map(phone, range(args.phones)))
            time.sleep(max(0.0, 2 - (time.perf_counter() - start)))
    print(f"machine: {describe()}; headless Chromium, software rendering")
    print(f"{args.phones} phone(s) at once, {args.repeat} time(s){', by a class link' if args.class_link else ''}; "
          f"each on {args.mbit:g} Mbit/s each way, {args.latency:g} ms latency, nothing cached\n")
    for name, said in (("draw", "can draw"), ("network", "runs the network"), ("page", "the page's own pad")):
        values = sorted(run[name] for run in runs)
        print(f"- {said} after: median {statistics.median(values):.1f} s, slowest {values[-1]:.1f} s")
    sizes = collections.Counter()
    for run in runs:
        sizes.update(run["sizes"])
    total = sum(sizes.values()) / len(runs)
    print(f"- on the wire, per phone: {total / 1024:,.0f} KB in {statistics.median(r['requests'] for r in runs):.0f} requests\n")
    print("| what | KB on the wire, per phone |")
    print("|---|---|")
    for name, size in sizes.most_common():
        print(f"| {name} | {size / len(runs) / 1024:,.0f} |")


if __name__ == "__main__":
    main()
