"""A class in the browser: a teacher's page and students' phones.

The QR code on the teacher's screen decodes (zxing-cpp) to the join link; a drawing a student adds
appears on the teacher's page; after Publish, the students' pads answer with the class's model. A
Chinese lesson on 6 phones shows no English, no error and none of Gradio's progress texts on any of
them, and Gradio announces nothing in English to their screen readers. Screenshots land in
tests/browser/artifacts/. Every wait is the pages' PATIENCE: how soon things happen is
bench/class_load's to measure.
"""

import io
import json
import re
import time
from pathlib import Path

import pytest

from app_ui.texts import ACTIVATION_NAMES, text
from support.classpage import (
    ADDED,
    HANDS_PACE,
    PHONE,
    TEACH_TAB,
    add,
    says,
    start_class,
    type_code,
)
from support.pagedriver import EARLY_PAD, GRADIOS_OWN, draw_mouse, draw_touch, hold, new_page, open_page, settle
from support.strokes import DIGITS

ARTIFACTS = Path(__file__).parent / "artifacts"
PHONES = 6  # the Chinese lesson's

pytestmark = pytest.mark.browser

# what the pages say (app_ui/texts.py), in each language the tests use
STUDENT = {"en": "student {number}", "zh-CN": "第 {number} 号学生"}
JOINED = {"en": "You joined class {code} as student {number}", "zh-CN": "你以第 {number} 号学生的身份加入了班级 {code}"}
COUNT = {"en": "Drawings added: {count}", "zh-CN": "已添加 {count} 个数字"}
CLASS_MODEL = {"en": "your class's model (version {version})", "zh-CN": "你们班级的模型（第 {version} 版）"}
OVER = {"en": "The class is over", "zh-CN": "课程结束了"}
# names, the same in Chinese: and the activation functions' (the model line says "…, ReLU")
WORDS_ALLOWED = {"MNIST", "MLP", "API", "Gradio", *(w for name in ACTIVATION_NAMES.values() for w in name.split())}

IN_VIEW = "(s) => { const r = document.querySelector(s).getBoundingClientRect(); return r.top >= 0 && r.bottom <= innerHeight; }"
# Gradio's progress texts ("queue: 1/1", "processing | 0.2s") the page ever shows, and what it ever
# announces to screen readers (a live region no one sees: "In queue: 1 of 2"), each noted as it appears
# (an announcement once the page's own scripts have had their turn at it)
NOTE_GRADIO = """document.addEventListener("DOMContentLoaded", () => {
  window.progressSeen = new Set();
  window.announced = new Set();
  const announcements = () => {
    for (const region of document.querySelectorAll(".sr-only[aria-live]"))
      if (region.textContent.trim()) window.announced.add(region.textContent.trim());
  };
  new MutationObserver(() => {
    for (const text of document.querySelectorAll(".progress-text, .meta-text, .meta-text-center")) {
      const wrap = getComputedStyle(text.closest(".wrap") || text);
      if (text.getClientRects().length && wrap.opacity !== "0" && wrap.visibility !== "hidden" && text.textContent.trim())
        window.progressSeen.add(text.textContent.trim());
    }
    setTimeout(announcements);
  }).observe(document.documentElement, { subtree: true, childList: true, characterData: true, attributes: true });
});"""


def wait_until_says(page, selector: str, said: str, name: str = "the page") -> None:
    """Wait (PATIENCE) until `selector`'s text includes `said`; else fail saying what it says."""
    from playwright.sync_api import Error as PlaywrightError

    try:
        page.wait_for_function(says(selector), arg=said)
    except PlaywrightError:
        shown, status, toasts = page.evaluate(f"""() => [document.querySelector({selector!r})?.textContent,
          document.querySelector("#teach-status")?.textContent,
          Array.from(document.querySelectorAll(".toast-body")).map((toast) => toast.textContent)]""")
        page.screenshot(path=str(ARTIFACTS / f"failed-{name.split(' (')[0].replace(' ', '-')}.png"), full_page=True)
        raise AssertionError(f"{name}: {selector} says {shown!r}, not {said!r} (the status line: {status!r}; "
                             f"toasts: {toasts})") from None


