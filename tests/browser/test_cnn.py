"""The small CNN in the page (issue 22): its forward pass (cnn.js) against torch, on given inputs and
on the same pen-written drawings; the pad switched between the shipped MLP and the shipped CNN from
the model picker, and Explore's feature maps."""

import copy
from pathlib import Path

import numpy as np
import pytest
import torch

from app_ui.components import drawing_picture, model_payload
from mnist_model import Classifier, checkpoint
from mnist_model.explain import look_inside
from mnist_model.model import CNN
from mnist_model.not_digits import NOT_A_DIGIT
from support.pagedriver import draw_in_page, draw_mouse, held_out_on_pad, not_digits_on_pad, open_page, wait_for_digit
from support.strokes import given_input

pytestmark = pytest.mark.browser
ARTIFACTS = Path(__file__).parent / "artifacts"

FORWARD = ("([payload, x]) => { const f = mnistDemo.cnn.forward(mnistDemo.cnn.decode(payload), x);"
           " return {a: f.activations.map((v) => Array.from(v)), l: Array.from(f.logits),"
           " p: Array.from(f.probabilities)}; }")


@pytest.fixture(scope="module")
def shipped_cnn() -> Classifier:
    if not checkpoint.SHIPPED_CNN.is_file():
        pytest.skip("no shipped CNN checkpoint")
    return Classifier.load(checkpoint.SHIPPED_CNN)




CNNS = {"relu": ("relu",), "sigmoid": ("sigmoid",), "tanh": ("tanh",), "leaky-relu": ("leaky_relu",),
        "eleven-answers": ("relu", 11), "shipped": None}


@pytest.mark.parametrize("activation", CNNS.values(), ids=CNNS.keys())
@pytest.mark.parametrize("kind", [0, 1, 2], ids=["drawing", "random-pixels", "blank"])
def test_the_pages_cnn_forward_pass_equals_torch_within_1e_5(page, request, activation, kind):
    if activation is None:
        clf = request.getfixturevalue("shipped_cnn")
    else:
        torch.manual_seed(kind)
        clf = Classifier(CNN(*activation))
    x = given_input(kind)
    got = page.evaluate(FORWARD, [model_payload(clf), x.ravel().tolist()])
    # forward hooks on torch's own pass (feature maps, hidden units), in float64 as the page sums: the
    # comparison is of the JavaScript, not of this CPU's float32 convolutions
    inside = look_inside(copy.deepcopy(clf.model).double(), x)
    assert [len(a) for a in got["a"]] == [a.size for a in inside.activations] == [8 * 24 * 24, 16 * 8 * 8, 160]
    for page_stage, torch_stage in zip(got["a"], inside.activations):
        np.testing.assert_allclose(page_stage, torch_stage.ravel(), atol=1e-5)
    np.testing.assert_allclose(got["l"], inside.logits, atol=1e-5)
    np.testing.assert_allclose(got["p"], inside.probabilities, atol=1e-5)


def read_in_page_and_in_python(page, shipped, clf, strokes) -> list[tuple[int, int]]:
    """Each drawing drawn on the page's pad with `clf` running in the page: the page's CNN on the page's
    input equals torch's (1e-5), and for each drawing, (the page's answer, Python's answer from the
    page's picture, the whole way): 10 is "not a digit"."""
    page.evaluate("(payload) => mnistDemo.pipeline.setModel(payload)", model_payload(clf))
    try:
        results = draw_in_page(page, strokes)
    finally:
        page.evaluate("(payload) => mnistDemo.pipeline.setModel(payload)", model_payload(shipped))
    answers = []
    for result in results:
        reference = clf.preprocess(drawing_picture(result["picture"]))
        assert (reference is None) == (result["input"] is None)
        if reference is None:
            continue
        page_input = np.array(result["input"], np.float32).reshape(28, 28)
        np.testing.assert_allclose(result["probabilities"], clf.probabilities(page_input), atol=1e-5)
        answers.append((int(np.argmax(result["probabilities"])), int(clf.probabilities(reference).argmax())))
    return answers


