"""A training run: everything one run needs, from a recipe to a Classifier, in one place.

    request = RunRequest(preset("fast"), device="auto", pace=None)
    plan = plan_run(request, budget_seconds=600)   # priced; refused up front if over budget
    for event in run(plan.request, stop):
        ...  # Loading, Snapshot, Progress, Evaluation, EpochEnd, then Done (or Stopped)
    report, state = step(preset("seed"), "cpu", state)   # one optimiser step, shown

`plan_run` chooses the device once, reads the pace and prices the run (its time, whether it is
paced, its memory) without loading anything (its config is valid since it was built); `run` loads MNIST (once per process and device) and
the pen-written digits (drawn once, with progress), trains, judges the result on both test sets and
builds the Classifier with its metadata. The app's Train tab, its Step, the command line and class
teaching all go through here; none of them rebuilds any of it.
"""

import functools
import math
import queue
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace

import torch

from .classifier import Classifier
from .config import TrainConfig
from .data import MnistTensors, load_mnist, train_size
from .device import resolve_device
from .errors import BudgetError, ConfigError
from .evaluate import Report, report
from .messages import duration
from .not_digits import load_not_digit_tensors
from .pen_digits import EUROPEAN_SHARE, VARIANTS, load_pen_digit_tensors
from .pricing import PACED_SHARE, Cost, cost_of, estimate_seconds, measure_seconds, memory_bytes, step_seconds
from .sampling import Pool
from .step import RunState, StepReport, go_on_from, new_run, take_step
from .train import MAX_PACE, build_model, train
from .train_events import EpochEnd, Evaluation, Finished, Progress, Stopped, TrainResult

EVALUATIONS = 12  # test-set measurements during a run (and one at every epoch's end): curves, not dots
PACED_EVALUATE_EVERY = 2.0  # seconds: a paced run's accuracy is measured at least this often


@dataclass
class Loading:
    """The run is getting its data ready: `what` ("mnist", "drawn" or "not_digits"), `done` of `total` so far."""

    what: str
    done: int = 0
    total: int = 0


@dataclass
class Snapshot:
    """The first layer's weights before training (what each epoch's end then shows again): (units, 784)."""

    first_layer: torch.Tensor = field(repr=False)


@dataclass
class Done:
    """A finished run: its model ready to use, its numbers, its judgement on both test sets, and its
    network and optimiser as a RunState (on the CPU) for Step or Train to go on with."""

    classifier: Classifier
    result: TrainResult
    report: Report
    state: RunState | None = field(default=None, repr=False)


RunEvent = Loading | Snapshot | Progress | Evaluation | EpochEnd | Done | Stopped


@dataclass(frozen=True)
class RunRequest:
    """What a run is asked to do and under which terms."""

    config: TrainConfig
    device: str = "auto"  # auto, cpu, cuda, cuda:N or mps
    pace: float | None = None  # steps per second, to watch it learn; None: full speed
    go_on: RunState | None = None  # a run to go on with; a fresh network when its network is not the config's
    evaluations: int = EVALUATIONS
    report_every: float | None = None  # seconds: hear from the run at least this often (see train())
    extra: Pool | None = None  # images of the caller's own (a class's drawings) ...
    extra_share: float = 0.0  # ... and their share of each batch
    max_steps: int | None = None  # end after this many steps (class teaching takes a few hundred)
    drawn_variants: int = VARIANTS  # drawings of each pen-written digit to pick from, when the recipe has some
    data_dir: str | None = None  # MNIST's folder (default: $MNIST_DATA_DIR, else ./data) ...
    download: bool = True  # ... and whether it may be downloaded there when missing


def mnist_on(device: str, data_dir: str | None = None, download: bool = True) -> MnistTensors:
    """MNIST on a device, read once per process (from `data_dir`, else $MNIST_DATA_DIR, else ./data;
    downloaded there if missing and allowed)."""
    return _mnist_on(str(device), data_dir, bool(download))  # (one key however it is called)


@functools.lru_cache(maxsize=2)
def _mnist_on(device: str, data_dir: str | None, download: bool) -> MnistTensors:
    return load_mnist(data_dir, device, download=download)


mnist_on.cache_clear = _mnist_on.cache_clear  # (forget what was read: the tests' data sets change)


