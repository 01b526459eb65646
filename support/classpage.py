"""A class in the page, as the browser tests and the chapter walk drive it: a teacher starts one, a
phone joins by its code, a page adds the digit asked for."""

from app_server.classes import ADDS_PER_SECOND
from support.pagedriver import draw_mouse, draw_touch

PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2, "is_mobile": True, "has_touch": True}
HANDS_PACE = 1000 / ADDS_PER_SECOND + 10  # ms between a page's Adds: within the server's limit per second

# what the pages say (app_ui/texts.py), in each language the tests use
ADDED = {"en": "Added: a {digit}", "zh-CN": "已添加：一个 {digit}"}
TEACH_TAB = {"en": "Teach", "zh-CN": "教它认字"}
JOIN = {"en": "Join", "zh-CN": "加入"}


def says(selector: str) -> str:
    """A page function: whether `selector`'s text includes its argument."""
    return f"(said) => (document.querySelector({selector!r})?.textContent || '').includes(said)"


def start_class(page, lang: str = "en") -> str:
    """The page starts a class on its Teach tab: the class's join link."""
    page.get_by_role("tab", name=TEACH_TAB[lang]).click()
    page.locator("#start-class").click()
    page.wait_for_selector("#class-card a.class-link")
    return page.locator("#class-card a.class-link").inner_text()


def type_code(phone, app_url: str, code: str, lang: str = "en") -> None:
    """The phone opens the app and joins a class with its code, typed on the Teach tab."""
    phone.goto(app_url)
    phone.get_by_role("tab", name=TEACH_TAB[lang]).click()
    phone.locator("#join-code input, #join-code textarea").fill(code)
    phone.get_by_role("button", name=JOIN[lang], exact=True).click()


def add(page, digit: int, touch: bool = False, lang: str = "en"):
    """Draw `digit` on the Teach tab's pad, pick it, press Add, and wait for the page to say so."""
    page.locator(f"#digit-pick label:has-text('{digit}') input").check()
    (draw_touch if touch else draw_mouse)(page, digit, "#teach-sketch canvas")
    page.wait_for_timeout(HANDS_PACE)  # a fast machine's page adds faster than a hand ("Slow down")
    page.locator("#add-button").click()
    page.wait_for_function(says("#teach-status"), arg=ADDED[lang].format(digit=digit))
