"""Teaching, as a teacher sees it: from the press of Teach to the before and after on the screen.

For collections of 50, 200 and 500 drawings (pen-written digits of held-out people, drawn as the pad
draws them), a teacher's page in Chromium imports the collection (the Teach tab's import), presses
Teach, and the clock runs until the before/after table is on the screen. A freshly started app
reads MNIST and draws the pen-written digits that teaching mixes in, in the background (once; the
drawings are then kept on disk): the first row is a teaching pressed as soon as a fresh app's page
opens, with nothing kept on disk yet. Goal: at most 10 s.

    python -m bench.teach_time --data-dir ../shared/mnist
"""

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from app_server.class_store import ClassStore
from app_ui.texts import TEXTS
from bench.machine import describe
from mnist_model import Classifier, pen_digits
from support.apprunner import running_app
from support.pagedriver import chromium_missing, launch, open_page

SIZES = (50, 200, 500)


def collection_file(folder: Path, count: int) -> Path:
    """An exported collection of `count` held-out people's digits, five students' worth of writers."""
    digits = pen_digits.load_pen_digits()
    pool = np.flatnonzero(pen_digits.held_out(digits) & pen_digits.well_formed(digits))
    chosen = np.random.default_rng(count).choice(pool, count, replace=False)
    store = ClassStore(folder / f"make-{count}.sqlite")
    code = store.start("maker").code
    for i, index in enumerate(chosen):
        student = f"student-{i % 5}"
        store.join(code, student)
        image = pen_digits.render(digits.strokes[index], np.random.default_rng([3, int(index)]))
        store.add(code, student, int(digits.labels[index]), image)
    path = folder / f"collection-{count}.json.gz"
    path.write_bytes(store.export(code, "maker"))
    store.close()
    return path


def teach_once(page, path: Path) -> float:
    page.locator("#teach-tab-button").click()
    page.get_by_text("Keep this collection").click()
    page.locator("#collection-import input[type='file']").set_input_files(str(path))
    said = TEXTS["en"]["imported"].split("{")[0]  # ("Drawings imported: ...", as the page words it)
    page.wait_for_function("(said) => (document.querySelector('#teach-status')?.textContent || '').includes(said)",
                           arg=said, timeout=60_000)
    page.evaluate("() => { window.shownBefore = document.querySelector('#teach-results table'); }")
    start = time.perf_counter()
    page.get_by_role("button", name="Teach the network our writing").click()
    page.wait_for_function("() => { const t = document.querySelector('#teach-results table'); "
                           "return t && t !== window.shownBefore && t.checkVisibility(); }", timeout=120_000)
    return time.perf_counter() - start


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data-dir", default=os.environ.get("MNIST_DATA_DIR"), required="MNIST_DATA_DIR" not in os.environ)
    args = parser.parse_args()
    if reason := chromium_missing():
        sys.exit(reason)
    from playwright.sync_api import sync_playwright

    Classifier.load()  # (imports warm)
    rows = []
    with tempfile.TemporaryDirectory() as folder, sync_playwright() as p:
        folder = Path(folder)
        files = {count: collection_file(folder, count) for count in SIZES}
        with running_app(folder / "app.log", MNIST_DATA_DIR=args.data_dir,
                         MNIST_CACHE_DIR=str(folder / "cache")) as url:  # nothing drawn yet: a first teaching
            browser = launch(p)
            page = open_page(browser, url, viewport={"width": 1366, "height": 900})
            rows.append(("50, pressed as soon as a fresh app's page opens (nothing kept on disk yet)",
                         teach_once(page, files[50])))
            for count in SIZES:
                fresh = open_page(browser, url, viewport={"width": 1366, "height": 900})  # its own collection
                rows.append((str(count), teach_once(fresh, files[count])))
                fresh.context.close()
            browser.close()
    print(f"machine: {describe()}; Chromium on the same machine\n")
    print("| drawings in the collection | press of Teach → before/after on screen |")
    print("|---|---|")
    for label, seconds in rows:
        print(f"| {label} | {seconds:.1f} s |")


if __name__ == "__main__":
    main()
