"""Training images on the device, and how an epoch draws from them: MNIST and further pools (pen-
written digits, a class's drawings) each their share, one index space, a batch gathered from each
pool in place (no copy of a data set, no host sync).
"""

from dataclasses import dataclass

import torch


@dataclass
class Pool:
    """Labelled training images on the device: float in [0, 1], or uint8 (of 255) to hold them in a
    quarter of the memory; `weight`, each image's chance to be drawn relative to the others."""

    images: torch.Tensor  # (N, 28, 28)
    labels: torch.Tensor  # (N,) int64
    weight: torch.Tensor | None = None

    def __len__(self) -> int:
        return len(self.labels)


def as_float(images: torch.Tensor) -> torch.Tensor:
    """Images as float32 in [0, 1], whichever way they are stored."""
    return images.float().div_(255.0) if images.dtype == torch.uint8 else images


def _sample(total: int, count: int, gen: torch.Generator, device: torch.device,
            weights: torch.Tensor | None = None) -> torch.Tensor:
    """`count` distinct indices below `total` (with repeats only when there are fewer than `count`),
    each as likely as its weight (all alike without `weights`)."""
    if weights is not None:
        return torch.multinomial(weights, count, replacement=count > total, generator=gen)
    if count <= total:
        return torch.randperm(total, device=device, generator=gen)[:count]
    return torch.randint(total, (count,), device=device, generator=gen)


class Mix:
    """An epoch's images drawn from MNIST and further pools, each its share of the epoch; one index
    space (MNIST first, then each pool in turn) so that a batch stays one slice of a permutation."""

    def __init__(self, mnist: Pool, pools: list[tuple[Pool, float]], size: int):
        self.mnist, self.size = mnist, size
        self.pools = [(pool, round(share * size)) for pool, share in pools if round(share * size)]
        self.offsets, start = [], len(mnist)
        for pool, _ in self.pools:
            self.offsets.append(start)
            start += len(pool)

    def order(self, gen: torch.Generator, device: torch.device) -> torch.Tensor:
        """This epoch's images, in order: a random part of MNIST and each pool's share, shuffled."""
        perm = torch.randperm(len(self.mnist), device=device, generator=gen)
        if not self.pools:
            return perm[: self.size]
        taken = sum(count for _, count in self.pools)
        parts = [perm[: self.size - taken]]
        for (pool, count), offset in zip(self.pools, self.offsets):
            parts.append(offset + _sample(len(pool), count, gen, device, pool.weight))
        chosen = torch.cat(parts)
        return chosen[torch.randperm(len(chosen), device=device, generator=gen)]

    def batch(self, idx: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """The images and labels at `idx`, gathered from each pool in place (no host sync)."""
        if not self.pools:
            return as_float(self.mnist.images[idx]), self.mnist.labels[idx]
        local = idx.clamp(max=len(self.mnist) - 1)
        images, labels = as_float(self.mnist.images[local]), self.mnist.labels[local]
        for (pool, _), offset in zip(self.pools, self.offsets):
            local = (idx - offset).clamp(0, len(pool) - 1)
            inside = idx >= offset
            images = torch.where(inside[:, None, None], as_float(pool.images[local]), images)
            labels = torch.where(inside, pool.labels[local], labels)
        return images, labels