def read_qr(page) -> str:
    """The text of the QR code on the teacher's page, read from a screenshot of it."""
    import zxingcpp
    from PIL import Image

    shot = page.locator("#class-card svg").screenshot()
    found = zxingcpp.read_barcodes(Image.open(io.BytesIO(shot)))
    assert found, "no QR code could be read from the teacher's screen"
    return found[0].text


def end_class(page) -> None:
    """The teacher ends the class: End, then Yes to the page's question."""
    page.locator("#end-class").click()
    page.locator("#end-class-yes").click()


def phone_page(browser, lang: str = "en"):
    """A phone (touch, a phone's viewport) in `lang`, noting what Gradio shows and announces there
    (NOTE_GRADIO); it waits up to PATIENCE for anything, as every page here does."""
    phone = new_page(browser, **PHONE, locale=lang)
    phone.add_init_script(NOTE_GRADIO)
    return phone


def join(phone, number: int, link: str, lang: str = "en", code: str | None = None, name: str = "the phone") -> None:
    """The phone joins the class as student `number`: by its link, or with `code` typed on the
    app's Teach tab; then waits for its pad to be in view and still."""
    if code is None:
        phone.goto(link)
    else:
        type_code(phone, link.split("?")[0], code, lang)
    wait_until_says(phone, "#class-counts", STUDENT[lang].format(number=number), name)
    phone.wait_for_function(IN_VIEW, arg="#teach-sketch canvas")  # the pad, in view
    settle(phone, "#teach-sketch canvas")
    joined = JOINED[lang].format(code=link.split("?class=")[1], number=number)
    assert joined in phone.locator("#teach-status").inner_text()


# The page's text a person can see: innerText's, less what is there but transparent (Gradio keeps a
# hidden status tracker's "processing | 0.1s" in the page at opacity 0 while an event runs) and what is
# for screen readers only (NOTE_GRADIO notes what Gradio announces there)
SHOWN_TEXT = """() => {
  const seen = new Map();
  const shown = (element) => {
    if (!element || element === document.documentElement) return true;
    if (!seen.has(element)) {
      const style = getComputedStyle(element);
      seen.set(element, style.display !== "none" && style.visibility !== "hidden" && style.opacity !== "0"
        && !element.classList.contains("sr-only") && shown(element.parentElement));
    }
    return seen.get(element);
  };
  const where = (element) => {  // the nearest element with an id, and the text's own element
    const named = element.closest("[id]");
    return `${named ? "#" + named.id : "body"} ${element.tagName.toLowerCase()}.${element.classList[0] || ""}`;
  };
  const texts = [], walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const element = walker.currentNode.parentElement;
    if (!["SCRIPT", "STYLE", "NOSCRIPT"].includes(element.tagName) && element.getClientRects().length && shown(element))
      texts.push([walker.currentNode.nodeValue, where(element)]);
  }
  return texts;
}"""


def english(text: str, code: str = "") -> list[str]:
    """The words in Latin letters in `text`, but names and the class's code."""
    return [w for w in re.findall(r"[A-Za-z]{2,}", text) if w not in WORDS_ALLOWED and w not in code]


def english_on(page, code: str = "") -> list[str]:
    """English words the page shows (its text a person can see), each with where it is
    ("word (#teach-status p.note)")."""
    return [f"{w} ({where})" for text, where in page.evaluate(SHOWN_TEXT) for w in english(text, code)]


def errors_on(page) -> int:
    """Error badges and error toasts the page shows."""
    return page.evaluate("() => Array.from(document.querySelectorAll('.error')).filter((e) => e.getClientRects().length).length")


def gradio_said(page, code: str = "") -> list[str]:
    """Since the page was last loaded (NOTE_GRADIO): Gradio's progress texts it showed, and what it
    announced to screen readers in English."""
    progress, announced = page.evaluate("() => [Array.from(window.progressSeen), Array.from(window.announced)]")
    return progress + [said for said in announced if english(said, code)]


