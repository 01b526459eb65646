"""A class in the browser: a teacher's page and two students' phones.

The QR code on the teacher's screen decodes (zxing-cpp) to the join link; a drawing a student adds
appears on the teacher's page within seconds; after Publish, the students' pads answer with the
class's model. Screenshots land in tests/browser/artifacts/.
"""

import io
import re
from pathlib import Path

import pytest

from support.pagedriver import draw_mouse, draw_touch, open_page, settle

ARTIFACTS = Path(__file__).parent / "artifacts"
PHONE = dict(viewport={"width": 390, "height": 844}, device_scale_factor=2, is_mobile=True, has_touch=True)

pytestmark = pytest.mark.browser


def read_qr(page) -> str:
    """The text of the QR code on the teacher's page, read from a screenshot of it."""
    import zxingcpp
    from PIL import Image

    shot = page.locator("#class-card svg").screenshot()
    found = zxingcpp.read_barcodes(Image.open(io.BytesIO(shot)))
    assert found, "no QR code could be read from the teacher's screen"
    return found[0].text


ADDED = {"en": "Added: a {digit}", "zh-CN": "已添加：一个 {digit}"}
WORDS_ALLOWED = {"MNIST", "MLP", "API", "Gradio"}  # names, the same in Chinese
IN_VIEW = "(s) => { const r = document.querySelector(s).getBoundingClientRect(); return r.top >= 0 && r.bottom <= innerHeight; }"


def add(page, digit: int, touch: bool = False, lang: str = "en"):
    """Draw `digit` on the Teach tab's pad, pick it, press Add, and wait for the page to say so."""
    page.locator(f"#digit-pick label:has-text('{digit}') input").check()
    (draw_touch if touch else draw_mouse)(page, digit, "#teach-sketch canvas")
    page.locator("#add-button").click()
    page.wait_for_function("(said) => document.querySelector('#teach-status')?.textContent.includes(said)",
                           arg=ADDED[lang].format(digit=digit), timeout=30_000)


# Gradio's progress texts ("queue: 1/1", "processing | 0.2s") the page ever shows, noted as they appear
NOTE_PROGRESS = """document.addEventListener("DOMContentLoaded", () => {
  window.progressSeen = new Set();
  new MutationObserver(() => {
    for (const text of document.querySelectorAll(".progress-text, .meta-text, .meta-text-center")) {
      const wrap = getComputedStyle(text.closest(".wrap") || text);
      if (text.getClientRects().length && wrap.opacity !== "0" && wrap.visibility !== "hidden" && text.textContent.trim())
        window.progressSeen.add(text.textContent.trim());
    }
  }).observe(document.documentElement, { subtree: true, childList: true, characterData: true, attributes: true });
});"""


def english_on(page, code: str = "") -> list[str]:
    """Words in Latin letters the page shows (its visible text), but names and the class's code."""
    return [w for w in re.findall(r"[A-Za-z]{2,}", page.locator("body").inner_text())
            if w not in WORDS_ALLOWED and w not in code]


def errors_on(page) -> int:
    """Error badges and error toasts the page shows."""
    return page.evaluate("() => Array.from(document.querySelectorAll('.error')).filter((e) => e.getClientRects().length).length")


