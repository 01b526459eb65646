"""The trainer: one function that yields progress events (training_run.py runs it for the app, the CLI
and class teaching alike).

    for event in train(config, data, device, stop=stop_event):
        ...  # Progress, Evaluation, EpochEnd, then Finished (with the model) or Stopped

The data set is resident on the device (see data.py); a batch is an index slice of a per-epoch
permutation, augmentation is whole-batch tensor ops, and the loss is read back to the host only
when a point of the loss curve is due, so a GPU is not synchronised every step. Pen-written digits
(and a class's own drawings) stay in their own uint8 tensors: a batch gathers from each pool in
place, so a run mixing them copies no data set.
"""

import functools
import math
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field, replace

import torch
import torch.nn.functional as F

from .augment import augment
from .config import TrainConfig
from .data import MnistTensors
from .errors import ConfigError
from .evaluate import accuracy
from .model import CNN, DEFAULT_HIDDEN, MAX_LAYERS, MAX_UNITS, MLP, activation_sizes, build_network, multiply_adds


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


# --- events ----------------------------------------------------------------------------------

MAX_PACE = 50.0  # steps per second: a pace a class can watch; faster than that is full speed
LOSS_POINTS = 200  # a loss point every total_steps // LOSS_POINTS steps: curves that grow, whatever the run's length
PACED_POINTS_PER_SECOND = 4  # a paced run's loss points: a few a second, whatever its pace
GRADIENT_STRIDE = 2  # every other loss point (and each epoch's last) has the layers' gradient lengths: ~3% of a run's time


@dataclass
class Progress:
    """A point of the loss curve: the mean training loss of the steps since the previous point."""

    epoch: int  # 1-based
    epochs: int
    step: int  # steps done in this epoch
    steps_per_epoch: int
    loss: float  # mean training loss since the previous Progress event
    samples_per_s: float  # training throughput so far
    elapsed: float  # seconds since training began
    point: bool = True  # a point of the loss curve (else a report that the run goes on, see report_every)
    total_steps: int = 0  # steps the whole run takes (0: epochs x steps_per_epoch)
    gradients: list[float] | None = None  # each layer's gradient length at this step (gradient_lengths), every GRADIENT_STRIDE points

    @property
    def steps(self) -> int:
        """Steps done since the run began: the curves' x axis in a short run."""
        return (self.epoch - 1) * self.steps_per_epoch + self.step

    @property
    def position(self) -> float:
        """Epochs done, with fractions: the curves' x axis in a long run."""
        return self.steps / self.steps_per_epoch

    @property
    def fraction(self) -> float:
        return self.steps / (self.total_steps or self.epochs * self.steps_per_epoch)

    @property
    def eta(self) -> float:
        """Seconds left, extrapolated from the time so far."""
        done = self.fraction
        return self.elapsed * (1 - done) / done if done > 0 else float("nan")


@dataclass
class Evaluation:
    """A point of the accuracy curves: MNIST's test set (and the held-out writers' pen-written
    digits, when loaded) measured during the run."""

    epoch: int
    step: int
    steps_per_epoch: int
    test_accuracy: float
    drawn_accuracy: float | None

    steps = Progress.steps
    position = Progress.position


@dataclass
class EpochEnd:
    epoch: int
    epochs: int
    train_loss: float  # mean over the epoch
    test_accuracy: float  # on MNIST's test set
    samples_per_s: float
    elapsed: float
    drawn_accuracy: float | None = None  # on the held-out writers' pen-written digits, when loaded
    # the first layer's weights, on the CPU: (units, 784), or a CNN's filters (8, 1, 5, 5)
    first_layer: torch.Tensor | None = field(default=None, repr=False)


