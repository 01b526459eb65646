"""A class in the browser: a teacher's page and two students' phones.

The QR code on the teacher's screen decodes (zxing-cpp) to the join link; a drawing a student adds
appears on the teacher's page within seconds; after Publish, the students' pads answer with the
class's model. Screenshots land in tests/browser/artifacts/.
"""

import io
from pathlib import Path

import pytest

from support.pagedriver import draw_mouse, draw_touch, new_page, open_page

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
                           arg=str(digit))


def test_a_class_of_phones_draws_for_its_teacher_who_publishes_back(browser, app_url):
    ARTIFACTS.mkdir(exist_ok=True)
    teacher = open_page(browser, app_url, viewport={"width": 1366, "height": 900})
    teacher.get_by_role("tab", name="Teach").click()
    teacher.get_by_role("button", name="Start a class").click()
    teacher.wait_for_selector("#class-card svg")
    link = teacher.locator("#class-card a.class-link").inner_text()
    assert read_qr(teacher) == link and "?class=" in link
    teacher.screenshot(path=str(ARTIFACTS / "class-teacher.png"), full_page=True)

    students = []
    for number in (1, 2):
        phone = new_page(browser, **PHONE)
        phone.goto(link)
        phone.wait_for_function("() => /student/.test(document.querySelector('#class-counts')?.textContent || '')")
        assert f"student {number}" in phone.locator("#class-counts").inner_text()
        assert phone.locator("#teach-sketch canvas").is_visible()  # the pad, on the Teach tab
        students.append(phone)
    add(students[0], 7, touch=True)
    # the teacher's page looks by itself (how soon on a quiet machine: bench/class_load.py, not a test)
    teacher.wait_for_function("() => /#1: 1/.test(document.querySelector('#class-counts')?.textContent || '')")
    assert teacher.locator("#collection figure").count() == 1
    add(students[1], 3, touch=True)
    students[1].screenshot(path=str(ARTIFACTS / "class-student.png"))

    before = students[0].evaluate("() => mnistDemo.pipeline.state.modelInfo.data.slice(0, 64)")
    for digit in range(10):  # the teacher's own drawings, so that there is something to teach
        add(teacher, digit)
    teacher.get_by_role("button", name="Teach the network our writing").click()
    teacher.wait_for_selector("#teach-results table")
    # the teacher's pad runs the taught model (which reaches it as another output, maybe after the results)
    teacher.wait_for_function("(before) => mnistDemo.pipeline.state.modelInfo.data.slice(0, 64) !== before", arg=before)
    taught = teacher.evaluate("() => mnistDemo.pipeline.state.modelInfo.data.slice(0, 64)")
    teacher.get_by_role("button", name="Send to every student's pad").click()
    for phone in students:
        phone.wait_for_function("(taught) => mnistDemo.pipeline.state.modelInfo?.data?.slice(0, 64) === taught",
                                arg=taught)
    teacher.screenshot(path=str(ARTIFACTS / "class-taught.png"), full_page=True)
    for page in (teacher, *students):
        page.context.close()
