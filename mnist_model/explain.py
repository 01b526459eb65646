"""Looking inside the network for one input: every hidden layer's activations, the output scores,
the first layer's weights, and which input pixels drove the answer.

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
    logits: np.ndarray  # (10,) output scores before softmax
    probabilities: np.ndarray  # (10,) after softmax
    saliency: np.ndarray  # (28, 28) gradient x input for the predicted class

    @property
    def predicted(self) -> int:
        return int(self.probabilities.argmax())


def look_inside(model: MLP | CNN, digit: np.ndarray) -> Inside:
    """Run `model` on one preprocessed 28x28 image, recording its hidden activations through forward
    hooks, and attribute the predicted class's score to the input pixels (gradient x input)."""
    recorded: list[torch.Tensor] = []
    hooks = [act.register_forward_hook(lambda module, inputs, output: recorded.append(output.detach()))
             for act in model.activations]
    try:
        x = torch.tensor(np.asarray(digit, dtype=np.float32)).view(1, 28, 28).requires_grad_(True)
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