def in_its_language(page, code: str, name: str) -> None:
    """Nothing in English on the page (but names and the class's code), and no error badge or toast."""
    english = english_on(page, code)
    assert not english, f"{name} shows English: {english}"
    assert errors_on(page) == 0, f"{name} shows an error"


def test_a_class_of_phones_draws_for_its_teacher_who_publishes_back(browser, app_url):
    ARTIFACTS.mkdir(exist_ok=True)
    teacher = open_page(browser, app_url, viewport={"width": 1366, "height": 900})
    link = start_class(teacher)
    teacher.wait_for_selector("#class-card svg")
    assert read_qr(teacher) == link and "?class=" in link
    teacher.screenshot(path=str(ARTIFACTS / "class-teacher.png"), full_page=True)

    students = []
    for number in (1, 2):
        phone = phone_page(browser)
        join(phone, number, link)  # (the pad, on the Teach tab)
        students.append(phone)
    add(students[0], 7, touch=True)  # (how soon the teacher sees it: bench/class_load measures it)
    teacher.wait_for_function(says("#class-counts"), arg="#1: 1")
    assert teacher.locator("#collection figure").count() == 1
    add(students[1], 3, touch=True)
    students[1].screenshot(path=str(ARTIFACTS / "class-student.png"))

    before = students[0].evaluate("() => mnistDemo.pipeline.state.modelInfo.digest")
    for digit in range(10):  # the teacher's own drawings, so that there is something to teach
        add(teacher, digit)
    teacher.get_by_role("button", name="Teach the network our writing").click()
    teacher.wait_for_selector("#teach-results table")
    # the teacher's pad runs the taught model (it arrives by the model's change, after the results)
    teacher.wait_for_function("(before) => mnistDemo.pipeline.state.modelInfo?.digest !== before",
                              arg=before)
    taught = teacher.evaluate("() => mnistDemo.pipeline.state.modelInfo.digest")
    teacher.get_by_role("button", name="Send to every student's pad").click()
    for phone in students:
        phone.wait_for_function("(taught) => mnistDemo.pipeline.state.modelInfo?.digest === taught",
                                arg=taught)
    teacher.screenshot(path=str(ARTIFACTS / "class-taught.png"), full_page=True)
    for page in (teacher, *students):
        page.context.close()


# Every animation frame, what the Teach tab's prompt asks for and what the digit picker holds (the
# digit the next Add stores), noted whenever either changes
NOTE_PROMPT = """() => { window.promptSeen = []; let last = null;
  const note = () => {
    const asked = document.querySelector('#ask .ask')?.textContent.match(/\\d/)?.[0] ?? null;
    const picked = document.querySelector('#digit-pick input:checked')?.value ?? null;
    if (asked + '/' + picked !== last) { last = asked + '/' + picked; window.promptSeen.push([asked, picked]); }
    requestAnimationFrame(note);
  };
  note(); }"""


def test_the_prompt_never_asks_for_a_digit_other_than_the_one_the_next_add_stores(browser, app_url):
    """After each Add, a class's phones showed "Draw a 0" (or the digit before) before the next digit,
    and drew it: 0s were stored as 3s, 4s, 6s and 8s, and taught. Read at every animation frame
    from each Add to the next prompt, on a server made slow on purpose, in Chinese, by a phone that
    never touches the picker: each of the phone's events is held 1 s on its way, and an event that
    only words the prompt again (the page once asked the server for it at every change of the
    picker, in a queue the whole class shared) is answered only after the next Add's answer."""
    teacher = open_page(browser, app_url, locale="zh-CN")
    link = start_class(teacher, "zh-CN")
    phone = phone_page(browser, "zh-CN")
    join(phone, 1, link, lang="zh-CN")
    late = []  # events with the picker's digit and the language alone: the prompt's own

    def slowly(route):
        data = json.loads(route.request.post_data or "{}").get("data") or []
        if len(data) == 2 and data[0] in range(10) and data[1] == "zh-CN":
            late.append(route)
            return
        time.sleep(1)
        route.continue_()

    phone.route("**/gradio_api/queue/join**", slowly)
    phone.evaluate(NOTE_PROMPT)
    for digit in range(5):
        assert phone.locator("#ask .ask").inner_text() == text("ask_digit", "zh-CN", digit=digit)
        draw_touch(phone, digit, "#teach-sketch canvas")
        phone.wait_for_timeout(HANDS_PACE)
        waited = list(late)  # (what the Add before this one set off)
        phone.locator("#add-button").click()
        wait_until_says(phone, "#teach-status", ADDED["zh-CN"].format(digit=digit), "the phone")
        for route in waited:  # answered now, after this Add's answer: late
            late.remove(route)
            route.continue_()
        phone.wait_for_timeout(1000)
        wait_until_says(phone, "#ask", text("ask_digit", "zh-CN", digit=digit + 1), "the phone")
    seen = phone.evaluate("() => window.promptSeen")
    assert all(asked == picked for asked, picked in seen), seen
    assert [int(asked) for asked, _ in seen] == sorted(int(asked) for asked, _ in seen), seen  # never back
    wait_until_says(teacher, "#class-counts", "#1: 5", "the teacher")  # each stored as the digit drawn
    assert teacher.locator("#class-counts table.digit-counts td").all_inner_texts() == ["1"] * 5 + ["0"] * 5
    end_class(teacher)
    for page in (teacher, phone):
        page.context.close()


