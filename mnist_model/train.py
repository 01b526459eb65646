"""The trainer: one function, used by the CLI and the app alike, that yields progress events.

    for event in train(config, data, device, stop=stop_event):
        ...  # Progress, Evaluation, EpochEnd, then Finished (with the model) or Stopped

The data set is resident on the device (see data.py); a batch is an index slice of a per-epoch
permutation, augmentation is whole-batch tensor ops, and the loss is read back to the host only
when a point of the loss curve is due, so a GPU is not synchronised every step.
"""

import functools
import math
import threading
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field, replace

import torch
import torch.nn.functional as F

from .augment import augment
from .data import MnistTensors
from .errors import ConfigError
from .evaluate import accuracy
from .model import DEFAULT_HIDDEN, INPUT_SIZE, MLP, NUM_CLASSES, validate_hidden

OPTIMIZERS = ("adam", "sgd")
SCHEDULES = ("constant", "onecycle")
MAX_EPOCHS = 200
MAX_BATCH = 60_000
MAX_DRAWN = 0.9  # some MNIST stays in every epoch: its test accuracy is still measured
MAX_SMOOTHING = 0.5


@dataclass(frozen=True)
class TrainConfig:
    hidden: tuple[int, ...] = DEFAULT_HIDDEN  # hidden layer sizes; the tutorial's 64, 64, 64
    epochs: int = 2  # passes over the 60,000 training images
    batch_size: int = 15  # images per optimiser step
    lr: float = 1e-3  # learning rate (the peak rate with the one-cycle schedule)
    optimizer: str = "adam"  # adam, or sgd (with momentum)
    momentum: float = 0.9  # SGD only
    schedule: str = "constant"  # constant, or onecycle (warm up, then anneal to ~0)
    augment: bool = False  # random shifts, rotations, scalings and stroke widths, on the device
    drawn: float = 0.0  # share of each epoch's images that are pen-written digits (drawn.py); 0 = MNIST only
    label_smoothing: float = 0.0  # share of each target spread over all ten digits; 0 = the lesson's NLL loss
    seed: int = 0  # same seed + same device = same model

    def validated(self) -> "TrainConfig":
        """This config with hidden sizes normalised, or ConfigError naming the bad field."""
        hidden = validate_hidden(list(self.hidden))
        if not _is_int(self.epochs) or not 1 <= self.epochs <= MAX_EPOCHS:
            raise ConfigError("epochs_range", max=MAX_EPOCHS, got=self.epochs)
        if not _is_int(self.batch_size) or not 1 <= self.batch_size <= MAX_BATCH:
            raise ConfigError("batch_range", max=MAX_BATCH, got=self.batch_size)
        if not isinstance(self.lr, (int, float)) or not 0 < self.lr <= 10 or not math.isfinite(self.lr):
            raise ConfigError("lr_range", got=self.lr)
        if self.optimizer not in OPTIMIZERS:
            raise ConfigError("optimizer_choice", choices=", ".join(OPTIMIZERS), got=self.optimizer)
        if not isinstance(self.momentum, (int, float)) or not 0 <= self.momentum < 1:
            raise ConfigError("momentum_range", got=self.momentum)
        if self.schedule not in SCHEDULES:
            raise ConfigError("schedule_choice", choices=", ".join(SCHEDULES), got=self.schedule)
        if not isinstance(self.drawn, (int, float)) or isinstance(self.drawn, bool) \
                or not 0 <= self.drawn <= MAX_DRAWN:
            raise ConfigError("drawn_range", max=MAX_DRAWN, got=self.drawn)
        if not isinstance(self.label_smoothing, (int, float)) or isinstance(self.label_smoothing, bool) \
                or not 0 <= self.label_smoothing <= MAX_SMOOTHING:
            raise ConfigError("smoothing_range", max=MAX_SMOOTHING, got=self.label_smoothing)
        if not _is_int(self.seed) or not 0 <= self.seed < 2**63:
            raise ConfigError("seed_range", got=self.seed)
        return replace(self, hidden=hidden, augment=bool(self.augment), lr=float(self.lr), drawn=float(self.drawn),
                       label_smoothing=float(self.label_smoothing))

    def to_dict(self) -> dict:
        return {**asdict(self), "hidden": list(self.hidden)}


