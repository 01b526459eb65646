"""The trainer: one function, used by the CLI and the app alike, that yields progress events.

    for event in train(config, data, device, stop=stop_event):
        ...  # Progress, EpochEnd, then Finished (with the model) or Stopped

The data set is resident on the device (see data.py); a batch is an index slice of a per-epoch
permutation, augmentation is whole-batch tensor ops, and the loss is read back to the host only
when a progress event is due, so a GPU is not synchronised every step.
"""

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
from .model import DEFAULT_HIDDEN, MLP, validate_hidden

OPTIMIZERS = ("adam", "sgd")
SCHEDULES = ("constant", "onecycle")
MAX_EPOCHS = 200
MAX_BATCH = 60_000
MAX_DRAWN = 0.9  # some MNIST stays in every epoch: its test accuracy is still measured


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
    seed: int = 0  # same seed + same device = same model

    def validated(self) -> "TrainConfig":
        """This config with hidden sizes normalised, or ConfigError naming the bad field."""
        hidden = validate_hidden(list(self.hidden))
        if not _is_int(self.epochs) or not 1 <= self.epochs <= MAX_EPOCHS:
            raise ConfigError(f"epochs must be a whole number from 1 to {MAX_EPOCHS}, got {self.epochs!r}")
        if not _is_int(self.batch_size) or not 1 <= self.batch_size <= MAX_BATCH:
            raise ConfigError(f"batch size must be a whole number from 1 to {MAX_BATCH}, got {self.batch_size!r}")
        if not isinstance(self.lr, (int, float)) or not 0 < self.lr <= 10 or not math.isfinite(self.lr):
            raise ConfigError(f"learning rate must be a number above 0 and at most 10, got {self.lr!r}")
        if self.optimizer not in OPTIMIZERS:
            raise ConfigError(f"optimizer must be one of {', '.join(OPTIMIZERS)}, got {self.optimizer!r}")
        if not isinstance(self.momentum, (int, float)) or not 0 <= self.momentum < 1:
            raise ConfigError(f"momentum must be a number in [0, 1), got {self.momentum!r}")
        if self.schedule not in SCHEDULES:
            raise ConfigError(f"schedule must be one of {', '.join(SCHEDULES)}, got {self.schedule!r}")
        if not isinstance(self.drawn, (int, float)) or isinstance(self.drawn, bool) \
                or not 0 <= self.drawn <= MAX_DRAWN:
            raise ConfigError(f"the drawn-digit share must be a number from 0 to {MAX_DRAWN}, got {self.drawn!r}")
        if not _is_int(self.seed) or not 0 <= self.seed < 2**63:
            raise ConfigError(f"seed must be a whole number of at least 0, got {self.seed!r}")
        return replace(self, hidden=hidden, augment=bool(self.augment), lr=float(self.lr), drawn=float(self.drawn))

    def to_dict(self) -> dict:
        return {**asdict(self), "hidden": list(self.hidden)}


