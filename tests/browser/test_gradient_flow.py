"""The gradient's flow (issue 22) as a class sees it: the lesson pair run one after the other lands in
two panels on one log scale, the run before on the left, a line per layer coloured first to last and
named at its end, sigmoid's first layer far below ReLU's; Step draws the same lengths step by step, in
Chinese too.

(The app trains on the tiny generated data set here: the runs are a few steps long.)
"""

from pathlib import Path

import pytest

from support.pagedriver import finished_run, open_page

ARTIFACTS = Path(__file__).parent / "artifacts"
FIRST_LAYER, LAST_LAYER = "#d55e00", "#0072b2"  # curves.layer_colours: vermilion first, blue last

pytestmark = pytest.mark.browser


def lines(page, plot: str) -> list[dict]:
    """Every curve drawn on `plot`: its colour, name (its tooltip) and points in pixels."""
    return page.evaluate("""(plot) => [...document.querySelectorAll(`${plot} polyline`)].map((line) => ({
        colour: line.getAttribute('stroke'),
        name: line.querySelector('title').textContent,
        points: line.getAttribute('points').split(' ').map((p) => p.split(',').map(Number)) }))""", plot)


def choose_preset(page, label: str, hidden: str, activation: str) -> None:
    """Pick a recipe, and wait until the form shows it: its hidden sizes and its activation function (the
    lesson pair's sizes are alike: a Train pressed before the activation came trained the one before's)."""
    page.get_by_label(label).check()
    page.wait_for_function("([h, a]) => { const boxes = [...document.querySelectorAll('#train-form textarea, #train-form input')];"
                           " return boxes.some((box) => box.value === h) && boxes.some((box) => box.value === a); }",
                           arg=[hidden, activation])


def line_ends(page, plot: str) -> list[dict]:
    """The names written at the lines' ends on `plot`: text, colour and box."""
    return page.evaluate("""(plot) => [...document.querySelectorAll(`${plot} text.line-end`)].map((t) => {
        const box = t.getBBox(); return { text: t.textContent, colour: t.style.fill, x: box.x, y: box.y,
                                          width: box.width, height: box.height }; })""", plot)


