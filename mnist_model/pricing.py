"""What a run costs the machine it trains on: its estimated wall time, and whether it is paced; its
memory; a GPU lease's length.

A run at full speed keeps a core busy for its whole time; a run slowed to a pace a class can watch
spends nearly all its time waiting for its next step. The server's line (app_server.line) lets paced
runs train beside others when they are light enough (PACED_SHARE of a core).

Its time comes from this machine's speed, measured once per process by short runs of the trainer
(`speed`, `convolution_speed`): seconds per step from a network's weights, its multiply-adds and its
batch, and the seconds to measure its accuracy.
"""

import functools
import math
import threading
import time
from dataclasses import dataclass, replace

import torch

from .config import TrainConfig
from .data import MnistTensors
from .model import DEFAULT_HIDDEN, MAX_LAYERS, MAX_UNITS, activation_sizes, build_network, multiply_adds
from .train import fit

PACED_SHARE = 0.25  # a paced run using at most this share of one core runs beside others


@dataclass(frozen=True)
class Cost:
    """What a run will take: its estimated seconds of wall time, and whether it is a paced (light) run."""

    seconds: float
    paced: bool = False


def cost_of(step_seconds: float, total_steps: int, pace: float | None, wall_limit: float | None = None,
            busy: float = 0.0) -> Cost:
    """A run's Cost: paced when its steps at its pace, and the rest of its work (`busy`, a share of a
    core: measuring its accuracy every few seconds), keep a core busy at most PACED_SHARE of the
    time; its seconds from its steps at its pace (or at full speed), at most `wall_limit`."""
    paced = pace is not None and step_seconds * pace + busy <= PACED_SHARE
    seconds = total_steps / pace if pace is not None else total_steps * step_seconds
    seconds = max(seconds, total_steps * step_seconds)
    return Cost(seconds if wall_limit is None else min(seconds, wall_limit), paced)


def lease_seconds(cfg: TrainConfig, train_size: int = 60_000, step_seconds: float = 0.003) -> int:
    """A generous guess of a run's wall time on a GPU, for time-limited GPU leases (ZeroGPU)."""
    steps = cfg.epochs * math.ceil(train_size / cfg.batch_size)
    return int(30 + steps * step_seconds * (2 if cfg.augment else 1))


def _network_of(network) -> dict:
    """A `network` dict (TrainConfig.network), or an MLP's hidden sizes as older callers give them."""
    return network if isinstance(network, dict) else {"architecture": "mlp", "hidden": tuple(network)}


def parameters(network) -> int:
    """Weights and biases of the network `network` describes (or of the MLP with these hidden sizes)."""
    with torch.device("meta"):  # shapes only: a run's pricing allocates and initialises nothing
        return sum(p.numel() for p in build_network(**_network_of(network)).parameters())


def state_bytes(network) -> int:
    """What a network in training holds whatever its batch: its weights four times over (themselves,
    their gradients, Adam's two running averages), float32."""
    return 4 * 4 * parameters(_network_of(network))


# float32 copies of a batch's activations a step holds, measured (peak resident set of a step, batch
# 4,096): an MLP's, its layers' sums, their activations and their gradients (2 copies estimated 0.75
# of its peak); a CNN's also its maps before pooling and the pooling's indices (2 estimated half)
ACTIVATION_COPIES = {"mlp": 3, "cnn": 4}
INPUT_COPIES = 4  # and of a batch's images: gathered, augmented (a grid, a warp), as floats


def memory_bytes(network, batch_size: int) -> int:
    """What a run of this network holds beyond the data set, roughly: the weights four times over
    (state_bytes) and a batch's activations and images (ACTIVATION_COPIES, INPUT_COPIES)."""
    network = _network_of(network)
    per_image = ACTIVATION_COPIES[network.get("architecture", "mlp")] * sum(activation_sizes(network)) \
        + INPUT_COPIES * 28 * 28
    return state_bytes(network) + 4 * batch_size * per_image


_MEASURING = threading.RLock()