@dataclass
class TrainResult:
    config: TrainConfig
    device: str
    test_accuracy: float  # after the last epoch
    drawn_accuracy: float | None = None  # likewise, on held-out writers' pen-written digits
    history: list[EpochEnd] = field(default_factory=list)
    elapsed: float = 0.0  # wall seconds, training and evaluation
    samples_per_s: float = 0.0
    continued: int = 0  # optimiser steps the run had taken before (step by step, or a stopped run)
    steps: int = 0  # optimiser steps the run has taken in all, those before included

    def metadata(self) -> dict:
        """What a checkpoint of this run records about it (checkpoint.save's keyword arguments)."""
        return {"test_accuracy": self.test_accuracy, "drawn_accuracy": self.drawn_accuracy,
                "recipe": self.config.to_dict(), "device": self.device}


@dataclass
class Finished:
    model: torch.nn.Module  # on the CPU, in eval mode
    result: TrainResult
    optimizer: torch.optim.Optimizer | None = field(default=None, repr=False)  # its state, to continue the run


@dataclass
class Stopped:
    """The run ended before its end (a stop request): no result, but the network as it stood, so
    that it can be stepped further (step.py) or looked at; None when the run could not hand it back."""

    epoch: int
    step: int
    elapsed: float
    model: torch.nn.Module | None = field(default=None, repr=False)  # on the CPU
    optimizer: torch.optim.Optimizer | None = field(default=None, repr=False)
    steps: int = 0  # optimiser steps the network has taken in all


Event = Progress | Evaluation | EpochEnd | Finished | Stopped


# --- the loop --------------------------------------------------------------------------------


def loss_fn(log_probs: torch.Tensor, labels: torch.Tensor, smoothing: float = 0.0) -> torch.Tensor:
    """The lesson's NLL loss; with label smoothing, the target gives `smoothing` of its weight to all
    ten digits alike (cross-entropy against (1 - s) * one-hot + s / 10)."""
    loss = F.nll_loss(log_probs, labels)
    if smoothing:
        loss = (1 - smoothing) * loss - smoothing * log_probs.mean()
    return loss


def gradient_lengths(model: torch.nn.Module) -> torch.Tensor:
    """Each layer's gradient length, first layer to last, as the backward pass left it: the L2 norm
    of the gradient of all the layer's weights and biases together (sqrt of the sum of their squares),
    in one tensor on the model's device. A layer is a module that holds parameters itself. (Every
    gradient's norm in one fused kernel, as torch.nn.utils.clip_grad_norm_ takes them: half the time
    of one norm per tensor; bench/gradient_flow.py measures what it costs a run.)"""
    layers = [m for m in model.modules() if next(m.parameters(recurse=False), None) is not None]
    owned = [(i, p.grad) for i, layer in enumerate(layers) for p in layer.parameters(recurse=False) if p.grad is not None]
    norms = torch.stack(torch._foreach_norm([grad for _, grad in owned]))
    layer_of = torch.tensor([i for i, _ in owned], device=norms.device)
    return torch.zeros(len(layers), dtype=norms.dtype, device=norms.device).index_add_(0, layer_of, norms.square()).sqrt()


def make_optimizer(cfg: TrainConfig, params, device: torch.device) -> torch.optim.Optimizer:
    fused = device.type in ("cpu", "cuda")  # one fused kernel per step instead of one per tensor
    if cfg.optimizer == "adam":
        return torch.optim.Adam(params, lr=cfg.lr, fused=fused)
    return torch.optim.SGD(params, lr=cfg.lr, momentum=cfg.momentum, fused=fused)


def _scheduler(cfg: TrainConfig, opt, total_steps: int):
    if cfg.schedule == "onecycle":
        # a quarter of the steps warming up; at least two in very short runs (OneCycleLR needs them)
        return torch.optim.lr_scheduler.OneCycleLR(
            opt, max_lr=cfg.lr, total_steps=total_steps, pct_start=min(0.99, max(0.25, 2 / total_steps)),
            cycle_momentum=cfg.optimizer == "sgd",
        )
    return None