def check_budget(cfg: TrainConfig, device: torch.device | str, limit: float, train_size: int = 60_000) -> None:
    """Refuse, up front, a run whose estimated cost on this machine is over `limit` seconds, saying
    what would fit (BudgetError)."""
    estimate = estimate_seconds(cfg, str(device), train_size=train_size)
    if estimate <= limit:
        return
    per_epoch = estimate / cfg.epochs
    epochs = int(limit // per_epoch)
    values = dict(estimate=duration(estimate), limit=duration(limit), epochs=epochs, epoch=duration(per_epoch))
    raise BudgetError("budget" if epochs else "budget_none", **values)


@dataclass(frozen=True)
class Plan:
    """A run as it will go: its request, validated (device resolved, pace read), and its price."""

    request: RunRequest
    steps: int  # optimiser steps in all
    cost: Cost  # estimated wall seconds, and whether it is a paced (light) run
    memory: int  # bytes it holds beyond the data set (pricing.memory_bytes)


def plan_run(request: RunRequest, budget_seconds: float | None = None, wall_limit: float | None = None) -> Plan:
    """Price a run (its config valid since it was built) without loading anything; a run whose estimated cost is over
    `budget_seconds` is refused here (BudgetError), before it waits or loads anything. `wall_limit`
    caps the time it is expected to take (the host stops it then)."""
    cfg = request.config
    device = resolve_device(request.device)
    pace = validate_pace(request.pace)
    size = train_size(request.data_dir) or 60_000
    steps = cfg.epochs * math.ceil(size / cfg.batch_size)
    if request.max_steps is not None:  # (a run cut short, class teaching's: priced by its steps)
        steps = min(steps, request.max_steps)
        estimate = steps * step_seconds(cfg, str(device))
        if budget_seconds is not None and estimate > budget_seconds:
            raise BudgetError("budget_steps", steps=steps, estimate=duration(estimate), limit=duration(budget_seconds))
    step = step_seconds(cfg, str(device))
    measuring = measure_seconds(cfg, str(device)) / paced_measuring_every(cfg, device) if pace is not None else 0.0
    cost = cost_of(step, steps, pace, wall_limit, busy=measuring)
    if request.max_steps is None and budget_seconds is not None:
        if pace is not None and not cost.paced:
            # a paced run that is not light holds the full-speed slot as long as its pace makes it last
            wall = max(steps / pace, steps * step)
            if wall > budget_seconds:
                raise BudgetError("budget_paced", estimate=duration(wall), limit=duration(budget_seconds))
        else:
            check_budget(cfg, device, budget_seconds, size)
    return Plan(replace(request, config=cfg, device=str(device), pace=pace), steps, cost,
                memory_bytes(cfg.network, cfg.batch_size))


def paced_measuring_every(cfg: TrainConfig, device: torch.device | str) -> float:
    """Seconds between a paced run's measurements of its accuracy: every PACED_EVALUATE_EVERY s, or
    less often for a network whose measuring would take more than half a paced run's share of a core
    (a paced CNN measured itself out of the light runs, and held the full-speed slot for 20 minutes)."""
    return max(PACED_EVALUATE_EVERY, measure_seconds(cfg, str(device)) / (PACED_SHARE / 2))


def validate_pace(pace) -> float | None:
    """A pace as a run takes it: None or 0 is full speed, else a number of steps per second up to MAX_PACE."""
    if pace is None or (isinstance(pace, (int, float)) and not isinstance(pace, bool) and pace == 0):
        return None
    if isinstance(pace, bool) or not isinstance(pace, (int, float)) or not 0 < pace <= MAX_PACE:
        raise ConfigError("pace_range", got=pace, max=MAX_PACE)
    return float(pace)


def _in_background(work: Callable, what: str, report_every: float | None):
    """Run `work(progress)` in a thread, yielding Loading events as it reports progress (and at least
    every `report_every` seconds); returns what `work` returns, or raises what it raised."""
    reports: queue.Queue = queue.Queue()
    outcome: dict = {}

    def target():
        try:
            outcome["value"] = work(lambda done, total: reports.put(Loading(what, done, total)))
        except BaseException as exc:  # handed over to the caller's thread, raised there
            outcome["error"] = exc
        finally:
            reports.put(None)

    threading.Thread(target=target, name=f"loading-{what}", daemon=True).start()
    last = Loading(what)
    yield last
    while True:
        try:
            item = reports.get(timeout=report_every)
        except queue.Empty:
            yield last  # still at it
            continue
        if item is None:
            break
        last = item
        yield item
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]


