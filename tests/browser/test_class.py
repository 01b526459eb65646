"""A class in the browser: a teacher's page and two students' phones.

The QR code on the teacher's screen decodes (zxing-cpp) to the join link; a drawing a student adds
appears on the teacher's page within seconds; after Publish, the students' pads answer with the
class's model. Screenshots land in tests/browser/artifacts/.
"""

import io
import re
import time
from pathlib import Path

import pytest

from support.pagedriver import draw_mouse, draw_touch, open_page

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


def add(page, digit: int, touch: bool = False):
    """Draw `digit` on the Teach tab's pad, pick it, press Add, and wait for the page to say so."""
    page.locator(f"#digit-pick label:has-text('{digit}') input").check()
    (draw_touch if touch else draw_mouse)(page, digit, "#teach-sketch canvas")
    page.get_by_role("button", name="Add", exact=True).click()
    page.wait_for_function("(d) => document.querySelector('#teach-status')?.textContent.includes('Added: a ' + d)",
                           arg=str(digit), timeout=30_000)


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
    start = time.monotonic()
    add(students[0], 7, touch=True)
    teacher.wait_for_function("() => /#1: 1/.test(document.querySelector('#class-counts')?.textContent || '')",
                              timeout=10_000)
    assert time.monotonic() - start < 2 + 5  # the drawing's round trip, then the teacher's next look (1.5 s)
    assert teacher.locator("#collection figure").count() == 1
    add(students[1], 3, touch=True)
    students[1].screenshot(path=str(ARTIFACTS / "class-student.png"))

    before = students[0].evaluate("() => mnistDemo.pipeline.state.modelInfo.data.slice(0, 64)")
    for digit in range(10):  # the teacher's own drawings, so that there is something to teach
        add(teacher, digit)
    teacher.get_by_role("button", name="Teach the network our writing").click()
    teacher.wait_for_selector("#teach-results table", timeout=60_000)
    teacher.wait_for_function(  # the teacher's pad runs the taught model (its weights fetched: on a busy machine, a while)
        "(before) => mnistDemo.pipeline.state.modelInfo?.data?.slice(0, 64) !== before", arg=before, timeout=15_000)
    taught = teacher.evaluate("() => mnistDemo.pipeline.state.modelInfo.data.slice(0, 64)")
    teacher.get_by_role("button", name="Send to every student's pad").click()
    start = time.monotonic()
    for phone in students:
        phone.wait_for_function("(taught) => mnistDemo.pipeline.state.modelInfo?.data?.slice(0, 64) === taught",
                                arg=taught, timeout=15_000)
    assert time.monotonic() - start < 5 + 2
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