def test_the_lesson_pair_compares_sigmoid_and_relu_layer_by_layer_in_two_panels_on_one_log_scale(browser, app_url):
    page = open_page(browser, app_url, viewport={"width": 1366, "height": 768}, locale="en")
    page.get_by_role("tab", name="Train").click()
    for done, (preset, label, activation) in enumerate((("lesson: 8 sigmoid layers", "8 sigmoid layers", "sigmoid"),
                                                        ("lesson: 8 ReLU layers", "8 ReLU layers", "ReLU")), start=1):
        choose_preset(page, preset, ",".join(["64"] * 8), activation)
        page.locator("#train-button").click()
        finished_run(page, done)
    drawn = lines(page, "#gradient-plot")
    sigmoid = [line for line in drawn if line["name"].startswith("8 sigmoid layers")]
    relu = [line for line in drawn if line["name"].startswith("8 ReLU layers")]
    assert len(sigmoid) == len(relu) == 9  # 8 hidden layers and the output layer, each run
    # the run before (sigmoid) in the left panel, the latest in the right one, both at 1366 px wide
    assert max(p[0] for line in sigmoid for p in line["points"]) < min(p[0] for line in relu for p in line["points"])
    titles = page.evaluate("() => [...document.querySelectorAll('#gradient-plot .panel-title')].map((t) => t.textContent)")
    assert titles == ["8 sigmoid layers", "8 ReLU layers"]
    first = {run: next(line for line in lines_ if line["name"].endswith(": layer 1"))
             for run, lines_ in (("sigmoid", sigmoid), ("relu", relu))}
    assert first["sigmoid"]["colour"] == first["relu"]["colour"] == FIRST_LAYER
    assert next(line for line in relu if line["name"].endswith("layer 9 (output)"))["colour"] == LAST_LAYER
    # on the log axis sigmoid's first layer starts far below ReLU's (a larger y is lower on the page)
    assert first["sigmoid"]["points"][0][1] > first["relu"]["points"][0][1] + 50
    ticks = page.evaluate("() => [...document.querySelectorAll('#gradient-plot svg text')].map((t) => t.textContent)")
    assert any(t.startswith("10⁻") for t in ticks) and "gradient length" in ticks
    legend = page.locator("#gradient-plot .plot-legend li").all_inner_texts()
    assert legend[0] == "layer 1" and legend[8] == "layer 9 (output)" and len(legend) == 9
    ends = line_ends(page, "#gradient-plot")  # each line named at its end, in its colour, no two names overlapping
    assert sorted(e["text"] for e in ends) == sorted(legend * 2)
    assert {e["colour"] for e in ends if e["text"] == "layer 1"} == {"rgb(213, 94, 0)"}
    for panel in (ends[:9], ends[9:]):
        boxes = sorted(panel, key=lambda e: e["y"])
        assert all(b["y"] >= a["y"] + a["height"] * 0.85 for a, b in zip(boxes, boxes[1:])), boxes
    width = page.evaluate("() => document.querySelector('#gradient-plot svg').getBoundingClientRect().width")
    assert all(e["x"] + e["width"] <= width + 1 for e in ends)  # within the plot, not cut at its edge
    inside = page.evaluate("""() => { const svg = document.querySelector('#gradient-plot svg');
        const ys = [...svg.querySelectorAll('line.grid')].filter((l) => l.getAttribute('y1') === l.getAttribute('y2'))
          .map((l) => +l.getAttribute('y1'));
        return [...svg.querySelectorAll('polyline')].every((line) => line.getAttribute('points').split(' ')
          .every((p) => { const y = +p.split(',')[1]; return y >= Math.min(...ys) - 0.5 && y <= Math.max(...ys) + 0.5; })); }""")
    assert inside, "a gradient curve leaves the plot's axes"
    ARTIFACTS.mkdir(exist_ok=True)
    page.locator("#gradient-plot").scroll_into_view_if_needed()
    page.locator("#gradient-plot").screenshot(path=str(ARTIFACTS / "lesson-gradient.png"))
    page.context.close()


def test_step_draws_each_layers_gradient_length_step_by_step_in_chinese(browser, app_url):
    page = open_page(browser, app_url, viewport={"width": 1366, "height": 768}, locale="zh-CN")
    page.get_by_role("tab", name="训练").click()
    empty = page.locator("#step-gradient-plot .plot-empty")
    assert "按下单步" in empty.inner_text()
    choose_preset(page, "课堂：8 层 sigmoid", ",".join(["64"] * 8), "sigmoid")
    for steps in (1, 2, 3):
        page.locator("#step-button").click()
        page.wait_for_function("""(n) => n === 1  // (a line of one point is a dot)
            ? document.querySelectorAll('#step-gradient-plot svg circle').length === 9
            : [...document.querySelectorAll('#step-gradient-plot polyline')]
                .some((line) => line.getAttribute('points').split(' ').length === n)""", arg=steps)
    drawn = lines(page, "#step-gradient-plot")
    assert len(drawn) == 9 and all(len(line["points"]) == 3 for line in drawn)
    assert sorted(line["name"] for line in drawn)[0] == "第 1 层"  # each line's tooltip: its layer, in Chinese
    legend = page.locator("#step-gradient-plot .plot-legend li").all_inner_texts()
    assert legend[0] == "第 1 层" and legend[-1] == "第 9 层（输出层）" and len(legend) == 9
    assert "梯度长度" in page.evaluate("() => document.querySelector('#step-gradient-plot svg').textContent")
    steps = page.evaluate("""() => [...document.querySelectorAll('#step-gradient-plot .axes text[text-anchor=middle]')]
        .filter((t) => !t.classList.contains('axis-title') && !t.classList.contains('panel-title')).map((t) => t.textContent)""")
    assert steps and all(s.replace(",", "").isdigit() for s in steps), steps  # whole steps (it once read "939.2")
    for span in ((939, 941), (939, 950), (939, 951), (1, 13)):  # (and never 2.5 apart)
        assert all(float(t).is_integer() for t in page.evaluate("(s) => mnistDemo.plot.ticks(s[0], s[1], 5, 1)", span))
    page.context.close()
