"""The page's JavaScript against Python, the reference: preprocessing and the forward pass.

In Chromium, on the app's page: pen-written digits (held-out UNIPEN writers, from the repository's
data) are drawn on the pad with pointer events; the page's 28 x 28 input and answer are compared
with what Python makes of the picture the page would hand it. The forward pass and preprocessing
are also compared on given inputs, for the shipped model and for networks of other shapes.
"""

import copy

import numpy as np
import pytest
import torch

from app_ui.components import PAGE_CONFIG, drawing_picture, model_payload, runner_up
from mnist_model import Classifier
from mnist_model.model import ACTIVATIONS, LEAKY_SLOPE, MLP
from mnist_model.pen import PAD_SIZE, draw, fitted_radius
from mnist_model.preprocess import from_ink
from support.pagedriver import draw_in_page, held_out_on_pad
from support.strokes import given_input

pytestmark = pytest.mark.browser

def test_the_page_reads_500_pen_written_digits_as_python_does(page, shipped):
    strokes, labels = held_out_on_pad(500, heights=(0.35, 0.8))
    results = draw_in_page(page, strokes)
    agree, worst, python_right = 0, 0.0, 0
    for result, label in zip(results, labels):
        reference = shipped.preprocess(drawing_picture(result["picture"]))
        assert (reference is None) == (result["input"] is None)
        if reference is None:
            continue
        worst = max(worst, float(np.abs(np.array(result["input"]) - reference.ravel()).max()))
        expected = int(shipped.probabilities(reference).argmax())
        agree += int(np.argmax(result["probabilities"])) == expected
        python_right += expected == label
    assert agree / len(results) >= 0.995, f"top-1 agreement {agree / len(results):.3f}, inputs differ by up to {worst:.3g}"
    assert python_right / len(results) > 0.9  # they were read, not just agreed on




NETWORKS = {
    "shipped": None,
    "one-layer": ((32,), "relu"),
    "four-layers": ((16, 24, 8, 12), "relu"),
    "sigmoid": ((16, 24, 8, 12), "sigmoid"),
    "tanh": ((16, 24, 8, 12), "tanh"),
    "leaky-relu": ((16, 24, 8, 12), "leaky_relu"),
    "ten-sigmoid-layers": ((12,) * 10, "sigmoid"),
    "eleven-answers": ((32, 16), "relu", 11),  # and "not a digit"
}


@pytest.mark.parametrize("network", NETWORKS.values(), ids=NETWORKS.keys())
@pytest.mark.parametrize("kind", [0, 1, 2], ids=["drawing", "random-pixels", "blank"])
def test_the_pages_forward_pass_equals_torch_within_1e_5(page, shipped, network, kind):
    if network is None:
        clf = shipped
    else:
        torch.manual_seed(len(network[0]))
        clf = Classifier(MLP(*network))
    x = given_input(kind)
    got = page.evaluate("([payload, x]) => { const f = mnistDemo.mlp.forward(mnistDemo.mlp.decode(payload), x);"
                        " return {a: f.activations.map((v) => Array.from(v)), l: Array.from(f.logits),"
                        " p: Array.from(f.probabilities)}; }", [model_payload(clf), x.ravel().tolist()])
    # the reference: torch in float64, as the page sums (its float32 weights and input are exact in
    # float64), so that the comparison is of the JavaScript, not of this CPU's float32 kernels (whose
    # own error, ~6e-6 in a hidden layer, comes near the tolerance and depends on the CPU)
    reference = copy.deepcopy(clf.model).double()
    with torch.no_grad():
        h = torch.from_numpy(x).double().view(1, 784)
        activations = []
        for layer, activation in zip(reference.layers, reference.activations):
            h = activation(layer(h))
            activations.append(h[0].numpy())
        logits = reference.logits(torch.from_numpy(x).double().view(1, 784))[0]
    assert len(got["a"]) == len(activations)
    for page_layer, torch_layer in zip(got["a"], activations):
        np.testing.assert_allclose(page_layer, torch_layer, atol=1e-5)
    np.testing.assert_allclose(got["l"], logits.numpy(), atol=1e-5)
    np.testing.assert_allclose(got["p"], torch.softmax(logits, 0).numpy(), atol=1e-5)