def test_a_phone_on_a_class_link_draws_the_digit_asked_for_before_gradios_scripts_come_and_adds_it_as_that(
        browser, app_url):
    """On a class's share of the Wi-Fi Gradio's scripts take seconds to come: the link's page has a pad of
    its own before them, which asks for what the Teach tab asks for first, says no answer, and whose
    drawing the Teach tab's pad takes over, for its first Add to store as the digit asked for. The
    page's HTML brought the shipped model: the load names it, and sends no weights."""
    teacher = open_page(browser, app_url, locale="zh-CN")
    link = start_class(teacher, "zh-CN")
    phone = phone_page(browser, "zh-CN")
    release = hold(phone, GRADIOS_OWN)  # a slow link: Gradio's scripts have not come
    phone.goto(link, wait_until="commit")
    phone.wait_for_selector(EARLY_PAD)
    assert phone.evaluate("() => document.querySelector('gradio-app').childElementCount") == 0
    assert phone.locator(".early-pad-hint").inner_text() == text("ask_digit", "zh-CN", digit=0)
    draw_touch(phone, 0, EARLY_PAD)
    assert phone.evaluate("() => mnistDemo.drawing.state.strokes.length") == len(DIGITS[0])
    assert phone.locator(".early-pad-answer").inner_text() == text("early_pad_add", "zh-CN")  # (no answer)
    phone.screenshot(path=str(ARTIFACTS / "class-link-early-pad-zh-CN.png"))

    release()
    wait_until_says(phone, "#class-counts", STUDENT["zh-CN"].format(number=1), "the phone")
    phone.wait_for_selector("#early-pad", state="detached")
    # the Teach tab's pad holds the drawing as its own, and asks for the same digit
    assert phone.evaluate("() => [mnistDemo.drawing.state.strokes.length, mnistDemo.drawing.state.pad]") == [
        len(DIGITS[0]), "teach-sketch"]
    assert phone.locator("#ask .ask").inner_text() == text("ask_digit", "zh-CN", digit=0)
    phone.wait_for_function("() => { const info = mnistDemo.pipeline.state.modelInfo;"
                            " return info.digest && !('data' in info); }")  # (the load named the HTML's)
    phone.locator("#add-button").click()
    wait_until_says(phone, "#teach-status", ADDED["zh-CN"].format(digit=0), "the phone")
    wait_until_says(teacher, "#class-counts", "#1: 1", "the teacher")
    assert teacher.locator("#class-counts table.digit-counts td").all_inner_texts() == ["1"] + ["0"] * 9
    end_class(teacher)
    for page in (teacher, phone):
        page.context.close()


