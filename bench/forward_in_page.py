"""The page's own forward pass, the shipped MLP's (mlp.js) against the shipped CNN's (cnn.js): how
long one drawing's pass takes in Chromium, which the page runs on every pointer move while drawing.

The scripts are loaded into a blank page (no app, no network), the two shipped models are decoded
from the payloads the app sends (app_ui.components.model_payload), and each pass runs on the same
held-out pen-written digits as the trainer's test set holds them (28 x 28): a warm-up round, then
`--rounds` rounds over `--digits` digits, every pass timed with performance.now(). Medians and 95th
percentiles in milliseconds, and the mean pass from whole rounds (finer than the clock's 0.1 ms).

    python -m bench.forward_in_page [--digits 200] [--rounds 5] [--mlp CHECKPOINT] [--cnn CHECKPOINT]

(--mlp and --cnn time other checkpoints in the shipped ones' place: an 11-answer network, say.)
"""

import argparse
from pathlib import Path

import numpy as np

from app_ui.assets import STATIC
from app_ui.components import PAGE_CONFIG, model_payload
from bench.machine import describe
from mnist_model import Classifier, checkpoint
from mnist_model.pen_digits import load_pen_digit_tensors
from support.pagedriver import chromium_missing, launch

TIMED = """([mlp, cnn, inputs, rounds]) => {
  const models = {mlp: [mnistDemo.mlp, mnistDemo.mlp.decode(mlp)], cnn: [mnistDemo.cnn, mnistDemo.cnn.decode(cnn)]};
  const out = {};
  for (const [name, [net, model]] of Object.entries(models)) {
    for (const x of inputs) net.forward(model, x);  // warm-up: the JIT compiles the loops
    const times = [], totals = [];  // each pass's; each round's, all its passes together
    for (let r = 0; r < rounds; r++) {
      const round = performance.now();
      for (const x of inputs) {
        const start = performance.now(); net.forward(model, x); times.push(performance.now() - start);
      }
      totals.push(performance.now() - round);
    }
    out[name] = {times, totals};
  }
  return out;
}"""


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--digits", type=int, default=200, help="held-out digits per round (default: 200)")
    parser.add_argument("--rounds", type=int, default=5, help="timed rounds (default: 5)")
    parser.add_argument("--mlp", default=str(checkpoint.SHIPPED), help="an MLP checkpoint (default: the shipped one)")
    parser.add_argument("--cnn", default=str(checkpoint.SHIPPED_CNN),
                        help="a CNN checkpoint (default: the shipped one)")
    args = parser.parse_args()
    if reason := chromium_missing():
        raise SystemExit(reason)
    from playwright.sync_api import sync_playwright

    inputs = load_pen_digit_tensors("cpu", variants=0).val_x[: args.digits].reshape(args.digits, -1).numpy().tolist()
    payloads = [model_payload(Classifier.load(path)) for path in (args.mlp, args.cnn)]
    with sync_playwright() as p:
        browser = launch(p)
        page = browser.new_page()
        page.set_content("<html><body></body></html>")
        for script in ("mlp.js", "cnn.js"):
            page.add_script_tag(path=str(STATIC / script))
        page.evaluate("(config) => mnistDemo.mlp.configure(config)", PAGE_CONFIG)  # (as the page's start-up does)
        times = page.evaluate(TIMED, [*payloads, inputs, args.rounds])
        version = browser.version
        browser.close()
    print(f"machine: {describe()}; Chromium {version}")
    print(f"{args.digits} held-out digits x {args.rounds} rounds per model\n")
    # (Chromium's clock ticks in 0.1 ms: a pass's median and p95 come in its steps; the mean, from whole
    # rounds, is finer, to compare networks whose passes take about as long)
    print("| network in the page | mean | median | p95 |")
    print("|---|---|---|---|")
    for name, path in (("mlp", args.mlp), ("cnn", args.cnn)):
        label = f"{Path(path).name} ({name}.js)"
        t = np.array(times[name]["times"])
        mean = sum(times[name]["totals"]) / len(t)
        print(f"| {label} | {mean:.3f} ms | {np.median(t):.2f} ms | {np.percentile(t, 95):.2f} ms |")


if __name__ == "__main__":
    main()