@pytest.mark.parametrize("size", [(280, 280), (97, 41), (33, 300)], ids=["pad", "wide", "tall"])
def test_the_pages_preprocessing_equals_pythons_on_given_ink(page, size):
    height, width = size
    rng = np.random.default_rng(height)
    inks = [draw([rng.uniform([0, 0], [width, height], (6, 2))], height, width, radius=rng.uniform(1, 12))
            for _ in range(20)]
    got = page.evaluate("([inks, w, h, c]) => inks.map((ink) => {"
                        " const out = mnistDemo.preprocess.toMnist(Uint8Array.from(ink), w, h, c);"
                        " return out && Array.from(out); })",
                        [[ink.ravel().tolist() for ink in inks], width, height, PAGE_CONFIG])
    for ink, page_digit in zip(inks, got):
        reference = from_ink(ink)
        assert (reference is None) == (page_digit is None)
        if reference is not None:
            np.testing.assert_allclose(np.array(page_digit).reshape(28, 28), reference, atol=1e-5)


def test_the_page_fits_its_pen_to_the_digit_as_python_does(page):
    rng = np.random.default_rng(5)
    drawings = [[rng.uniform(0, PAD_SIZE * rng.uniform(0.05, 1), (int(rng.integers(1, 30)), 2)).round(2).tolist()
                 for _ in range(int(rng.integers(1, 4)))] for _ in range(50)]
    got = page.evaluate("([drawings, c]) => drawings.map((d) => mnistDemo.ink.fittedRadius(d, c))",
                        [drawings, PAGE_CONFIG])
    expected = [fitted_radius([np.array(s) for s in d]) for d in drawings]
    np.testing.assert_allclose(got, expected, rtol=1e-9)


def test_the_page_hesitates_exactly_when_python_does(page):
    rng = np.random.default_rng(6)
    tables = [rng.dirichlet(np.full(10, alpha)) for alpha in (0.05, 0.2, 1.0) for _ in range(100)]
    got = page.evaluate("([tables, c]) => tables.map((p) => mnistDemo.answer.runnerUp(p, c))",
                        [[t.tolist() for t in tables], PAGE_CONFIG])
    expected = [runner_up(t) for t in tables]
    assert got == expected and any(g is None for g in got) and any(g is not None for g in got)


def test_the_pages_hidden_layer_pictures_are_pythons_heat_map_on_its_grid(page):
    """Explore's layers: the page paints each unit as visual.heat colours it, laid out as visual.as_grid
    lays it out (cells past the last unit grey)."""
    from app_ui import visual

    rng = np.random.default_rng(7)
    for units in (10, 64, 100, 1000):
        values = np.maximum(rng.normal(0, 1, units), 0).astype(np.float32)
        grid = visual.as_grid(values)
        got = page.evaluate("""([values, palette]) => {
            const canvas = document.createElement("canvas");
            mnistDemo.layers.paintLayer(canvas, values, palette);
            const data = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height).data;
            return [canvas.height, canvas.width, Array.from(data)]; }""", [values.tolist(), PAGE_CONFIG["palette"]])
        rows, cols, data = got
        assert (rows, cols) == grid.shape
        pixels = np.array(data, np.int16).reshape(rows, cols, 4)[..., :3]
        expected = visual.heat(np.nan_to_num(grid, nan=0.0)).astype(np.int16)
        expected[np.isnan(grid)] = 90
        assert np.abs(pixels - expected).max() <= 1


# --- the neuron (issue 22): one unit's sum, bias, activation and output ---------------------------------