def test_a_phone_adds_drawings_that_are_not_a_digit_and_the_teacher_counts_them_apart(browser, app_url):
    teacher = open_page(browser, app_url, locale="zh-CN")
    link = start_class(teacher, "zh-CN")
    phone = phone_page(browser, "zh-CN")
    join(phone, 1, link, lang="zh-CN")
    phone.locator("#digit-pick label", has_text="✗").click()
    wait_until_says(phone, "#ask", text("ask_not_a_digit", "zh-CN"), "the phone")  # at once, in the page
    for _ in range(2):  # (what is drawn is the class's to say: it is stored as what was asked)
        draw_touch(phone, 8, "#teach-sketch canvas")
        phone.wait_for_timeout(HANDS_PACE)
        phone.locator("#add-button").click()
        wait_until_says(phone, "#teach-status", text("added_not_a_digit", "zh-CN"), "the phone")
        wait_until_says(phone, "#ask", text("ask_not_a_digit", "zh-CN"), "the phone")  # another, as picked
    wait_until_says(teacher, "#class-counts", "#1: 2", "the teacher")
    counts = teacher.locator("#class-counts table.digit-counts")
    assert counts.locator("th").all_inner_texts() == [*map(str, range(10)), "✗"]
    assert counts.locator("td").all_inner_texts() == ["0"] * 10 + ["2"]
    assert teacher.locator("#collection .collection-digit b").last.inner_text() == "✗"
    end_class(teacher)
    for page in (teacher, phone):
        page.context.close()


def test_ending_a_class_is_asked_in_the_page_apart_from_publish_and_no_keeps_the_class(browser, app_url):
    """End deletes every drawing and the class's model: one mis-click beside "Send to every student's
    pad" lost a class. The page asks (not a browser dialog, which phones and automation dismiss)."""
    teacher = open_page(browser, app_url)
    dialogs = []
    teacher.on("dialog", lambda dialog: dialogs.append(dialog.message))
    link = start_class(teacher)
    phone = phone_page(browser)
    join(phone, 1, link)
    add(phone, 3, touch=True)
    teacher.wait_for_function(says("#class-counts"), arg="#1: 1")
    publish, end = (teacher.locator(selector).bounding_box() for selector in ("#publish", "#end-class"))
    assert end["y"] >= publish["y"] + publish["height"] + 40  # below it, the students' tools between them
    teacher.locator("#end-class").click()
    teacher.locator("#end-confirm").wait_for(state="visible")
    assert "cannot be undone" in teacher.locator("#end-confirm").inner_text()
    assert not teacher.locator("#end-class").is_visible()
    teacher.locator("#end-class-no").click()
    teacher.locator("#end-class").wait_for(state="visible")
    assert not teacher.locator("#end-confirm").is_visible()
    add(phone, 4, touch=True)  # the class goes on
    teacher.wait_for_function(says("#class-counts"), arg="#1: 2")
    end_class(teacher)
    wait_until_says(teacher, "#teach-status", "The class ended")
    wait_until_says(phone, "#teach-status", OVER["en"])
    assert not dialogs
    for page in (teacher, phone):
        page.context.close()


def test_a_page_opened_by_a_class_link_offers_to_join_never_to_start_a_class(browser, app_url):
    """A phone whose link names no class there is now (ended, mistyped) is shown Join, not "Start a
    class" above it: a student who pressed Start became a teacher of a class of one."""
    phone = phone_page(browser)
    phone.goto(app_url.rstrip("/") + "/?class=ZZZZZZ")
    phone.get_by_text("There is no class with the code 'ZZZZZZ'").wait_for()  # said, in one line
    phone.get_by_role("tab", name=TEACH_TAB["en"]).click()
    phone.locator("#join-code").wait_for(state="visible")
    assert not phone.locator("#start-class").is_visible()
    teacher = open_page(browser, app_url)
    teacher.get_by_role("tab", name=TEACH_TAB["en"]).click()
    assert teacher.locator("#start-class").is_visible()  # (a page opened without a link starts classes)
    for page in (teacher, phone):
        page.context.close()


