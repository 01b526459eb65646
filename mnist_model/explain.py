"""Looking inside the network for one input: every hidden layer's weighted sums and activations, the
output scores, the first layer's weights, and which input pixels drove the answer; and, over a set of
images, the units that never switch on (dead units).

Everything comes from the real model: forward hooks record what each layer computes during the
actual forward pass, and the saliency map is the gradient of that same pass.
"""

import math
from dataclasses import dataclass

import numpy as np
import torch

from .model import CNN, MLP


@dataclass
class Inside:
    input: np.ndarray  # (28, 28) what the network was given
    activations: list[np.ndarray]  # one (units,) array per hidden layer, after its activation (a CNN's
    # convolutions: (maps, side, side) feature maps)
    sums: list[np.ndarray]  # the same layers before it: each unit's weighted sum of its inputs plus its bias
    logits: np.ndarray  # (10,) output scores before softmax
    probabilities: np.ndarray  # (10,) after softmax
    saliency: np.ndarray  # (28, 28) gradient x input for the predicted class

    @property
    def predicted(self) -> int:
        return int(self.probabilities.argmax())


def look_inside(model: MLP | CNN, digit: np.ndarray) -> Inside:
    """Run `model` on one preprocessed 28x28 image, recording its hidden activations through forward
    hooks, and attribute the predicted class's score to the input pixels (gradient x input). The
    image is given to the network in the network's own precision (a float64 copy gives a reference)."""
    recorded: list[torch.Tensor] = []
    sums: list[torch.Tensor] = []

    def record(module, inputs, output):
        sums.append(inputs[0].detach())
        recorded.append(output.detach())

    hooks = [act.register_forward_hook(record) for act in model.activations]
    try:
        dtype = next(model.parameters()).dtype
        x = torch.tensor(np.asarray(digit, dtype=np.float32), dtype=dtype).view(1, 28, 28).requires_grad_(True)
        with torch.enable_grad():
            logits = model.eval().logits(x)
            predicted = int(logits.argmax())
            (gradient,) = torch.autograd.grad(logits[0, predicted], x)
    finally:
        for hook in hooks:
            hook.remove()
    logits = logits.detach()[0]
    return Inside(
        input=x.detach()[0].numpy(),
        activations=[a[0].numpy() for a in recorded],
        sums=[z[0].numpy() for z in sums],
        logits=logits.numpy(),
        probabilities=torch.softmax(logits, 0).numpy(),
        saliency=(gradient * x.detach())[0].numpy(),
    )


def first_layer_weights(model_or_weight: MLP | CNN | torch.Tensor | np.ndarray) -> np.ndarray:
    """The first layer's weights (a model's, or as a run's snapshot kept them) as one square image per
    unit: (units, 28, 28) for an MLP, one (5, 5) filter per feature map for a CNN."""
    weight = model_or_weight.layers[0].weight if isinstance(model_or_weight, torch.nn.Module) else model_or_weight
    weight = weight.detach().cpu().numpy() if isinstance(weight, torch.Tensor) else np.asarray(weight)
    side = math.isqrt(weight[0].size)
    return weight.reshape(-1, side, side)


# --- dead units --------------------------------------------------------------------------------------


@dataclass
class DeadUnits:
    """The hidden units that never switch on over a set of images: for each hidden layer, the units
    whose weighted sum plus bias (the number the activation function is given) is never above 0 for
    any image of the set.

    With ReLU such a unit is dead: its output is 0 for every image, and so is its gradient, so no image
    of the set can change its weights or its bias any more (training passes it by). With leaky ReLU
    its output is 0.01 x the sum and its gradient 0.01 x, not 0: it still learns, slowly, and can come
    back. Sigmoid and tanh units cannot die: their output and gradient are never exactly 0 (the units
    listed for them only never reach the middle of their curve: sigmoid under 0.5, tanh under 0).
    """

    activation: str  # the network's (mnist_model/model.py's ACTIVATIONS)
    units: list[list[int]]  # per hidden layer, the indices of the units never switched on
    sizes: list[int]  # units per hidden layer
    images: int  # how many images they were measured on

    @property
    def count(self) -> int:
        return sum(map(len, self.units))

    @property
    def can_die(self) -> bool:
        """Whether a unit listed here is dead (its output and gradient are always 0): ReLU's alone."""
        return self.activation == "relu"

    def __repr__(self) -> str:
        layers = ", ".join(f"{len(u)}/{n}" for u, n in zip(self.units, self.sizes))
        return f"DeadUnits({self.activation}, {layers} over {self.images} images)"


DEAD_BATCH = 10_000  # images per forward pass: the MNIST test set at once


@torch.inference_mode()
def dead_units(model: MLP, images: torch.Tensor) -> DeadUnits:
    """Per hidden layer of `model`, the units whose weighted sum plus bias is above 0 for none of
    `images` ((N, 28, 28) or (N, 784) in [0, 1]; see DeadUnits for what that means per activation)."""
    if len(images) == 0:
        raise ValueError("dead_units needs at least one image")
    switched_on = [torch.zeros(n, dtype=torch.bool, device=images.device) for n in model.hidden]

    def record(index):
        def hook(module, inputs, output):
            switched_on[index] |= (inputs[0] > 0).any(0)
        return hook

    hooks = [act.register_forward_hook(record(i)) for i, act in enumerate(model.activations)]
    try:
        model.eval()
        for chunk in images.split(DEAD_BATCH):
            model.logits(chunk)
    finally:
        for hook in hooks:
            hook.remove()
    units = [(~on).nonzero().flatten().tolist() for on in switched_on]
    return DeadUnits(model.activation, units, list(model.hidden), len(images))