TORCH_ACTIVATIONS = {"relu": torch.relu, "sigmoid": torch.sigmoid, "tanh": torch.tanh,
                     "leaky_relu": lambda z: torch.nn.functional.leaky_relu(z, LEAKY_SLOPE)}


@pytest.mark.parametrize("activation", list(ACTIVATIONS))
@pytest.mark.parametrize("kind", [0, 1], ids=["drawing", "random-pixels"])
def test_the_pages_neuron_equals_torch_for_every_unit_of_every_hidden_layer(page, activation, kind):
    """The neuron's view: for each unit, w · x, b, z = w · x + b and f(z), as the page computes them
    from its forward pass, against torch in double precision on the same input."""
    torch.manual_seed(9)
    clf = Classifier(MLP((16, 24, 8), activation))
    x = given_input(kind)
    got = page.evaluate("""([payload, x]) => {
        const model = mnistDemo.mlp.decode(payload), forward = mnistDemo.mlp.forward(model, x);
        return model.layers.slice(0, -1).map((layer, i) => Array.from({length: layer.rows},
          (_, unit) => mnistDemo.neuron.explain(model, x, forward, i, unit))); }""",
                        [model_payload(clf), x.ravel().tolist()])
    h = torch.from_numpy(x).double().view(784)
    assert len(got) == 3
    for index, (layer, units) in enumerate(zip(clf.model.layers, got)):
        weighted = layer.weight.detach().double() @ h
        bias = layer.bias.detach().double()
        z = weighted + bias
        output = TORCH_ACTIVATIONS[activation](z)
        assert [u["layer"] for u in units] == [index] * layer.out_features
        assert [u["unit"] for u in units] == list(range(layer.out_features))
        assert {u["activation"] for u in units} == {activation}
        for name, expected in (("weighted", weighted), ("bias", bias), ("sum", z), ("output", output)):
            np.testing.assert_allclose([u[name] for u in units], expected.numpy(), atol=1e-5, err_msg=name)
        h = output


@pytest.mark.parametrize("activation", list(ACTIVATIONS))
def test_the_neurons_curve_is_the_activation_function_torch_computes(page, activation):
    sums = np.concatenate([np.linspace(-60, 60, 241), [0.0, -1e-7, 1e-7, 0.5, -0.5]])
    got = page.evaluate("([activation, sums]) => mnistDemo.neuron.curve(activation, sums)", [activation, sums.tolist()])
    np.testing.assert_allclose(got, TORCH_ACTIVATIONS[activation](torch.from_numpy(sums)).numpy(), atol=1e-7)
    reaches = page.evaluate("(sums) => sums.map((z) => mnistDemo.neuron.reach(z))", [0.0, 3.9, -7.2, 40.0])
    assert reaches[0] == 4 and all(r >= abs(z) * 1.2 for r, z in zip(reaches, [0.0, 3.9, -7.2, 40.0]))


def test_dead_units_are_painted_blue_grey_in_their_layers_heat_map(page):
    from app_ui import visual

    rng = np.random.default_rng(8)
    values = np.maximum(rng.normal(0, 1, 64), 0).astype(np.float32)
    dead = [0, 5, 63]
    values[dead] = 0
    got = page.evaluate("""([values, palette, dead]) => {
        const canvas = document.createElement("canvas");
        mnistDemo.layers.paintLayer(canvas, values, palette, new Set(dead));
        return Array.from(canvas.getContext("2d").getImageData(0, 0, 8, 8).data); }""",
                        [values.tolist(), PAGE_CONFIG["palette"], dead])
    pixels = np.array(got, np.int16).reshape(64, 4)[:, :3]
    expected = visual.heat(values).astype(np.int16)
    assert (pixels[dead] == [45, 85, 120]).all()
    alive = np.setdiff1d(np.arange(64), dead)
    assert np.abs(pixels[alive] - expected[alive]).max() <= 1