def _is_int(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


PRESETS: dict[str, TrainConfig] = {
    # the tutorial's recipe, exactly
    "seed": TrainConfig(),
    # >= 96.7% test accuracy with the default network, in as little time as possible
    "fast": TrainConfig(epochs=2, batch_size=256, lr=0.02, schedule="onecycle"),
    # the recipe of the shipped checkpoint: a long one-cycle run with augmentation, 30% pen-written digits
    "best": TrainConfig(epochs=100, batch_size=256, lr=0.005, schedule="onecycle", augment=True, drawn=0.3),
}


def preset(name: str, **overrides) -> TrainConfig:
    """A preset's config with some fields replaced; unknown presets or fields raise ConfigError."""
    if name not in PRESETS:
        raise ConfigError("unknown_preset", got=name, choices=", ".join(PRESETS))
    unknown = set(overrides) - set(TrainConfig.__dataclass_fields__)
    if unknown:
        raise ConfigError("unknown_settings", names=", ".join(sorted(unknown)))
    return replace(PRESETS[name], **overrides).validated()


def lease_seconds(cfg: TrainConfig, train_size: int = 60_000, step_seconds: float = 0.003) -> int:
    """A generous guess of a run's wall time on a GPU, for time-limited GPU leases (ZeroGPU)."""
    steps = cfg.epochs * math.ceil(train_size / cfg.batch_size)
    return int(30 + steps * step_seconds * (2 if cfg.augment else 1))


def parameters(hidden) -> int:
    """Weights and biases of the network with these hidden sizes."""
    sizes = (INPUT_SIZE, *hidden, NUM_CLASSES)
    return sum(a * b + b for a, b in zip(sizes[:-1], sizes[1:]))


@functools.lru_cache(maxsize=4)
def speed(device: str = "cpu") -> tuple[float, float, float, float]:
    """This machine's training speed on `device`, measured once with the real training loop on a
    few steps of four small runs of random images: seconds per step, per parameter and step (the
    optimiser's update, reading the weights), per image and parameter, and per augmented image."""
    dev = torch.device(device)

    def seconds_per_step(hidden: tuple[int, ...], batch: int, steps: int, augmented: bool = False) -> float:
        n = batch * steps
        data = MnistTensors(torch.rand(n, 28, 28, device=dev), torch.randint(10, (n,), device=dev),
                            torch.rand(1, 28, 28, device=dev), torch.zeros(1, dtype=torch.long, device=dev))
        cfg = TrainConfig(hidden=hidden, epochs=1, batch_size=batch, augment=augmented)
        fit(cfg, data, dev)  # warm up
        start = time.perf_counter()
        fit(cfg, data, dev)
        return (time.perf_counter() - start) / steps

    small, large = DEFAULT_HIDDEN, (1024, 1024)
    p_small, p_large = parameters(small), parameters(large)
    a = seconds_per_step(small, 8, 40)
    b = seconds_per_step(large, 8, 10)
    c = seconds_per_step(small, 512, 6)
    d = seconds_per_step(small, 512, 6, augmented=True)
    per_image_parameter = max(c - a, 0.0) / (504 * p_small)
    per_parameter = max((b - a) / (p_large - p_small) - 8 * per_image_parameter, 0.0)
    per_step = max(a - p_small * (per_parameter + 8 * per_image_parameter), 0.0)
    return per_step, per_parameter, per_image_parameter, max(d - c, 0.0) / 512


def estimate_seconds(cfg: TrainConfig, device: str = "cpu", train_size: int = 60_000, test_size: int = 14_000) -> float:
    """How long a run of `cfg` takes on this machine's `device`, from its measured speed(): each
    step's fixed cost and its update of every parameter, every image through every parameter,
    augmentation, and measuring the test sets at each epoch's end."""
    per_step, per_parameter, per_image_parameter, per_augmented = speed(device)
    params = parameters(cfg.hidden)
    steps = cfg.epochs * math.ceil(train_size / cfg.batch_size)
    per_image = params * per_image_parameter + (per_augmented if cfg.augment else 0.0)
    step = per_step + params * per_parameter + cfg.batch_size * per_image
    return steps * step + cfg.epochs * test_size * params * per_image_parameter / 3


# --- events ----------------------------------------------------------------------------------

LOSS_POINTS = 200  # a loss point every total_steps // LOSS_POINTS steps: curves that grow, whatever the run's length


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

    @property
    def position(self) -> float:
        """Epochs done, with fractions: the curves' x axis."""
        return self.epoch - 1 + self.step / self.steps_per_epoch

    @property
    def fraction(self) -> float:
        return self.position / self.epochs

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

    @property
    def position(self) -> float:
        return self.epoch - 1 + self.step / self.steps_per_epoch


@dataclass
class EpochEnd:
    epoch: int
    epochs: int
    train_loss: float  # mean over the epoch
    test_accuracy: float  # on MNIST's test set
    samples_per_s: float
    elapsed: float
    drawn_accuracy: float | None = None  # on the held-out writers' pen-written digits, when loaded
    first_layer: torch.Tensor | None = field(default=None, repr=False)  # (units, 784) weights, on the CPU


@dataclass
class TrainResult:
    config: TrainConfig
    device: str
    test_accuracy: float  # after the last epoch
    drawn_accuracy: float | None = None  # likewise, on held-out writers' pen-written digits
    history: list[EpochEnd] = field(default_factory=list)
    elapsed: float = 0.0  # wall seconds, training and evaluation
    samples_per_s: float = 0.0
    continued: int = 0  # optimiser steps the run had taken before (one at a time, see step.py)
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
    epoch: int
    step: int
    elapsed: float


Event = Progress | Evaluation | EpochEnd | Finished | Stopped


# --- the loop --------------------------------------------------------------------------------


def loss_fn(log_probs: torch.Tensor, labels: torch.Tensor, smoothing: float = 0.0) -> torch.Tensor:
    """The lesson's NLL loss; with label smoothing, the target gives `smoothing` of its weight to all
    ten digits alike (cross-entropy against (1 - s) * one-hot + s / 10)."""
    loss = F.nll_loss(log_probs, labels)
    if smoothing:
        loss = (1 - smoothing) * loss - smoothing * log_probs.mean()
    return loss


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


def build_model(cfg: TrainConfig, device: torch.device) -> MLP:
    """The initial network for `cfg`, seeded without disturbing the global random state."""
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(cfg.seed)
        model = MLP(cfg.hidden)
    return model.to(device)


def _sample(total: int, count: int, gen: torch.Generator, device: torch.device,
            weights: torch.Tensor | None = None) -> torch.Tensor:
    """`count` distinct indices below `total` (with repeats only when there are fewer than `count`),
    each as likely as its weight (all alike without `weights`)."""
    if weights is not None:
        return torch.multinomial(weights, count, replacement=count > total, generator=gen)
    if count <= total:
        return torch.randperm(total, device=device, generator=gen)[:count]
    return torch.randint(total, (count,), device=device, generator=gen)


@dataclass
class Start:
    """A run to continue rather than a fresh network: its model and optimiser (step.py's RunState)."""

    model: MLP
    optimizer: torch.optim.Optimizer
    steps: int  # optimiser steps it has taken


def train(
    cfg: TrainConfig,
    data: MnistTensors,
    device: torch.device | None = None,
    stop: threading.Event | None = None,
    evaluations: int = 0,
    pace: float | None = None,
    start: Start | None = None,
    report_every: float | None = None,
) -> Iterator[Event]:
    """Train a network on `data` and yield progress; the last event is Finished or Stopped.

    `data` must already be on `device` (see load_mnist). An epoch is as many images as MNIST's
    training set; with `cfg.drawn` > 0 that share of them are pen-written digits (data.drawn, see
    drawn.load_drawn, each writer's share evened out by its train_weight) and the rest a random part
    of MNIST, fresh every epoch.

    Progress comes every total_steps // LOSS_POINTS steps; the test sets are measured at every
    epoch's end and, with `evaluations` = N, about N times during the run (Evaluation events).
    `pace`, in steps per second, slows the run down so that a class can watch it (None: full speed).
    `stop`, when set, ends the run before the next step: a stopped run yields Stopped and no model.
    `start` continues a run (its network and optimiser) instead of training a fresh network.
    With `report_every` (seconds), a Progress with point=False comes whenever no event has for that
    long: whoever iterates hears from the run often enough to notice when nobody is listening.
    """
    cfg = cfg.validated()
    device = torch.device(device) if device is not None else data.train_x.device
    if data.train_x.device != device:
        raise ConfigError("data_device", data=data.train_x.device, device=device)
    if pace is not None and not pace > 0:
        raise ConfigError("pace_range", got=pace)
    n = len(data.train_y)  # images per epoch, whatever their mix
    n_drawn = round(cfg.drawn * n)
    if n_drawn and data.drawn is None:
        raise ConfigError("drawn_not_loaded")
    images_pool, labels_pool = data.train_x, data.train_y
    if n_drawn:  # one pool, so that a batch stays one index slice whatever it mixes
        images_pool = torch.cat([data.train_x, data.drawn.train_x])
        labels_pool = torch.cat([data.train_y, data.drawn.train_y])
    steps_per_epoch = math.ceil(n / cfg.batch_size)
    total_steps = cfg.epochs * steps_per_epoch
    loss_every = max(1, total_steps // LOSS_POINTS)
    evaluate_every = max(1, total_steps // evaluations) if evaluations else 0
    model = build_model(cfg, device) if start is None else start.model.to(device)
    opt = make_optimizer(cfg, model.parameters(), device)
    if start is not None and type(opt) is type(start.optimizer):  # the same kind keeps its running averages
        opt.load_state_dict(start.optimizer.state_dict())
        for group in opt.param_groups:
            group["lr"] = cfg.lr
    sched = _scheduler(cfg, opt, total_steps)
    gen = torch.Generator(device=device).manual_seed(cfg.seed)

    def measure() -> tuple[float, float | None]:
        test = accuracy(model, data.test_x, data.test_y)
        drawn = None if data.drawn is None else accuracy(model, data.drawn.val_x, data.drawn.val_y)
        model.train()
        return test, drawn

    history: list[EpochEnd] = []
    start_time = time.perf_counter()
    last_event = start_time
    seen = done = 0
    for epoch in range(1, cfg.epochs + 1):
        model.train()
        perm = torch.randperm(n, device=device, generator=gen)
        if n_drawn:
            drawn_part = _sample(len(data.drawn.train_y), n_drawn, gen, device, data.drawn.train_weight)
            chosen = torch.cat([perm[: n - n_drawn], n + drawn_part])
            perm = chosen[torch.randperm(n, device=device, generator=gen)]
        epoch_loss = torch.zeros((), device=device)
        window_loss, window_steps = torch.zeros((), device=device), 0
        for step in range(steps_per_epoch):
            if pace is not None:  # wait for this step's turn; a stop request ends the wait
                wait = start_time + done / pace - time.perf_counter()
                if wait > 0:
                    stop.wait(wait) if stop is not None else time.sleep(wait)
            if stop is not None and stop.is_set():
                yield Stopped(epoch, step, time.perf_counter() - start_time)
                return
            idx = perm[step * cfg.batch_size : (step + 1) * cfg.batch_size]
            images = images_pool[idx]
            if cfg.augment:
                images = augment(images, gen)
            loss = loss_fn(model(images), labels_pool[idx], cfg.label_smoothing)
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
            if sched is not None:
                sched.step()
            loss = loss.detach()
            epoch_loss += loss * len(idx)
            window_loss += loss
            window_steps += 1
            seen += len(idx)
            done += 1
            now = time.perf_counter()
            point = done % loss_every == 0 or step + 1 == steps_per_epoch
            if point or (report_every is not None and now - last_event >= report_every):
                yield Progress(epoch, cfg.epochs, step + 1, steps_per_epoch, window_loss.item() / window_steps,
                               seen / (now - start_time), now - start_time, point)
                last_event = now
            if point:
                window_loss.zero_()
                window_steps = 0
            if evaluate_every and done % evaluate_every == 0 and step + 1 < steps_per_epoch:
                yield Evaluation(epoch, step + 1, steps_per_epoch, *measure())
        test_acc, drawn_acc = measure()
        now = time.perf_counter()
        yield Evaluation(epoch, steps_per_epoch, steps_per_epoch, test_acc, drawn_acc)
        end = EpochEnd(epoch, cfg.epochs, epoch_loss.item() / n, test_acc, seen / (now - start_time),
                       now - start_time, drawn_acc, first_layer=model.layers[0].weight.detach().to("cpu", copy=True))
        history.append(replace(end, first_layer=None))  # the result keeps numbers, not weight snapshots
        yield end
    model = model.cpu().eval()
    elapsed = time.perf_counter() - start_time
    last = history[-1]
    continued = 0 if start is None else start.steps
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