def _measured_once(measure):
    """`measure(device)`, measured once per device and process, one measurement at a time: callers
    pricing runs together each measured the machine while the others kept it busy (31 sessions
    pressing Teach at once measured it 20 times too slow, and all were refused as over budget)."""
    cached = functools.lru_cache(maxsize=4)(measure)

    @functools.wraps(measure)
    def once(device: str = "cpu"):
        with _MEASURING:
            return cached(device)

    once.cache_clear = cached.cache_clear  # (measure again: the tests' machines change)
    return once


@dataclass(frozen=True)
class Speed:
    """A network kind's training speed on a device, measured (speed(), convolution_speed()): seconds
    per step whatever its size, per parameter and step, per image and multiply-add, and for
    augmentation per step and per image. A wide network's multiply-adds run faster than a narrow
    one's (larger matrix products): `rates` are (multiply-adds per image, seconds per image and
    multiply-add) measured on networks of two sizes, interpolated between them on log scales. A
    matrix-vector product (a batch of 1) runs on other kernels: its cost per parameter is measured
    apart (an MLP of 10 x 1024 units was priced at twice its time at batch 1)."""

    per_step: float
    per_parameter: float
    rates: tuple[tuple[float, float], ...]
    per_augmented: float
    augment_step: float = 0.0
    per_parameter_single: float | None = None  # at a batch of 1

    def per_multiply_add(self, multiply_adds_: float) -> float:
        """Seconds per image and multiply-add of a network of `multiply_adds_` per image."""
        (m0, r0), (m1, r1) = self.rates[0], self.rates[-1]
        if m1 <= m0 or multiply_adds_ <= m0:
            return r0
        if multiply_adds_ >= m1:
            return r1
        t = math.log(multiply_adds_ / m0) / math.log(m1 / m0)
        return math.exp(math.log(r0) + t * (math.log(r1) - math.log(r0))) if r0 > 0 and r1 > 0 else r0 + t * (r1 - r0)

    def step(self, parameters_: int, multiply_adds_: int, batch_size: int, augmented: bool) -> float:
        """Seconds per step of a network of these many parameters and multiply-adds (per image)."""
        per_parameter = self.per_parameter_single if batch_size == 1 and self.per_parameter_single is not None \
            else self.per_parameter
        seconds = (self.per_step + parameters_ * per_parameter
                   + batch_size * multiply_adds_ * self.per_multiply_add(multiply_adds_))
        return seconds + (self.augment_step + batch_size * self.per_augmented if augmented else 0.0)


@_measured_once
def speed(device: str = "cpu") -> Speed:
    """This machine's MLP training speed on `device`, measured once with the real training loop on a
    few steps of small runs of random images: the lesson's network at batches 8 and 512 (augmented
    too), and the largest the form trains at batches 1, 8 and 64. (An MLP's multiply-adds per image
    are its weights.)"""
    small, large = (TrainConfig(hidden=hidden).network for hidden in (DEFAULT_HIDDEN, (MAX_UNITS,) * MAX_LAYERS))
    p_small, p_large = parameters(small), parameters(large)
    m_small, m_large = multiply_adds(small), multiply_adds(large)
    a = seconds_per_step(device, TrainConfig(hidden=small["hidden"], batch_size=8), 40)
    c = seconds_per_step(device, TrainConfig(hidden=small["hidden"], batch_size=512), 6)
    # (the large network's first steps touch its fresh weights' and optimiser's memory: enough steps that
    # a long run's pace shows)
    b = seconds_per_step(device, TrainConfig(hidden=large["hidden"], batch_size=8), 24)
    g = seconds_per_step(device, TrainConfig(hidden=large["hidden"], batch_size=64), 10)
    b1 = seconds_per_step(device, TrainConfig(hidden=large["hidden"], batch_size=1), 24)
    d = seconds_per_step(device, TrainConfig(hidden=small["hidden"], batch_size=512, augment=True), 6)
    e = seconds_per_step(device, TrainConfig(hidden=small["hidden"], batch_size=8, augment=True), 40)
    # each network: per_step + parameters x per_parameter + images x multiply-adds x its rate
    rate_small, rate_large = max(c - a, 0.0) / (504 * m_small), max(g - b, 0.0) / (56 * m_large)
    fixed_small, fixed_large = a - 8 * m_small * rate_small, b - 8 * m_large * rate_large
    per_parameter = max(fixed_large - fixed_small, 0.0) / (p_large - p_small)
    per_step = max(fixed_small - p_small * per_parameter, 0.0)
    per_parameter_single = max(b1 - per_step - m_large * rate_large, 0.0) / p_large
    # augmentation: d - c = augment_step + 512 x per_augmented, e - a = augment_step + 8 x per_augmented
    per_augmented = max((d - c) - (e - a), 0.0) / 504
    return Speed(per_step, per_parameter, ((m_small, rate_small), (m_large, rate_large)), per_augmented,
                 augment_step=max((e - a) - 8 * per_augmented, 0.0), per_parameter_single=per_parameter_single)


