"""The README's first picture (docs/screenshots/draw-en.png): the Draw tab in English at 1280 x 720, a 3
drawn with the mouse and read. Needs Debian's Chromium (as the browser tests do).

    python -m support.card_picture
"""

from pathlib import Path
from tempfile import TemporaryDirectory

from support.apprunner import REPO, running_app
from support.pagedriver import chromium_missing, draw_mouse, launch, open_page, wait_for_digit

PICTURE = REPO / "docs" / "screenshots" / "draw-en.png"


def main() -> None:
    if reason := chromium_missing():
        raise SystemExit(reason)
    from playwright.sync_api import sync_playwright

    with TemporaryDirectory() as tmp, running_app(Path(tmp) / "app.log") as url, sync_playwright() as p:
        browser = launch(p)
        page = open_page(browser, url, viewport={"width": 1280, "height": 720}, locale="en-US")
        draw_mouse(page, 3)
        wait_for_digit(page, "3")
        page.wait_for_timeout(500)  # (the bars' transition)
        page.screenshot(path=str(PICTURE))
        browser.close()
    print(f"wrote {PICTURE}")


if __name__ == "__main__":
    main()