def test_a_class_of_phones_draws_for_its_teacher_who_publishes_back(browser, app_url):
    ARTIFACTS.mkdir(exist_ok=True)
    teacher = open_page(browser, app_url, viewport={"width": 1366, "height": 900})
    teacher.get_by_role("tab", name="Teach").click()
    teacher.get_by_role("button", name="Start a class").click()
    teacher.wait_for_selector("#class-card svg", timeout=30_000)
    link = teacher.locator("#class-card a.class-link").inner_text()
    assert read_qr(teacher) == link and "?class=" in link
    teacher.screenshot(path=str(ARTIFACTS / "class-teacher.png"), full_page=True)

    students = []
    for number in (1, 2):
        phone = browser.new_context(**PHONE).new_page()
        phone.goto(link)
        phone.wait_for_function("() => /student/.test(document.querySelector('#class-counts')?.textContent || '')",
                                timeout=60_000)
        assert f"student {number}" in phone.locator("#class-counts").inner_text()
        assert phone.locator("#teach-sketch canvas").is_visible()  # the pad, on the Teach tab
        students.append(phone)
    add(students[0], 7, touch=True)  # (how soon the teacher sees it: bench/class_load measures it)
    teacher.wait_for_function("() => /#1: 1/.test(document.querySelector('#class-counts')?.textContent || '')",
                              timeout=120_000)
    assert teacher.locator("#collection figure").count() == 1
    add(students[1], 3, touch=True)
    students[1].screenshot(path=str(ARTIFACTS / "class-student.png"))

    before = students[0].evaluate("() => mnistDemo.pipeline.state.modelInfo.data.slice(0, 64)")
    for digit in range(10):  # the teacher's own drawings, so that there is something to teach
        add(teacher, digit)
    teacher.get_by_role("button", name="Teach the network our writing").click()
    teacher.wait_for_selector("#teach-results table", timeout=60_000)
    # the teacher's pad runs the taught model (it arrives by the model's change, after the results)
    teacher.wait_for_function("(before) => mnistDemo.pipeline.state.modelInfo?.data?.slice(0, 64) !== before",
                              arg=before, timeout=30_000)
    taught = teacher.evaluate("() => mnistDemo.pipeline.state.modelInfo.data.slice(0, 64)")
    teacher.get_by_role("button", name="Send to every student's pad").click()
    for phone in students:
        phone.wait_for_function("(taught) => mnistDemo.pipeline.state.modelInfo?.data?.slice(0, 64) === taught",
                                arg=taught, timeout=120_000)
    teacher.screenshot(path=str(ARTIFACTS / "class-taught.png"), full_page=True)
    for page in (teacher, *students):
        page.context.close()


def test_a_reopened_phone_is_the_same_student_and_a_reloaded_teacher_still_teaches(browser, app_url):
    """The page keeps the key the server issued it (never one it made up), so the same browser is
    the same member when it comes back."""
    teacher = open_page(browser, app_url, viewport={"width": 1366, "height": 900})
    teacher.get_by_role("tab", name="Teach").click()
    teacher.get_by_role("button", name="Start a class").click()
    teacher.wait_for_selector("#class-card svg", timeout=30_000)
    link = teacher.locator("#class-card a.class-link").inner_text()
    key = teacher.evaluate("() => localStorage.getItem('mnist-demo-key')")
    assert re.fullmatch(r"[0-9a-f]{64}", key)
    phone = browser.new_context(**PHONE).new_page()
    phone.goto(link)
    student = "() => /student \\d/.test(document.querySelector('#class-counts')?.textContent || '')"
    phone.wait_for_function(student, timeout=60_000)
    number = re.search(r"student \d+", phone.locator("#class-counts").inner_text())[0]
    phone.goto(app_url)  # opened again without the link
    phone.get_by_role("tab", name="Teach").click()
    phone.wait_for_function(student, timeout=60_000)
    assert number in phone.locator("#class-counts").inner_text()
    teacher.reload()
    teacher.get_by_role("tab", name="Teach").click()
    teacher.wait_for_selector("#class-card a.class-link", timeout=60_000)
    assert teacher.locator("#class-card a.class-link").inner_text() == link
    assert teacher.evaluate("() => localStorage.getItem('mnist-demo-key')") == key
    for page in (teacher, phone):
        page.context.close()


def test_a_chinese_lesson_on_a_phone_in_its_language_with_the_class_model_named_and_a_clear_end(browser, app_url):
    """A phone joins by the link: nothing in English, no error badge and none of Gradio's progress
    texts throughout; after Publish (and after a reload) its model line names the class's model; after
    End it says the class is over."""
    ARTIFACTS.mkdir(exist_ok=True)
    teacher = open_page(browser, app_url, viewport={"width": 1366, "height": 900}, locale="zh-CN")
    teacher.get_by_role("tab", name="教它认字").click()
    teacher.locator("#start-class").click()
    teacher.wait_for_selector("#class-card a.class-link", timeout=30_000)
    link = teacher.locator("#class-card a.class-link").inner_text()
    code = link.split("?class=")[1]

    context = browser.new_context(**PHONE, locale="zh-CN")
    context.add_init_script(NOTE_PROGRESS)
    phone = context.new_page()
    phone.goto(link)
    phone.wait_for_function("() => /第 1 号学生/.test(document.querySelector('#class-counts')?.textContent || '')",
                            timeout=60_000)
    phone.wait_for_function(IN_VIEW, arg="#teach-sketch canvas", timeout=30_000)  # the pad, in view
    settle(phone, "#teach-sketch canvas")
    assert "你以第 1 号学生的身份加入了班级" in phone.locator("#teach-status").inner_text()
    add(phone, 7, touch=True, lang="zh-CN")
    assert not english_on(phone, code), english_on(phone, code)
    assert errors_on(phone) == 0
    phone.screenshot(path=str(ARTIFACTS / "class-phone-zh.png"))

    for digit in range(10):
        add(teacher, digit, lang="zh-CN")
    teacher.locator("#teach-button").click()
    teacher.wait_for_selector("#teach-results table", timeout=120_000)
    teacher.locator("#publish").click()
    class_model = "() => /你们班级的模型（第 1 版）/.test(document.querySelector('#model-info')?.textContent || '')"
    phone.wait_for_function(class_model, timeout=60_000)
    phone.reload()
    phone.wait_for_function(class_model, timeout=60_000)
    assert not english_on(phone, code), english_on(phone, code)
    assert errors_on(phone) == 0

    teacher.locator("#end-class").click()
    phone.wait_for_function("() => /课程结束了/.test(document.querySelector('#teach-status')?.textContent || '')",
                            timeout=60_000)
    assert not phone.locator("#add-button").is_visible() and not phone.locator("#teach-sketch canvas").is_visible()
    assert not english_on(phone, code), english_on(phone, code)
    assert errors_on(phone) == 0
    assert phone.evaluate("() => Array.from(window.progressSeen)") == []  # (after the reload: the same phone)
    phone.screenshot(path=str(ARTIFACTS / "class-phone-zh-over.png"))
    for page in (teacher, phone):
        page.context.close()