def test_a_reopened_phone_is_the_same_student_on_its_pad_and_a_reloaded_teacher_still_teaches(browser, app_url):
    """The page keeps the key the server issued it (never one it made up), so the same browser is
    the same member when it comes back; a student's page opens on its pad, link or not."""
    teacher = open_page(browser, app_url, viewport={"width": 1366, "height": 900})
    link = start_class(teacher)
    key = teacher.evaluate("() => localStorage.getItem('mnist-demo-key')")
    assert re.fullmatch(r"[0-9a-f]{64}", key)
    phone = phone_page(browser)
    join(phone, 1, link)
    phone.goto(app_url)  # opened again without the link: on the Teach tab, its pad in view
    phone.wait_for_function(says("#class-counts"), arg=STUDENT["en"].format(number=1))
    phone.wait_for_function(IN_VIEW, arg="#teach-sketch canvas")
    teacher.reload()
    teacher.get_by_role("tab", name="Teach").click()
    teacher.wait_for_selector("#class-card a.class-link")
    assert teacher.locator("#class-card a.class-link").inner_text() == link
    assert teacher.evaluate("() => localStorage.getItem('mnist-demo-key')") == key
    for page in (teacher, phone):
        page.context.close()


def test_a_chinese_lesson_on_6_phones_in_their_language_with_the_class_model_named_and_a_clear_end(browser, app_url):
    """A class of 6 phones joins, half by the link and half by the code: nothing in English, no error
    badge or toast, none of Gradio's progress texts and none of its screen-reader announcements in
    English on any phone throughout; each adds two drawings; after Publish (and after a reload, which
    brings a phone that typed the code back to its pad too) every phone's model line names the class's
    model; after End every phone says the class is over and its pad and Add are gone."""
    lang = "zh-CN"
    ARTIFACTS.mkdir(exist_ok=True)
    teacher = open_page(browser, app_url, viewport={"width": 1366, "height": 900}, locale=lang)
    link = start_class(teacher, lang)
    code = teacher.locator("#class-card .class-code b").inner_text()
    assert link.endswith(f"?class={code}")

    students = {}  # what each phone is called in a failure: the phone
    for number in range(1, PHONES + 1):
        by_link = number % 2 == 1
        name = f"phone {number} (joined by {'link' if by_link else 'code'})"
        students[name] = phone_page(browser, lang)
        join(students[name], number, link, lang, code=None if by_link else code, name=name)
    for number, (name, phone) in enumerate(students.items(), 1):
        for digit in (2 * number % 10, (2 * number + 1) % 10):  # 12 drawings, every digit among them
            add(phone, digit, touch=True, lang=lang)
        assert COUNT[lang].format(count=2) in phone.locator("#class-counts").inner_text(), name
        in_its_language(phone, code, name)
    next(iter(students.values())).screenshot(path=str(ARTIFACTS / "class-phone-zh.png"))

    roster = ", ".join(f"#{number}: 2" for number in range(1, PHONES + 1))
    teacher.wait_for_function(says("#class-counts"), arg=roster)  # every phone's drawings, on the teacher's screen
    teacher.locator("#teach-button").click()
    teacher.wait_for_selector("#teach-results table")
    teacher.locator("#publish").click()
    class_model = CLASS_MODEL[lang].format(version=1)
    said = {}  # Gradio's progress texts and English announcements on each phone, over its reload
    for name, phone in students.items():
        wait_until_says(phone, "#model-info", class_model, name)
        in_its_language(phone, code, name)
        said[name] = gradio_said(phone, code)
        phone.reload()  # (by the link: the link again; by the code: the app, which remembers the class)
    for name, phone in students.items():
        wait_until_says(phone, "#model-info", class_model, name)
        in_its_language(phone, code, name)

    end_class(teacher)
    for name, phone in students.items():
        wait_until_says(phone, "#teach-status", OVER[lang], name)
        assert not phone.locator("#add-button").is_visible(), name
        assert not phone.locator("#teach-sketch canvas").is_visible(), name
        in_its_language(phone, code, name)
        said[name] += gradio_said(phone, code)
    assert said == {name: [] for name in students}
    list(students.values())[-1].screenshot(path=str(ARTIFACTS / "class-phone-zh-over.png"))
    for page in (teacher, *students.values()):
        page.context.close()