def european_share(not_a_digit: float) -> float:
    """The share of a run's training pen-written 1s and 7s drawn in a European hand. A run that learns
    "not a digit" learns letters such as f, n, r, A near a 1 with a long up-stroke, and refuses such 1s
    unless it has seen them; a run of ten answers trains on the drawings as they always were (its
    results reproduce)."""
    return EUROPEAN_SHARE if not_a_digit else 0.0


def run(request: RunRequest, stop: threading.Event | None = None) -> Iterator[RunEvent]:
    """One training run, from its request to a Done (or Stopped) event; see the module's docstring.
    Impossible settings, an absent device or missing data raise a MnistModelError before anything trains."""
    cfg = request.config
    device = resolve_device(request.device)
    pace = validate_pace(request.pace)
    mnist = yield from _in_background(lambda progress: mnist_on(str(device), request.data_dir, request.download),
                                      "mnist", request.report_every)
    variants = request.drawn_variants if cfg.drawn else 0  # the held-out writers' digits always: every run measures them
    share = european_share(cfg.not_a_digit)
    drawn = yield from _in_background(
        lambda progress: load_pen_digit_tensors(device, variants, progress=progress, european_share=share), "drawn",
        request.report_every)
    not_digits = None
    if cfg.not_a_digit:  # letters and doodles: learned as the 11th answer, and measured
        not_digits = yield from _in_background(lambda progress: load_not_digit_tensors(device, progress=progress),
                                               "not_digits", request.report_every)
    data = MnistTensors(mnist.train_x, mnist.train_y, mnist.test_x, mnist.test_y, drawn=drawn, not_digits=not_digits)
    go_on = request.go_on if request.go_on is not None and request.go_on.model.network == cfg.network else None
    before = build_model(cfg, torch.device("cpu")) if go_on is None else go_on.model
    yield Snapshot(before.layers[0].weight.detach().to("cpu", copy=True))
    extra = request.extra
    if extra is not None:
        extra = Pool(extra.images.to(device), extra.labels.to(device))
    for event in train(cfg, data, device, stop=stop, evaluations=request.evaluations, pace=pace, go_on=go_on,
                       report_every=request.report_every,
                       evaluate_every=paced_measuring_every(cfg, device) if pace is not None else None,
                       extra=extra, extra_share=request.extra_share, max_steps=request.max_steps):
        if isinstance(event, Finished):  # the model is back on the CPU: judge it there
            yield finish(event, data)
            return
        yield event


def finish(event: Finished, data: MnistTensors) -> Done:
    """A finished run as Done: judged on both test sets (on the CPU), its Classifier with metadata."""
    r = event.result
    drawn = None if data.drawn is None else load_pen_digit_tensors("cpu", variants=0)
    not_digits = None if data.not_digits is None else load_not_digit_tensors("cpu", variants=0)
    judged = report(event.model, data.test_x.cpu(), data.test_y.cpu(), drawn, not_digits=not_digits)
    classifier = Classifier(event.model, {**r.metadata(), **_network_metadata(r.config)})
    return Done(classifier, r, judged, go_on_from(event, r.config))


def _network_metadata(cfg: TrainConfig) -> dict:
    """What a loaded checkpoint's metadata says of its network, for a network just trained."""
    network = cfg.network
    return {**network, "hidden": list(network["hidden"])} if "hidden" in network else network


def step(cfg: TrainConfig, device: str = "auto", state: RunState | None = None) -> tuple[StepReport, RunState]:
    """One optimiser step of `state` (a fresh network for `cfg` when None, or when its network is
    not `cfg`'s), on `device`, on a batch of MNIST's training images; the report and the run."""
    device = resolve_device(device)
    if state is None or state.model.network != cfg.network:
        state = new_run(cfg, device)
    elif state.device != device:
        state = state.to(device)
    return take_step(state, mnist_on(str(device))), state