def test_the_page_reads_pen_written_digits_with_the_cnn_as_python_does(page, shipped, shipped_cnn):
    """The same drawings as the MLP's parity test: the page's answer is Python's."""
    strokes, labels = held_out_on_pad(300, heights=(0.35, 0.8))
    answers = read_in_page_and_in_python(page, shipped, shipped_cnn, strokes)
    assert len(answers) == len(labels)
    assert sum(mine == python for mine, python in answers) / len(answers) >= 0.995
    assert sum(python == label for (_, python), label in zip(answers, labels)) / len(answers) > 0.9  # read, too


def test_the_page_says_not_a_digit_to_letters_and_doodles_with_the_shipped_cnn_as_python_does(page, shipped,
                                                                                              shipped_cnn):
    """Issue 30: the shipped CNN's 11th answer in the page's own forward pass, on letters of people it
    never learned from and doodles of another seed."""
    assert shipped_cnn.answers == 11
    answers = read_in_page_and_in_python(page, shipped, shipped_cnn, not_digits_on_pad(120, heights=(0.35, 0.8)))
    assert len(answers) == 120 and sum(mine == python for mine, python in answers) / len(answers) >= 0.99
    assert sum(python == NOT_A_DIGIT for _, python in answers) / len(answers) >= 0.9  # said, not just agreed on


PHONE = dict(viewport={"width": 390, "height": 844}, device_scale_factor=3, is_mobile=True, has_touch=True)


@pytest.mark.parametrize("device", [{}, PHONE], ids=["laptop", "phone"])
def test_the_pad_switches_between_the_shipped_mlp_and_the_shipped_cnn(browser, app_url, shipped_cnn, device):
    page = open_page(browser, app_url, **device)
    page.wait_for_function("() => mnistDemo.pipeline.state.modelInfo?.sizes.join() === '784,64,64,64,10'")
    page.get_by_role("tab", name="Train").click()
    page.get_by_text("Saved models").click()
    page.get_by_label("Saved checkpoints").click()
    page.get_by_role("option", name="the shipped small CNN").click()  # (named, with its figures)
    page.get_by_role("button", name="Use selected").click()
    page.wait_for_function("() => mnistDemo.pipeline.state.modelInfo?.architecture === 'cnn'")
    page.wait_for_function("() => document.body.innerText.includes('small CNN 28×28 → 8×24×24')")  # the model's line
    # ... said beside the button too (the model line is at the page's top), and not in the title
    page.wait_for_function("() => document.querySelector('#saved-active')?.innerText.includes('small CNN 28×28')")
    assert "guesses it as you draw" in (title := page.locator(".prose:has(h1)").first.text_content()) and "perceptron" not in title
    page.get_by_role("tab", name="Draw").click()
    draw_mouse(page, 7)
    wait_for_digit(page, "7")
    page.get_by_role("tab", name="Explore").click()
    # the CNN's two convolutions as feature maps, then its hidden layer
    page.wait_for_function("() => document.querySelectorAll('#layers figure.maps canvas').length === 2"
                           " && document.querySelectorAll('#layers figure canvas').length === 3")
    page.wait_for_function("() => /feature maps of convolution 1: 8 maps of 24 × 24/"
                           ".test(document.querySelector('#layers figcaption').textContent)")
    assert page.locator("#layers .maps-intro").is_visible() == (not device)  # a phone keeps its pad in view
    # the feature maps fit the page's width, on a phone too
    assert page.evaluate("() => { const l = document.querySelector('#layers .layers');"
                         " return l.scrollWidth <= l.clientWidth + 1; }")
    page.screenshot(path=str(ARTIFACTS / f"explore-cnn-{'phone' if device else 'laptop'}.png"), full_page=True)
    page.get_by_role("tab", name="Train").click()
    page.get_by_role("button", name="Back to the shipped model").click()
    page.wait_for_function("() => mnistDemo.pipeline.state.modelInfo?.sizes.join() === '784,64,64,64,10'"
                           " && !mnistDemo.pipeline.state.modelInfo.architecture")
    page.get_by_role("tab", name="Explore").click()
    page.wait_for_function("() => !document.querySelector('#layers figure.maps')"
                           " && document.querySelectorAll('#layers figure canvas').length === 3")
    assert not page.locator("#layers .maps-intro").is_visible()
    page.context.close()