def test_a_reopened_phone_whose_scripts_came_after_its_load_still_hears_of_the_class_end(browser, app_url):
    """Gradio draws a tab's content only once the tab is selected, and what keeps a student's page
    asking the server what is new (a timer) was in the Teach tab's: a phone reopened without the
    link, on a server so busy that the page's load was answered before its scripts (the ones that
    open the Teach tab) had arrived, stayed on the Draw tab and never heard of its class's end."""
    teacher = open_page(browser, app_url)
    link = start_class(teacher)
    phone = phone_page(browser)
    join(phone, 1, link)
    held, holding = [], [True]  # the page's scripts, held back until its load has been answered
    phone.route("**/gradio_api/file=**", lambda route: held.append(route) if holding[0] else route.continue_())
    phone.goto(app_url)
    phone.wait_for_function("() => window.mnistDemo?.entered")  # (the load's answer, its role shown)
    assert held and not phone.evaluate("() => window.mnistDemo?.classView")
    holding[0] = False
    for route in held:
        route.continue_()
    wait_until_says(phone, "#class-counts", STUDENT["en"].format(number=1), "the reopened phone")  # (on its pad)
    end_class(teacher)
    wait_until_says(phone, "#teach-status", OVER["en"], "the reopened phone")
    assert not phone.locator("#add-button").is_visible()
    for page in (teacher, phone):
        page.context.close()


def test_what_gradio_announces_before_the_pages_own_scripts_have_loaded_is_in_its_language(browser, app_url):
    """Gradio announces its page's load to screen readers ("In queue: 1 of 1", "common.complete"); a
    busy server answers that load before the page's own scripts have arrived, and the rewording that
    came with them was too late: phones of a Chinese class announced English."""
    phone = phone_page(browser, "zh-CN")
    held = []  # the page's scripts, held back
    phone.route("**/gradio_api/file=**", lambda route: held.append(route))
    phone.goto(app_url)
    # the load's end announced (Gradio's key for it, or its words), its scripts still held
    phone.wait_for_function("(done) => ['common.complete', done].some((said) => window.announced?.has(said))",
                            arg=text("event_done", "zh-CN"))
    said = phone.evaluate("() => Array.from(window.announced)")
    assert held and not phone.evaluate("() => window.mnistDemo?.language")  # (announced before them)
    assert not [words for words in said if english(words)], said
    for route in held:
        route.continue_()
    phone.context.close()


@pytest.mark.parametrize("by", ["code", "link"])
def test_a_phone_that_joins_before_the_pages_own_scripts_have_loaded_is_told_in_its_language(browser, app_url, by):
    """On a busy class's server Gradio's page can be used before the page's own scripts (app_ui/static,
    which carry its language to the server) have arrived: a phone that typed the code and joined
    meanwhile, or opened the link, was told "You joined class …" in English."""
    teacher = open_page(browser, app_url)
    link = start_class(teacher)
    phone = phone_page(browser, "zh-CN")
    held = []  # the page's scripts, held back until it has joined
    phone.route("**/gradio_api/file=**", lambda route: held.append(route))
    if by == "code":
        type_code(phone, app_url, link.split("?class=")[1], "zh-CN")
    else:
        phone.goto(link)
    phone.wait_for_function("() => /student 1|第 1 号学生/.test(document.querySelector('#class-counts')?.textContent)")
    joined = JOINED["zh-CN"].format(code=link.split("?class=")[1], number=1)
    assert joined in phone.locator("#teach-status").inner_text()
    assert STUDENT["zh-CN"].format(number=1) in phone.locator("#class-counts").inner_text()
    assert text("ask_digit", "zh-CN", digit=0) in phone.locator("#ask").inner_text()  # (it said "Draw a 0")
    assert held and not phone.evaluate("() => window.mnistDemo?.language")  # (it did join before them)
    for route in held:
        route.continue_()
    end_class(teacher)  # (an address holds 10 classes at once: the tests' all share one)
    wait_until_says(teacher, "#teach-status", "The class ended")
    for page in (teacher, phone):
        page.context.close()


