"""Looking inside the network: hooks record the real forward pass; pictures; translations."""

import re
import string
from pathlib import Path

import numpy as np
import pytest
import torch

from tests.strokes import render_sketch

from mnist_model import visual
from mnist_model.explain import first_layer_weights, look_inside
from mnist_model.i18n import LANGUAGES, TEXTS, text
from mnist_model.model import MLP
from mnist_model.preprocess import to_mnist

DIGIT = to_mnist(render_sketch(4))


def independent_forward(model: MLP, digit: np.ndarray):
    """The same network computed by hand from its weights: hidden activations and logits."""
    x = torch.tensor(digit, dtype=torch.float64).reshape(784)
    activations = []
    with torch.no_grad():
        return _layers(model, x, activations)


def _layers(model: MLP, x: torch.Tensor, activations: list):
    for layer in model.layers[:-1]:
        x = torch.clamp(layer.weight.double() @ x + layer.bias.double(), min=0)
        activations.append(x.numpy())
    return activations, (model.layers[-1].weight.double() @ x + model.layers[-1].bias.double()).numpy()


@pytest.fixture(params=[(64, 64, 64), (32, 16), (8,)], ids=["shipped-shape", "two-layers", "one-narrow-layer"])
def model(request, shipped):
    if request.param == (64, 64, 64):
        return shipped.model
    torch.manual_seed(1)
    return MLP(request.param).eval()


def test_recorded_activations_equal_an_independent_forward_pass(model):
    inside = look_inside(model, DIGIT)
    expected, logits = independent_forward(model, DIGIT)
    assert [a.shape for a in inside.activations] == [(n,) for n in model.hidden]
    for got, want in zip(inside.activations, expected):
        np.testing.assert_allclose(got, want, atol=1e-4)
        assert (got >= 0).all()
    np.testing.assert_allclose(inside.logits, logits, atol=1e-4)
    np.testing.assert_allclose(inside.probabilities, np.exp(logits - logits.max()) / np.exp(logits - logits.max()).sum(), atol=1e-5)
    assert not model.layers[0]._forward_hooks and not model.activations[0]._forward_hooks  # hooks removed


def test_weight_images_have_one_28x28_picture_per_first_layer_unit(model):
    weights = first_layer_weights(model)
    assert weights.shape == (model.hidden[0], 28, 28)
    np.testing.assert_array_equal(weights[3].ravel(), model.layers[0].weight[3].detach().numpy())


def test_saliency_has_the_input_shape_and_lives_on_the_drawn_pixels(shipped):
    inside = look_inside(shipped.model, DIGIT)
    assert inside.saliency.shape == (28, 28)
    assert np.all(inside.saliency[DIGIT == 0] == 0)  # gradient x input: nothing where nothing is drawn
    assert np.abs(inside.saliency[DIGIT > 0.5]).sum() > 0
    other = look_inside(shipped.model, to_mnist(render_sketch(7)))
    assert not np.allclose(other.saliency, inside.saliency)


def test_saliency_explains_the_winning_score_up_to_the_biases(shipped):
    """A ReLU network is linear around its input: score = sum(gradient x input) + bias terms."""
    inside = look_inside(shipped.model, DIGIT)
    blank = look_inside(shipped.model, np.zeros((28, 28), np.float32))
    # scaling the input a little keeps the same ReLU pattern, so the score changes by the saliency's share
    nudged = look_inside(shipped.model, DIGIT * 1.01)
    assert nudged.logits[inside.predicted] - inside.logits[inside.predicted] == pytest.approx(
        0.01 * inside.saliency.sum(), rel=0.05)
    assert blank.saliency.sum() == 0


def test_colour_maps_give_rgb_pixels():
    values = np.array([[-2.0, 0.0, 2.0]])
    rgb = visual.diverging(values)
    assert rgb.shape == (1, 3, 3) and rgb.dtype == np.uint8
    assert tuple(rgb[0, 1]) == (255, 255, 255) and rgb[0, 0, 2] > rgb[0, 0, 0] and rgb[0, 2, 0] > rgb[0, 2, 2]
    hot = visual.heat(np.array([0.0, 0.5, 1.0]))
    assert tuple(hot[0]) == (0, 0, 0) and hot[2].sum() > hot[1].sum() > 0
    assert visual.as_grid(np.arange(10.0)).shape == (3, 4)
    assert visual.enlarge(np.zeros((28, 28), np.uint8), 3).shape == (84, 84)


def test_every_ui_string_exists_in_both_languages_with_the_same_placeholders():
    english, chinese = TEXTS["en"], TEXTS["zh-CN"]
    assert set(english) == set(chinese)
    fields = lambda s: {f for _, f, _, _ in string.Formatter().parse(s) if f}  # noqa: E731
    for key in english:
        assert fields(english[key]) == fields(chinese[key]), key
        assert re.search(r"[\u4e00-\u9fff]", chinese[key]), f"{key} is not translated"
    assert LANGUAGES == tuple(TEXTS)


def test_every_key_the_app_uses_is_translated():
    repo = Path(__file__).parent.parent
    python = "".join(p.read_text() for p in [repo / "app.py", *(repo / "app_ui").glob("*.py")])
    for_components = " ".join(re.findall(r"TEXTS = [^(\n]*\(([^)]*)\)", python))  # keys the components hand to the page
    used = set(re.findall(r"""(?:I18N|text)\(\s*["']([a-z_]+)["']""", python))
    used |= set(re.findall(r"""["']([a-z_]+)["']""", for_components))
    templates = "".join(p.read_text() for p in (repo / "app_ui" / "static").glob("*.html"))
    in_templates = set(re.findall(r'data-(?:text|title)="([a-z_]+)"', templates))
    assert used and in_templates, "the app uses no translated strings"
    assert used <= set(TEXTS["en"]), used - set(TEXTS["en"])
    assert in_templates <= used, f"templates name keys their components do not pass: {in_templates - used}"


@pytest.mark.parametrize("lang, expected", [("zh-CN", "请写一个数字"), ("zh-TW", "请写一个数字"), ("en-US", "Draw a digit"),
                                            ("fr", "Draw a digit"), ("", "Draw a digit")])
def test_messages_follow_the_browser_language(lang, expected):
    assert text("draw_prompt", lang) == expected