def seconds_per_step(device: str, cfg: TrainConfig, steps: int) -> float:
    """Seconds per optimiser step of `cfg` (one epoch of `steps` steps of random images) on `device`,
    after a warm-up run."""
    dev = torch.device(device)
    n = cfg.batch_size * steps
    data = MnistTensors(torch.rand(n, 28, 28, device=dev), torch.randint(10, (n,), device=dev),
                        torch.rand(1, 28, 28, device=dev), torch.zeros(1, dtype=torch.long, device=dev))
    cfg = replace(cfg, epochs=1)
    warm = cfg.batch_size * min(steps, 3)
    fit(cfg, MnistTensors(data.train_x[:warm], data.train_y[:warm], data.test_x, data.test_y), dev)  # warm up
    start = time.perf_counter()
    fit(cfg, data, dev)
    return (time.perf_counter() - start) / steps


@_measured_once
def convolution_speed(device: str = "cpu") -> Speed:
    """The CNN's training speed on `device`, measured once like speed() at batches 8 and 128: a
    convolution's multiply-adds run at another rate than a matrix product's, and its layers cost
    more per step whatever the batch (priced from the MLP's, a CNN at batch 1 took 1.7 times its
    price). Its parameters and augmentation cost what the MLP's do."""
    mlp = speed(device)
    cfg = TrainConfig(architecture="cnn")
    m, p = multiply_adds(cfg.network), parameters(cfg.network)
    small = seconds_per_step(device, replace(cfg, batch_size=8), 20)
    large = seconds_per_step(device, replace(cfg, batch_size=128), 4)
    per_multiply_add = max(large - small, 0.0) / (120 * m)
    per_step = max(small - p * mlp.per_parameter - 8 * m * per_multiply_add, 0.0)
    return replace(mlp, per_step=per_step, rates=((m, per_multiply_add),), per_parameter_single=None)


def _speed_of(cfg: TrainConfig, device: str) -> Speed:
    return convolution_speed(device) if cfg.architecture == "cnn" else speed(device)


def step_seconds(cfg: TrainConfig, device: str = "cpu") -> float:
    """How long one optimiser step of `cfg` takes on this machine's `device` (from speed())."""
    return _speed_of(cfg, device).step(parameters(cfg.network), multiply_adds(cfg.network), cfg.batch_size, cfg.augment)


def measure_seconds(cfg: TrainConfig, device: str = "cpu", test_size: int = 14_000) -> float:
    """How long measuring the test sets (MNIST's and the held-out pen-written digits) takes once:
    every image through every multiply-add, forward only (a third of a training step's work)."""
    m = multiply_adds(cfg.network)
    return test_size * m * _speed_of(cfg, device).per_multiply_add(m) / 3


def estimate_seconds(cfg: TrainConfig, device: str = "cpu", train_size: int = 60_000, test_size: int = 14_000) -> float:
    """How long a run of `cfg` takes on this machine's `device`, from its measured speed(): each
    step's fixed cost and its update of every parameter, every image through every multiply-add,
    augmentation, and measuring the test sets at each epoch's end."""
    steps = cfg.epochs * math.ceil(train_size / cfg.batch_size)
    return steps * step_seconds(cfg, device) + cfg.epochs * measure_seconds(cfg, device, test_size)