def test_a_join_waits_for_the_pages_load_to_have_answered(browser, app_url):
    """A Join pressed while the page's load was still on its way (on a busy class's server it waits
    in Gradio's queue) went to the server beside it: each made the session a visitor of its own, and
    when the load's answer came last it said the page was in no class (and stopped its asking what is
    new, so the class's model and its end never reached it), with a key that was not the student's.
    The page's events are held back here: the Join must not leave before the load is answered."""
    teacher = open_page(browser, app_url)
    link = start_class(teacher)
    phone = phone_page(browser)
    held, holding = [], [True]  # the page's events, held back on their way to the server

    def hold(route):
        if holding[0]:
            held.append(route)
        else:
            route.continue_()

    phone.route(lambda url: "/gradio_api/queue/join" in url, hold)
    code = link.split("?class=")[1]
    type_code(phone, app_url, code)
    phone.wait_for_timeout(2000)  # (a Join that does not wait is on its way by now)
    holding[0] = False
    sent = [route for route in held if code in (route.request.post_data or "")]
    for route in held:
        route.continue_()
    assert not sent, "the Join left before the page's load was answered"
    wait_until_says(phone, "#class-counts", STUDENT["en"].format(number=1))
    assert phone.evaluate("() => localStorage.getItem('mnist-demo-key')") == \
        phone.evaluate("() => document.querySelector('#member-key textarea, #member-key input')?.value")
    end_class(teacher)
    wait_until_says(phone, "#teach-status", OVER["en"])
    for page in (teacher, phone):
        page.context.close()


def test_the_teach_pad_starts_empty_when_the_drawing_was_made_on_another_tab(browser, app_url):
    page = open_page(browser, app_url)
    draw_mouse(page, 3)
    assert page.evaluate("() => mnistDemo.drawing.state.strokes.length") > 0
    page.get_by_role("tab", name="Teach").click()
    page.wait_for_function("() => mnistDemo.drawing.state.strokes.length === 0")
    settle(page, "#teach-sketch canvas")
    draw_mouse(page, 7, "#teach-sketch canvas")  # the Teach pad's own drawing stays when the tab opens again
    page.get_by_role("tab", name="Draw").click()
    page.get_by_role("tab", name="Teach").click()
    page.locator("#teach-sketch canvas").wait_for()
    assert page.evaluate("() => mnistDemo.drawing.state.strokes.length") > 0
    page.context.close()


def test_a_student_joining_by_code_sees_their_pad_and_no_collection(browser, app_url):
    teacher = open_page(browser, app_url)
    link = start_class(teacher)
    phone = phone_page(browser)
    join(phone, 1, link, code=teacher.locator("#class-card .class-code b").inner_text())  # (their pad, in view)
    add(phone, 2, touch=True)
    assert COUNT["en"].format(count=1) in phone.locator("#class-counts").inner_text()
    assert not phone.locator("#collection").is_visible()  # (it said "no drawings yet")
    for page in (teacher, phone):
        page.context.close()


def test_on_a_projector_start_a_class_and_then_its_card_are_in_view_with_a_large_qr_code_and_tables(browser, app_url):
    teacher = open_page(browser, app_url, viewport={"width": 1920, "height": 1080})
    teacher.locator("#projector input").check()
    teacher.get_by_role("tab", name=TEACH_TAB["en"]).click()
    teacher.wait_for_function(IN_VIEW, arg="#start-class")  # (it was below the screen's edge)
    start_class(teacher)
    teacher.wait_for_selector("#class-card svg")
    teacher.wait_for_function(IN_VIEW, arg="#class-card svg")
    assert teacher.locator("#class-card svg").bounding_box()["width"] >= 400
    drawn = teacher.locator("#class-card svg path").bounding_box()["width"]  # the code itself, not a corner of it
    assert drawn >= 0.8 * teacher.locator("#class-card svg").bounding_box()["width"]
    size = "() => parseFloat(getComputedStyle(document.querySelector('#class-counts td')).fontSize)"
    teacher.wait_for_selector("#class-counts td")
    assert teacher.evaluate(size) >= 20
    teacher.screenshot(path=str(ARTIFACTS / "class-projector.png"))
    teacher.context.close()
