"""A visitor's training on the server: a press of Train from the form's values to the run's events, a
Stop, and one Step; on Hugging Face ZeroGPU each run inside a GPU lease. The page (app_ui/training.py)
shows what they give.

    run = start(visitor, "fast", {"epochs": 3}, device="auto", pace=None, go_on=False, session=name)
    for event in followed(run.events, unread, "training run"):   # run.first was Waiting (or Withdrawn)
        ...                                                      # Waiting, then training_run.run's events
    stop(visitor, session=name, coming=False)
    report, visitor = step(visitor, "seed", {}, device="auto")

A run goes: the form's values -> mnist_model.config.read_fields (a valid TrainConfig, or refused) ->
training_run.plan_run (priced, refused over the host's budget) -> the server's run service (running.RUNS:
the line, Stop, the wall clock, memory) -> training_run.run.
"""

try:  # Hugging Face ZeroGPU: a GPU only inside functions decorated with spaces.GPU
    import spaces
except ImportError:
    spaces = None

import functools
import os
from collections.abc import Iterator
from contextlib import nullcontext
from dataclasses import dataclass

import torch

from mnist_model.config import TrainConfig, read_fields
from mnist_model.model import network_text
from mnist_model.pricing import lease_seconds, state_bytes
from mnist_model.step import RunState
from mnist_model.training_run import Plan, RunRequest, StepReport, plan_run, run
from mnist_model.training_run import step as one_step

from .errors import Refusal
from .hosting import LIMITS
from .running import RUNS, priority
from .visitors import Visitor, visitor_of

STEP_LIMIT = 4  # Steps at once (the page's concurrency limit for Step)
HEARTBEAT = 1.0  # seconds: a run reports at least this often, so that one nobody follows ends soon


# --- training, possibly inside a GPU lease ------------------------------------------------------


def in_forked_worker(work):
    """`work` as a forked worker must run it: with one CPU thread. ZeroGPU's spaces.GPU forks this
    process for every run, and OpenMP's threads, once used here, hang in a forked child (PyTorch's
    own DataLoader workers take one thread for that reason); the training itself is on the GPU."""
    @functools.wraps(work)
    def worker(*args, **kwargs):
        torch.set_num_threads(1)
        yield from work(*args, **kwargs)
    return worker


run_training = run  # training_run.run, or on ZeroGPU the same inside a GPU lease sized to the run
in_worker = False  # whether runs happen in a forked worker (ZeroGPU), out of reach of a stop request
if spaces is not None:  # spaces.GPU does nothing off ZeroGPU; on it, each run is a forked worker
    in_worker = os.environ.get("SPACES_ZERO_GPU", "").lower() in ("1", "true")
    run_training = spaces.GPU(duration=lambda request, *args: lease_seconds(request.config))(
        in_forked_worker(run) if in_worker else run)


# --- a run, from the press of Train -------------------------------------------------------------


@dataclass
class Started:
    """A run asked for: its visitor, recipe and plan, its events (the run service's, after `first`:
    its place in line, or Withdrawn when it was stopped before it was in line), and the steps it goes
    on from (0: a fresh network)."""

    visitor: Visitor
    config: TrainConfig
    plan: Plan
    first: object
    events: Iterator
    continued: int


def start(visitor: Visitor | None, preset: str | None, form: dict, device: str | None, pace, go_on: bool,
          session: str | None) -> Started:
    """Ask for a run of the form's recipe (or go on from where Step or the visitor's last run left
    off): refused (a MnistModelError or Refusal) before anything of the visitor's changes, else in line.
    `session` names the page's session: a Stop by that name reaches the run from now on."""
    with RUNS.arriving(session) if session else nullcontext():
        cfg = read_fields(preset, form)
        visitor = visitor_of(visitor)
        going_on = to_go_on(visitor, cfg) if go_on else None  # (go_on: the form's box; going_on: the run)
        asked = RunRequest(cfg, device=device or "auto", pace=pace, report_every=HEARTBEAT, go_on=going_on)
        plan = plan_run(asked, budget_seconds=LIMITS.run_seconds, wall_limit=LIMITS.wall_seconds)
        events = RUNS.run(visitor.key, plan, priority(visitor), work=lambda stop: run_training(plan.request, stop),
                          alias=session)
        first = next(events)  # in line now, or refused (ConfigError) before anything of the visitor's changes
    return Started(visitor, cfg, plan, first, events, 0 if going_on is None else going_on.steps)


def to_go_on(visitor: Visitor, cfg: TrainConfig) -> RunState:
    """The run a visitor who asked Train to go on goes on with: where Step or their last run left it.
    Refused when there is none, or when its network (hidden layers, activation) is not the form's."""
    state = visitor.get("stepping")
    if state is None:
        raise Refusal("go_on_nothing")
    if state.model.network != cfg.network:
        have, want = (network_text(network) for network in (state.model.network, cfg.network))
        raise Refusal("go_on_shape", have=have, want=want)
    return state


def stop(visitor: Visitor | None, session: str | None, coming: bool) -> bool:
    """Ask the visitor's run to stop: by the visitor's key, or by the session's name (a run just asked
    for, from a session that does not hold its visitor yet; `coming`: one the session has asked for
    that has not arrived yet, stopped as it arrives). Whether there was one."""
    stopped = [RUNS.stop(visitor.key)] if visitor else []
    if session:
        stopped.append(RUNS.stop(session, coming=coming))
    return any(stopped)


# --- one step at a time --------------------------------------------------------------------------


def step(visitor: Visitor | None, preset: str | None, form: dict, device: str | None) -> tuple[StepReport, Visitor]:
    """One optimiser step of the run the visitor looks at (the one they stopped, or the last to finish;
    a fresh network for the form's recipe when there is none, or when its shape is not the form's)."""
    cfg = read_fields(preset, form)
    visitor = visitor_of(visitor)
    if RUNS.busy(visitor.key):  # the run would train the very network Step changes
        raise Refusal("step_while_training")
    # the network Step keeps (its weights, gradients and Adam's two averages): at most a share of what
    # all Steps may keep, as Steps (STEP_LIMIT of them at once) hold theirs while they step
    kept, limit = state_bytes(cfg.network), LIMITS.steps_bytes // STEP_LIMIT
    if kept > limit:
        raise Refusal("step_too_big", need=f"{kept / 2**20:,.0f}", limit=f"{limit / 2**20:,.0f}")
    report, state = one_step(cfg, device or "auto", visitor.get("stepping"))
    visitor.put("stepping", state)
    return report, visitor
