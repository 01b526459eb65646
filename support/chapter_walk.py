"""The textbook's chapter walked through as a teacher shows it: a 1920 x 1080 projector in Projector
mode, in Chinese, and two touch phones (390 x 844, zh-CN) in the class, one by its link and one by its
code. Each stop is a screenshot (docs/screenshots/walk-*.png, looked at before they are committed):

  1. Draw: a digit, its answer and its ten chances.
  2. Explore: the hidden layers, one neuron live, its bias moved (a what-if).
  3. Train: the lesson pair (8 sigmoid layers, then 8 ReLU layers) on full MNIST; the gradient's
     flow in two panels and the runs' figures side by side.
  4. Train: the shipped small CNN chosen; the answer where the teacher clicked.
  5. Teach: the class's card; the two phones joined and adding the digits asked for.
  6. Teach: the class's drawings taught; before and after.
  7. Teach: End the class, asked in the page.

    python -m support.chapter_walk [--out docs/screenshots] [--mnist ../shared/mnist]

Needs Chromium, a CJK font (Debian's fonts-noto-cjk: without one Chinese is drawn as boxes) and the
full MNIST (the lesson's runs train on it).
"""

import argparse
import sys
import tempfile
from pathlib import Path

from support.apprunner import running_app
from support.classpage import PHONE, add, start_class, type_code
from support.pagedriver import chromium_missing, draw_mouse, launch, new_page, open_page, settle

REPO = Path(__file__).resolve().parent.parent
WAIT = 600_000  # ms: a lesson run on full MNIST on a busy 2-core machine


def projector(browser, url: str):
    page = open_page(browser, url, viewport={"width": 1920, "height": 1080}, locale="zh-CN")
    page.get_by_label("投影模式（大字体）").check()
    page.wait_for_function("() => document.body.classList.contains('projector')")
    settle(page)
    return page


def train(page, preset: str, runs: int) -> None:
    page.get_by_label(preset).check()
    page.wait_for_timeout(1500)  # (the form takes the recipe's values)
    page.locator("#train-button").click()
    page.wait_for_function("(n) => document.querySelectorAll('#runs-table tr').length === n + 1", arg=runs,
                           timeout=WAIT)


def walk(url: str, out: Path) -> list[Path]:
    from playwright.sync_api import sync_playwright

    shots = []

    def shot(page, name: str, selector: str | None = None, full: bool = False) -> None:
        path = out / f"walk-{name}.png"
        if selector:
            page.locator(selector).scroll_into_view_if_needed()
            page.wait_for_timeout(300)
        page.screenshot(path=str(path), full_page=full)
        shots.append(path)

    with sync_playwright() as p:
        browser = launch(p)
        teacher = projector(browser, url)
        # 1. Draw
        draw_mouse(teacher, 3)
        teacher.wait_for_function("() => document.querySelector('#prediction .digit')?.textContent === '3'")
        shot(teacher, "1-draw")
        # 2. Explore: the layers, one neuron, its bias moved
        teacher.get_by_role("tab", name="探索网络").click()
        teacher.locator("#explore-sketch canvas").wait_for()
        settle(teacher, "#explore-sketch canvas")
        draw_mouse(teacher, 3, "#explore-sketch canvas")
        teacher.wait_for_function("() => mnistDemo.neuron.state.shown !== null")
        teacher.evaluate("() => { const s = document.querySelector('#neuron input.neuron-shift'); s.value = '-2';"
                         " s.dispatchEvent(new Event('input', { bubbles: true })); }")
        shot(teacher, "2-explore-layers", "#layers")
        shot(teacher, "2-explore-neuron", "#neuron")
        # 3. Train: the lesson pair, one after the other
        teacher.get_by_role("tab", name="训练").click()
        train(teacher, "课堂：8 层 sigmoid", 1)
        train(teacher, "课堂：8 层 ReLU", 2)
        shot(teacher, "3-train-gradient", "#gradient-plot")
        shot(teacher, "3-train-runs", "#runs-table")
        # 4. The shipped small CNN, chosen where the models are
        teacher.get_by_role("button", name="已保存的模型").click()
        teacher.get_by_label("已保存的检查点").click()
        teacher.get_by_role("option", name="自带的小型 CNN").click()
        teacher.get_by_role("button", name="使用所选模型").click()
        teacher.wait_for_function("() => document.querySelector('#saved-active')?.innerText.includes('卷积网络')")
        shot(teacher, "4-train-cnn-chosen", "#saved-active")
        teacher.get_by_role("button", name="恢复自带模型").click()
        # 5. Teach: a class, two phones (by link, by code)
        link = start_class(teacher, "zh-CN")
        shot(teacher, "5-class-card")
        by_link, by_code = (new_page(browser, **PHONE, locale="zh-CN") for _ in range(2))
        by_link.goto(link)
        type_code(by_code, link.split("?")[0], link.split("?class=")[1], "zh-CN")
        for phone in (by_link, by_code):
            phone.wait_for_function("() => document.querySelector('#class-counts')?.textContent.includes('号学生')")
            settle(phone, "#teach-sketch canvas")
        for digit in range(10):
            add(by_link, digit, touch=True, lang="zh-CN")
            add(by_code, (digit + 5) % 10, touch=True, lang="zh-CN")
        shot(by_link, "5-phone-by-link")
        shot(by_code, "5-phone-by-code")
        # 6. Teach the class's drawings
        teacher.wait_for_function("() => document.querySelector('#class-counts')?.textContent.includes('20')")
        teacher.get_by_role("button", name="教网络认识我们的笔迹").click()
        teacher.locator("#teach-results table").wait_for(timeout=WAIT)
        shot(teacher, "6-taught", "#teach-results")
        # 7. End the class: asked in the page
        teacher.locator("#end-class").click()
        teacher.locator("#end-confirm").wait_for(state="visible")
        shot(teacher, "7-end-asked", "#end-confirm")
        teacher.locator("#end-class-no").click()
        browser.close()
    return shots


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, default=REPO / "docs" / "screenshots")
    parser.add_argument("--mnist", type=Path, default=REPO.parent / "shared" / "mnist")
    args = parser.parse_args()
    if reason := chromium_missing():
        sys.exit(reason)
    folder = Path(tempfile.mkdtemp(prefix="chapter-walk-"))
    with running_app(folder / "app.log", MNIST_APP_DIR=str(folder / "app"), MNIST_DATA_DIR=str(args.mnist)) as url:
        for path in walk(url, args.out):
            print(path)


if __name__ == "__main__":
    main()