def build_model(cfg: TrainConfig, device: torch.device) -> MLP | CNN:
    """The initial network for `cfg`, seeded without disturbing the global random state."""
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(cfg.seed)
        model = build_network(**cfg.network)
    return model.to(device)


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


class _Mix:
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


@dataclass
class Start:
    """A run to continue rather than a fresh network: its model and optimiser (step.py's RunState)."""

    model: MLP | CNN
    optimizer: torch.optim.Optimizer
    steps: int  # optimiser steps it has taken


def _network(cfg: TrainConfig, device: torch.device, start: Start | None) -> tuple[MLP | CNN, torch.optim.Optimizer]:
    """A fresh network and its optimiser, or those of `start` (a continued run) on `device`: an
    optimiser of the same kind keeps its running averages, at `cfg`'s learning rate."""
    model = build_model(cfg, device) if start is None else start.model.to(device)
    opt = make_optimizer(cfg, model.parameters(), device)
    if start is not None and type(opt) is type(start.optimizer):
        opt.load_state_dict(start.optimizer.state_dict())
        for group in opt.param_groups:
            group["lr"] = cfg.lr
    return model, opt


def train(
    cfg: TrainConfig,
    data: MnistTensors,
    device: torch.device | None = None,
    stop: threading.Event | None = None,
    evaluations: int = 0,
    pace: float | None = None,
    start: Start | None = None,
    report_every: float | None = None,
    evaluate_every: float | None = None,
    extra: Pool | None = None,
    extra_share: float = 0.0,
    max_steps: int | None = None,
) -> Iterator[Event]:
    """Train a network on `data` and yield progress; the last event is Finished or Stopped.

    `data` must already be on `device` (see load_mnist). An epoch is as many images as MNIST's
    training set; with `cfg.drawn` > 0 that share of them are pen-written digits (data.drawn, see
    drawn.load_drawn, each writer's share evened out by its train_weight), with `extra` (a class's
    own drawings) `extra_share` of them come from it, and the rest is a random part of MNIST, fresh
    every epoch. `max_steps` ends the run early (class teaching takes a few hundred steps).

    Progress comes every total_steps // LOSS_POINTS steps (a paced run: a few times a second); the
    test sets are measured at every epoch's end, about `evaluations` times during the run, and at
    least every `evaluate_every` seconds when given (so that a slow run shows its accuracy soon).
    `pace`, in steps per second, slows the run down so that a class can watch it (None: full speed).
    `stop`, when set, ends the run before the next step: it yields Stopped, with the network as it stood.
    `start` continues a run (its network and optimiser) instead of training a fresh network.
    With `report_every` (seconds), a Progress with point=False comes whenever no event has for that
    long: whoever iterates hears from the run often enough to notice when nobody is listening.
    """
    device = torch.device(device) if device is not None else data.train_x.device
    if data.train_x.device != device:
        raise ConfigError("data_device", data=data.train_x.device, device=device)
    if pace is not None and not 0 < pace <= MAX_PACE:
        raise ConfigError("pace_range", got=pace, max=MAX_PACE)
    if cfg.drawn and data.drawn is None:
        raise ConfigError("drawn_not_loaded")
    n = len(data.train_y)  # images per epoch, whatever their mix
    pools = [] if not cfg.drawn else [(Pool(data.drawn.train_x, data.drawn.train_y, data.drawn.train_weight), cfg.drawn)]
    if extra is not None and extra_share:
        pools.append((extra, extra_share))
    mix = _Mix(Pool(data.train_x, data.train_y), pools, n)
    steps_per_epoch = math.ceil(n / cfg.batch_size)
    total_steps = cfg.epochs * steps_per_epoch if max_steps is None else min(max_steps, cfg.epochs * steps_per_epoch)
    if pace is None:
        loss_every = max(1, total_steps // LOSS_POINTS)
    else:
        loss_every = max(1, round(pace / PACED_POINTS_PER_SECOND))
    evaluate_steps = max(1, total_steps // evaluations) if evaluations else 0
    model, opt = _network(cfg, device, start)
    sched = _scheduler(cfg, opt, total_steps)
    gen = torch.Generator(device=device).manual_seed(cfg.seed)
    continued = 0 if start is None else start.steps

    def measure() -> tuple[float, float | None]:
        test = accuracy(model, data.test_x, data.test_y)
        drawn = None if data.drawn is None else accuracy(model, data.drawn.val_x, data.drawn.val_y)
        model.train()
        return test, drawn

    history: list[EpochEnd] = []
    start_time = time.perf_counter()
    last_event = last_measure = start_time
    seen = done = 0
    for epoch in range(1, cfg.epochs + 1):
        model.train()
        order = mix.order(gen, device)
        epoch_loss, epoch_start = torch.zeros((), device=device), seen
        window_loss, window_steps = torch.zeros((), device=device), 0
        epoch_steps = min(steps_per_epoch, total_steps - done)
        for step in range(epoch_steps):
            if pace is not None:  # wait for this step's turn; a stop request ends the wait
                wait = start_time + done / pace - time.perf_counter()
                if wait > 0:
                    stop.wait(wait) if stop is not None else time.sleep(wait)
            if stop is not None and stop.is_set():
                yield Stopped(epoch, step, time.perf_counter() - start_time, model.cpu().eval(), opt, continued + done)
                return
            images, labels = mix.batch(order[step * cfg.batch_size : (step + 1) * cfg.batch_size])
            if cfg.augment:
                images = augment(images, gen)
            loss = loss_fn(model(images), labels, cfg.label_smoothing)
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
            if sched is not None:
                sched.step()
            loss = loss.detach()
            epoch_loss += loss * len(labels)
            window_loss += loss
            window_steps += 1
            seen += len(labels)
            done += 1
            now = time.perf_counter()
            last_step = step + 1 == epoch_steps
            point = done % loss_every == 0 or last_step
            if point or (report_every is not None and now - last_event >= report_every):
                # this step's gradient lengths, read back where the loss is (no wait for the device at other steps)
                measured = point and (done % (loss_every * GRADIENT_STRIDE) == 0 or last_step)
                gradients = gradient_lengths(model).tolist() if measured else None
                yield Progress(epoch, cfg.epochs, step + 1, steps_per_epoch, window_loss.item() / window_steps,
                               seen / (now - start_time), now - start_time, point, total_steps, gradients)
                last_event = now
            if point:
                window_loss.zero_()
                window_steps = 0
            due = (evaluate_steps and done % evaluate_steps == 0) or (
                evaluate_every is not None and now - last_measure >= evaluate_every)
            if due and not last_step:
                last_measure = time.perf_counter()
                yield Evaluation(epoch, step + 1, steps_per_epoch, *measure())
        test_acc, drawn_acc = measure()
        now = last_measure = time.perf_counter()
        yield Evaluation(epoch, epoch_steps, steps_per_epoch, test_acc, drawn_acc)
        end = EpochEnd(epoch, cfg.epochs, epoch_loss.item() / (seen - epoch_start), test_acc,
                       seen / (now - start_time), now - start_time, drawn_acc,
                       first_layer=model.layers[0].weight.detach().to("cpu", copy=True))
        history.append(replace(end, first_layer=None))  # the result keeps numbers, not weight snapshots
        yield end
        if done >= total_steps:
            break
    model = model.cpu().eval()
    elapsed = time.perf_counter() - start_time
    last = history[-1]
    result = TrainResult(cfg, str(device), last.test_accuracy, last.drawn_accuracy, history, elapsed,
                         seen / elapsed, continued=continued, steps=continued + done)
    yield Finished(model, result, opt)


def fit(cfg: TrainConfig, data: MnistTensors, device: torch.device | None = None,
        stop: threading.Event | None = None) -> Finished | Stopped:
    """Run `train` to the end and return its last event."""
    last = None
    for last in train(cfg, data, device, stop):
        pass
    return last
