"""Batched data augmentation on the training device: whole-batch tensor ops, nothing per sample.

Real drawings differ from MNIST's scans in ways preprocessing cannot fully undo: a slight slant,
a digit a little off-centre or off-size, a pen thicker or thinner than MNIST's. Training on
randomly shifted, rotated, scaled, thickened and thinned digits makes the model forgive them.
"""

import math
from dataclasses import dataclass

import torch
import torch.nn.functional as F


@dataclass(frozen=True)
class AugmentConfig:
    max_rotation: float = 12.0  # degrees either way
    max_scale: float = 0.12  # relative size change either way
    max_shift: float = 2.0  # pixels either way, each axis
    stroke_prob: float = 0.5  # share of digits whose stroke width is changed


def augment(x: torch.Tensor, generator: torch.Generator, cfg: AugmentConfig = AugmentConfig()) -> torch.Tensor:
    """Randomly transform a batch of images (N, 28, 28) in [0, 1]; returns a new batch."""
    n, height, width = x.shape
    dev = x.device

    def uniform(low: float, high: float) -> torch.Tensor:
        return torch.rand(n, device=dev, generator=generator) * (high - low) + low

    angle = uniform(-cfg.max_rotation, cfg.max_rotation) * (math.pi / 180)
    scale = uniform(1 - cfg.max_scale, 1 + cfg.max_scale)
    # affine_grid maps output coordinates to input ones in [-1, 1] units: the inverse transform
    cos, sin = torch.cos(angle) / scale, torch.sin(angle) / scale
    shift_x = uniform(-cfg.max_shift, cfg.max_shift) * (2 / width)
    shift_y = uniform(-cfg.max_shift, cfg.max_shift) * (2 / height)
    theta = torch.stack(
        [torch.stack([cos, -sin, shift_x], 1), torch.stack([sin, cos, shift_y], 1)], 1
    )
    grid = F.affine_grid(theta, (n, 1, height, width), align_corners=False)
    out = F.grid_sample(x.unsqueeze(1), grid, mode="bilinear", padding_mode="zeros", align_corners=False)

    # stroke width: blend towards a 3x3 dilation (thicker) or erosion (thinner) by a random amount
    thicker = F.max_pool2d(out, 3, stride=1, padding=1)
    thinner = -F.max_pool2d(-out, 3, stride=1, padding=1)
    amount = uniform(-1.0, 1.0).mul_(0.6).view(n, 1, 1, 1)
    chosen = (torch.rand(n, device=dev, generator=generator) < cfg.stroke_prob).view(n, 1, 1, 1)
    amount = amount * chosen
    out = torch.where(amount > 0, out + amount * (thicker - out), out - amount * (thinner - out))
    return out.squeeze(1)