def test_the_teach_pad_starts_empty_when_the_drawing_was_made_on_another_tab(browser, app_url):
    page = open_page(browser, app_url)
    draw_mouse(page, 3)
    assert page.evaluate("() => mnistDemo.drawing.state.strokes.length") > 0
    page.get_by_role("tab", name="Teach").click()
    page.wait_for_function("() => mnistDemo.drawing.state.strokes.length === 0", timeout=30_000)
    settle(page, "#teach-sketch canvas")
    draw_mouse(page, 7, "#teach-sketch canvas")  # the Teach pad's own drawing stays when the tab opens again
    page.get_by_role("tab", name="Draw").click()
    page.get_by_role("tab", name="Teach").click()
    page.locator("#teach-sketch canvas").wait_for(timeout=30_000)
    assert page.evaluate("() => mnistDemo.drawing.state.strokes.length") > 0
    page.context.close()


def test_a_student_joining_by_code_sees_their_pad_and_no_collection(browser, app_url):
    teacher = open_page(browser, app_url)
    teacher.get_by_role("tab", name="Teach").click()
    teacher.locator("#start-class").click()
    teacher.wait_for_selector("#class-card .class-code b", timeout=30_000)
    code = teacher.locator("#class-card .class-code b").inner_text()
    phone = browser.new_context(**PHONE).new_page()
    phone.goto(app_url)
    phone.get_by_role("tab", name="Teach").click()
    phone.locator("#join-code input, #join-code textarea").fill(code)
    phone.get_by_role("button", name="Join", exact=True).click()
    phone.wait_for_function("() => /student 1/.test(document.querySelector('#class-counts')?.textContent || '')",
                            timeout=60_000)
    phone.wait_for_function(IN_VIEW, arg="#teach-sketch canvas", timeout=30_000)
    settle(phone, "#teach-sketch canvas")
    add(phone, 2, touch=True)
    assert "1 drawings added" in phone.locator("#class-counts").inner_text()
    assert not phone.locator("#collection").is_visible()  # (it said "no drawings yet")
    for page in (teacher, phone):
        page.context.close()


def test_on_a_projector_the_class_card_comes_into_view_with_a_large_qr_code_and_tables(browser, app_url):
    teacher = open_page(browser, app_url, viewport={"width": 1920, "height": 1080})
    teacher.locator("#projector input").check()
    teacher.get_by_role("tab", name="Teach").click()
    teacher.locator("#start-class").click()
    teacher.wait_for_selector("#class-card svg", timeout=30_000)
    teacher.wait_for_function(IN_VIEW, arg="#class-card svg", timeout=30_000)
    assert teacher.locator("#class-card svg").bounding_box()["width"] >= 400
    drawn = teacher.locator("#class-card svg path").bounding_box()["width"]  # the code itself, not a corner of it
    assert drawn >= 0.8 * teacher.locator("#class-card svg").bounding_box()["width"]
    size = "() => parseFloat(getComputedStyle(document.querySelector('#class-counts td')).fontSize)"
    teacher.wait_for_selector("#class-counts td", timeout=30_000)
    assert teacher.evaluate(size) >= 20
    teacher.screenshot(path=str(ARTIFACTS / "class-projector.png"))
    teacher.context.close()
