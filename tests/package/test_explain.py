"""Looking inside the network: hooks record the real forward pass, the saliency is its gradient."""

import numpy as np
import pytest
import torch

from mnist_model.explain import dead_units, first_layer_weights, look_inside
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


# --- the neuron: its weighted sum plus bias, before the activation function ---------------------------


@pytest.mark.parametrize("activation", ["relu", "sigmoid", "tanh", "leaky_relu"])
def test_each_units_sum_is_its_weights_times_its_inputs_plus_its_bias_and_its_output_the_activation_of_it(activation):
    torch.manual_seed(2)
    model = MLP((16, 12, 8), activation).eval()
    inside = look_inside(model, DIGIT)
    x = torch.tensor(DIGIT, dtype=torch.float64).reshape(784)
    for layer, sums, outputs in zip(model.layers, inside.sums, inside.activations):
        expected = layer.weight.detach().double() @ x + layer.bias.detach().double()
        np.testing.assert_allclose(sums, expected.numpy(), atol=1e-5)
        curve = {"relu": torch.relu, "sigmoid": torch.sigmoid, "tanh": torch.tanh,
                 "leaky_relu": lambda z: torch.nn.functional.leaky_relu(z, 0.01)}[activation]
        np.testing.assert_allclose(outputs, curve(expected).numpy(), atol=1e-5)
        x = torch.from_numpy(outputs).double()


# --- dead units ----------------------------------------------------------------------------------------


IMAGES = torch.rand(300, 28, 28, generator=torch.Generator().manual_seed(3))


def switched_on_by_hand(model: MLP, images: torch.Tensor) -> list[set[int]]:
    """Per hidden layer, the units whose sum is above 0 for at least one image, computed layer by layer."""
    x, on = images.reshape(len(images), 784).double(), []
    for layer, activation in zip(model.layers, model.activations):
        z = x @ layer.weight.detach().double().T + layer.bias.detach().double()
        on.append(set(np.flatnonzero((z > 0).any(0).numpy()).tolist()))
        x = activation(z)
    return on


@pytest.mark.parametrize("activation", ["relu", "sigmoid", "tanh", "leaky_relu"])
def test_dead_units_are_those_whose_sum_is_never_above_zero_on_any_image(activation):
    torch.manual_seed(4)
    model = MLP((32, 16), activation)
    with torch.no_grad():  # kill some units for certain: a bias no input can overcome
        model.layers[0].bias[[3, 17]] = -1000.0
        model.layers[1].bias[[0, 5, 9]] = -1000.0
        model.layers[1].bias[[1, 2]] = 1000.0  # and keep two on for certain
    dead = dead_units(model, IMAGES)
    on = switched_on_by_hand(model, IMAGES)
    assert dead.units == [sorted(set(range(n)) - o) for n, o in zip(model.hidden, on)]
    assert {3, 17} <= set(dead.units[0]) and {0, 5, 9} <= set(dead.units[1]) and not {1, 2} & set(dead.units[1])
    assert dead.sizes == [32, 16] and dead.images == 300 and dead.count == sum(map(len, dead.units))
    assert dead.activation == activation and dead.can_die == (activation == "relu")


def test_a_dead_relu_unit_gets_no_gradient_from_any_image_and_a_leaky_one_does():
    """What 'dead' means: a ReLU unit never switched on gets a zero gradient from every image, so
    training cannot bring it back; with leaky ReLU its gradient is small but not zero."""
    for activation, learns in (("relu", False), ("leaky_relu", True)):
        torch.manual_seed(5)
        model = MLP((16,), activation)
        with torch.no_grad():
            model.layers[0].bias[7] = -1000.0
        assert 7 in dead_units(model, IMAGES).units[0]
        loss = model(IMAGES).sum()
        loss.backward()
        gradient = model.layers[0].weight.grad[7].abs().sum().item() + abs(model.layers[0].bias.grad[7].item())
        assert (gradient > 0) == learns, (activation, gradient)


def test_more_images_can_only_wake_units_and_the_shipped_model_has_dead_units(shipped):
    """A unit dead over a set of images is dead over each part of it: more images, fewer dead units."""
    images = torch.from_numpy(np.stack([to_mnist(drawing(d).layer) for d in range(10)]))
    few, more = dead_units(shipped.model, images[:3]), dead_units(shipped.model, images)
    assert all(set(m) <= set(f) for m, f in zip(more.units, few.units)) and more.count < few.count
    assert more.count > 0 and all(0 <= u < 64 for layer in more.units for u in layer)


def test_an_empty_set_of_images_is_refused():
    with pytest.raises(ValueError, match="at least one image"):
        dead_units(MLP(), torch.zeros(0, 28, 28))