def _is_int(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


PRESETS: dict[str, TrainConfig] = {
    # the tutorial's recipe, exactly
    "seed": TrainConfig(),
    # >= 96.7% test accuracy with the default network, in as little time as possible
    "fast": TrainConfig(epochs=2, batch_size=256, lr=0.02, schedule="onecycle"),
    # the recipe of the shipped checkpoint: long one-cycle run with augmentation
    "best": TrainConfig(epochs=60, batch_size=256, lr=0.005, schedule="onecycle", augment=True),
}


def preset(name: str, **overrides) -> TrainConfig:
    """A preset's config with some fields replaced; unknown presets or fields raise ConfigError."""
    if name not in PRESETS:
        raise ConfigError(f"unknown preset {name!r}: choose one of {', '.join(PRESETS)}")
    unknown = set(overrides) - set(TrainConfig.__dataclass_fields__)
    if unknown:
        raise ConfigError(f"unknown training setting(s): {', '.join(sorted(unknown))}")
    return replace(PRESETS[name], **overrides).validated()


def estimate_seconds(cfg: TrainConfig, train_size: int = 60_000, step_seconds: float = 0.003) -> int:
    """A generous guess of a run's wall time on a GPU, for time-limited GPU leases (ZeroGPU)."""
    steps = cfg.epochs * math.ceil(train_size / cfg.batch_size)
    return int(30 + steps * step_seconds * (2 if cfg.augment else 1))


# --- events ----------------------------------------------------------------------------------


@dataclass
class Progress:
    epoch: int  # 1-based
    epochs: int
    step: int  # steps done in this epoch
    steps_per_epoch: int
    loss: float  # mean training loss since the previous Progress event
    samples_per_s: float  # training throughput so far
    elapsed: float  # seconds since training began

    @property
    def fraction(self) -> float:
        return ((self.epoch - 1) * self.steps_per_epoch + self.step) / (self.epochs * self.steps_per_epoch)

    @property
    def eta(self) -> float:
        """Seconds left, extrapolated from the time so far."""
        done = self.fraction
        return self.elapsed * (1 - done) / done if done > 0 else float("nan")


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
    elapsed: float = 0.0  # wall seconds, training and per-epoch evaluation
    samples_per_s: float = 0.0


@dataclass
class Finished:
    model: torch.nn.Module  # on the CPU, in eval mode
    result: TrainResult


@dataclass
class Stopped:
    epoch: int
    step: int
    elapsed: float


Event = Progress | EpochEnd | Finished | Stopped


# --- the loop --------------------------------------------------------------------------------


def _optimizer(cfg: TrainConfig, params, device: torch.device) -> torch.optim.Optimizer:
    fused = device.type in ("cpu", "cuda")  # one fused kernel per step instead of one per tensor
    if cfg.optimizer == "adam":
        return torch.optim.Adam(params, lr=cfg.lr, fused=fused)
    return torch.optim.SGD(params, lr=cfg.lr, momentum=cfg.momentum, fused=fused)


def _scheduler(cfg: TrainConfig, opt, total_steps: int):
    if cfg.schedule == "onecycle":
        return torch.optim.lr_scheduler.OneCycleLR(
            opt, max_lr=cfg.lr, total_steps=total_steps, pct_start=0.25,
            cycle_momentum=cfg.optimizer == "sgd",
        )
    return None


def build_model(cfg: TrainConfig, device: torch.device) -> MLP:
    """The initial network for `cfg`, seeded without disturbing the global random state."""
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(cfg.seed)
        model = MLP(cfg.hidden)
    return model.to(device)


def _sample(total: int, count: int, gen: torch.Generator, device: torch.device) -> torch.Tensor:
    """`count` distinct indices below `total` (with repeats only when there are fewer than `count`)."""
    if count <= total:
        return torch.randperm(total, device=device, generator=gen)[:count]
    return torch.randint(total, (count,), device=device, generator=gen)


def train(
    cfg: TrainConfig,
    data: MnistTensors,
    device: torch.device | None = None,
    stop: threading.Event | None = None,
    report_every: float = 0.25,
) -> Iterator[Event]:
    """Train a fresh network on `data` and yield progress; the last event is Finished or Stopped.

    `data` must already be on `device` (see load_mnist). An epoch is as many images as MNIST's
    training set; with `cfg.drawn` > 0 that share of them are pen-written digits (data.drawn, see
    drawn.load_drawn) and the rest a random part of MNIST, fresh every epoch. `stop`, when set, ends
    the run before the next step: a stopped run yields Stopped and no model. `report_every` is the
    seconds between Progress events.
    """
    cfg = cfg.validated()
    device = torch.device(device) if device is not None else data.train_x.device
    if data.train_x.device != device:
        raise ConfigError(f"the data is on {data.train_x.device}, training was asked on {device}")
    n = len(data.train_y)  # images per epoch, whatever their mix
    n_drawn = round(cfg.drawn * n)
    if n_drawn and data.drawn is None:
        raise ConfigError("training with drawn digits needs them loaded: see mnist_model.drawn.load_drawn")
    images_pool, labels_pool = data.train_x, data.train_y
    if n_drawn:  # one pool, so that a batch stays one index slice whatever it mixes
        images_pool = torch.cat([data.train_x, data.drawn.train_x])
        labels_pool = torch.cat([data.train_y, data.drawn.train_y])
    steps_per_epoch = math.ceil(n / cfg.batch_size)
    model = build_model(cfg, device)
    opt = _optimizer(cfg, model.parameters(), device)
    sched = _scheduler(cfg, opt, cfg.epochs * steps_per_epoch)
    gen = torch.Generator(device=device).manual_seed(cfg.seed)

    history: list[EpochEnd] = []
    start = time.perf_counter()
    seen = 0
    next_report = start + report_every
    for epoch in range(1, cfg.epochs + 1):
        model.train()
        perm = torch.randperm(n, device=device, generator=gen)
        if n_drawn:
            chosen = torch.cat([perm[: n - n_drawn], n + _sample(len(data.drawn.train_y), n_drawn, gen, device)])
            perm = chosen[torch.randperm(n, device=device, generator=gen)]
        epoch_loss = torch.zeros((), device=device)
        window_loss, window_steps = torch.zeros((), device=device), 0
        for step in range(steps_per_epoch):
            if stop is not None and stop.is_set():
                yield Stopped(epoch, step, time.perf_counter() - start)
                return
            idx = perm[step * cfg.batch_size : (step + 1) * cfg.batch_size]
            images = images_pool[idx]
            if cfg.augment:
                images = augment(images, gen)
            loss = F.nll_loss(model(images), labels_pool[idx])
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
            now = time.perf_counter()
            if now >= next_report and step + 1 < steps_per_epoch:
                next_report = now + report_every
                yield Progress(epoch, cfg.epochs, step + 1, steps_per_epoch, window_loss.item() / window_steps,
                               seen / (now - start), now - start)
                window_loss.zero_()
                window_steps = 0
        test_acc = accuracy(model, data.test_x, data.test_y)
        drawn_acc = None if data.drawn is None else accuracy(model, data.drawn.val_x, data.drawn.val_y)
        now = time.perf_counter()
        if window_steps:
            yield Progress(epoch, cfg.epochs, steps_per_epoch, steps_per_epoch,
                           window_loss.item() / window_steps, seen / (now - start), now - start)
        end = EpochEnd(epoch, cfg.epochs, epoch_loss.item() / n, test_acc, seen / (now - start), now - start,
                       drawn_acc, first_layer=model.layers[0].weight.detach().to("cpu", copy=True))
        history.append(replace(end, first_layer=None))  # the result keeps numbers, not weight snapshots
        yield end
    model = model.cpu().eval()
    elapsed = time.perf_counter() - start
    last = history[-1]
    yield Finished(model, TrainResult(cfg, str(device), last.test_accuracy, last.drawn_accuracy, history, elapsed,
                                      seen / elapsed))


def fit(cfg: TrainConfig, data: MnistTensors, device: torch.device | None = None,
        stop: threading.Event | None = None) -> Finished | Stopped:
    """Run `train` to the end and return its last event."""
    last = None
    for last in train(cfg, data, device, stop):
        pass
    return last


if __name__ == "__main__":
    from .cli import train_main

    train_main()
