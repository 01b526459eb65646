"""Looking inside the network: hooks record the real forward pass, the saliency is its gradient."""

import numpy as np
import pytest
import torch

from mnist_model.explain import first_layer_weights, look_inside
from mnist_model.model import MLP
from mnist_model.preprocess import to_mnist
from support.strokes import drawing

DIGIT = to_mnist(drawing(4).layer)


def independent_forward(model: MLP, digit: np.ndarray):
    """The same network computed by hand from its weights: hidden activations and logits."""
    x = torch.tensor(digit, dtype=torch.float64).reshape(784)
    activations = []
    with torch.no_grad():
        return _layers(model, x, activations)


def _layers(model: MLP, x: torch.Tensor, activations: list):
    """Activations (numpy) and logits (a tensor, differentiable when x is) of `model` in double precision."""
    for layer in model.layers[:-1]:
        x = torch.clamp(layer.weight.detach().double() @ x + layer.bias.detach().double(), min=0)
        activations.append(x.detach().numpy())
    return activations, model.layers[-1].weight.detach().double() @ x + model.layers[-1].bias.detach().double()


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
    logits = logits.numpy()
    np.testing.assert_allclose(inside.logits, logits, atol=1e-4)
    np.testing.assert_allclose(inside.probabilities, np.exp(logits - logits.max()) / np.exp(logits - logits.max()).sum(), atol=1e-5)
    assert not model.layers[0]._forward_hooks and not model.activations[0]._forward_hooks  # hooks removed


def test_weight_images_have_one_28x28_picture_per_first_layer_unit(model):
    weights = first_layer_weights(model)
    assert weights.shape == (model.hidden[0], 28, 28)
    np.testing.assert_array_equal(weights[3].ravel(), model.layers[0].weight[3].detach().numpy())


def test_saliency_is_the_winning_scores_gradient_times_the_input(model):
    """Against an independent gradient: the network in double precision, differentiated by autograd."""
    inside = look_inside(model, DIGIT)
    x = torch.tensor(DIGIT, dtype=torch.float64).reshape(784).requires_grad_(True)
    _, logits = _layers(model, x, [])
    (gradient,) = torch.autograd.grad(logits[inside.predicted], x)
    np.testing.assert_allclose(inside.saliency.ravel(), (gradient * x).detach().numpy(), atol=1e-4)
    assert np.abs(inside.saliency).sum() > 0


def test_saliency_explains_the_winning_score_up_to_the_biases(shipped):
    """A ReLU network is linear around its input: score = sum(gradient x input) + bias terms."""
    inside = look_inside(shipped.model, DIGIT)
    # scaling the input a little keeps the same ReLU pattern, so the score changes by the saliency's share
    nudged = look_inside(shipped.model, DIGIT * 1.01)
    assert nudged.logits[inside.predicted] - inside.logits[inside.predicted] == pytest.approx(
        0.01 * inside.saliency.sum(), rel=0.05)
