"""The trainer: one function that yields progress events (train_events.py; training_run.py runs it
for the app, the CLI and class teaching alike), drawing its batches as sampling.py says.

    for event in train(config, data, device, stop=stop_event):
        ...  # Progress, Evaluation, EpochEnd, then Finished (with the model) or Stopped

The data set is resident on the device (see data.py); a batch is an index slice of a per-epoch
permutation, augmentation is whole-batch tensor ops, and the loss is read back to the host only
when a point of the loss curve is due, so a GPU is not synchronised every step. Pen-written digits
(and a class's own drawings) stay in their own uint8 tensors: a batch gathers from each pool in
place, so a run mixing them copies no data set.
"""

import math
import threading
import time
from collections.abc import Iterator
from dataclasses import replace
from typing import Protocol

import torch
import torch.nn.functional as F

from .augment import augment
from .config import TrainConfig
from .data import MnistTensors
from .errors import ConfigError
from .evaluate import accuracy
from .model import CNN, MLP, build_network
from .sampling import Mix, Pool
from .train_events import EpochEnd, Evaluation, Event, Finished, Progress, Stopped, TrainResult

MAX_PACE = 50.0  # steps per second: a pace a class can watch; faster than that is full speed
LOSS_POINTS = 200  # a loss point every total_steps // LOSS_POINTS steps: curves that grow, whatever the run's length
PACED_POINTS_PER_SECOND = 4  # a paced run's loss points: a few a second, whatever its pace
GRADIENT_STRIDE = 2  # every other loss point (and each epoch's last) has the layers' gradient lengths: ~3% of a run's time





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


class GoOn(Protocol):
    """A run to go on with rather than a fresh network (step.py's RunState is one)."""

    model: MLP | CNN
    optimizer: torch.optim.Optimizer
    steps: int  # optimiser steps it has taken


def _network(cfg: TrainConfig, device: torch.device, go_on: GoOn | None) -> tuple[MLP | CNN, torch.optim.Optimizer]:
    """A fresh network and its optimiser, or those of `go_on` on `device`: an optimiser of the same
    kind keeps its running averages, at `cfg`'s learning rate."""
    model = build_model(cfg, device) if go_on is None else go_on.model.to(device)
    opt = make_optimizer(cfg, model.parameters(), device)
    if go_on is not None and type(opt) is type(go_on.optimizer):
        opt.load_state_dict(go_on.optimizer.state_dict())
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
    go_on: GoOn | None = None,
    report_every: float | None = None,
    evaluate_every: float | None = None,
    extra: Pool | None = None,
    extra_share: float = 0.0,
    max_steps: int | None = None,
) -> Iterator[Event]:
    """Train a network on `data` and yield progress; the last event is Finished or Stopped.

    `data` must already be on `device` (see load_mnist). An epoch is as many images as MNIST's
    training set; with `cfg.drawn` > 0 that share of them are pen-written digits (data.drawn, see
    pen_digits.load_pen_digit_tensors, each writer's share evened out by its train_weight), with `extra` (a class's
    own drawings) `extra_share` of them come from it, and the rest is a random part of MNIST, fresh
    every epoch. `max_steps` ends the run early (class teaching takes a few hundred steps).

    Progress comes every total_steps // LOSS_POINTS steps (a paced run: a few times a second); the
    test sets are measured at every epoch's end, about `evaluations` times during the run, and at
    least every `evaluate_every` seconds when given (so that a slow run shows its accuracy soon).
    `pace`, in steps per second, slows the run down so that a class can watch it (None: full speed).
    `stop`, when set, ends the run before the next step: it yields Stopped, with the network as it stood.
    `go_on` is a run to go on with (its network and optimiser) instead of a fresh network.
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
    if cfg.not_a_digit and data.not_digits is None:
        raise ConfigError("not_digits_not_loaded")
    n = len(data.train_y)  # images per epoch, whatever their mix
    pools = [] if not cfg.drawn else [(Pool(data.drawn.train_x, data.drawn.train_y, data.drawn.train_weight), cfg.drawn)]
    if cfg.not_a_digit:  # letters and doodles, learned as the 11th answer
        pools.append((Pool(data.not_digits.train_x, data.not_digits.train_y), cfg.not_a_digit))
    if extra is not None and extra_share:
        pools.append((extra, extra_share))
    mix = Mix(Pool(data.train_x, data.train_y), pools, n)
    steps_per_epoch = math.ceil(n / cfg.batch_size)
    total_steps = cfg.epochs * steps_per_epoch if max_steps is None else min(max_steps, cfg.epochs * steps_per_epoch)
    if pace is None:
        loss_every = max(1, total_steps // LOSS_POINTS)
    else:
        loss_every = max(1, round(pace / PACED_POINTS_PER_SECOND))
    evaluate_steps = max(1, total_steps // evaluations) if evaluations else 0
    model, opt = _network(cfg, device, go_on)
    sched = _scheduler(cfg, opt, total_steps)
    gen = torch.Generator(device=device).manual_seed(cfg.seed)
    continued = 0 if go_on is None else go_on.steps

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
