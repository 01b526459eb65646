"""The run service: every training run a server makes, a visitor's Train and a class's Teach alike,
goes through here: priced, in the one line, stoppable, bounded in wall time and memory.

    service = RunService(Line(compute=1, paced=6, waiting=10), wall_seconds=1200)
    plan = plan_run(request, budget_seconds=600)          # refused up front when over budget
    for event in service.run("visitor-key", plan, priority=1):
        ...     # Waiting (place, eta) while in line, then training_run.run's events (or the work's own)
    service.stop("visitor-key")                           # from another thread: Stop was pressed

`run` is a generator: closing it (its caller stopped reading) gives the place in line, or the slot,
back at once. What a run does once it has its slot is `work(stop)`, training_run.run of the plan's
request unless the caller hands another (class teaching: teach.teach; on ZeroGPU: the same run
inside a GPU lease). Nothing here knows of Gradio: the app asks, the service answers.
"""

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from dataclasses import dataclass, field

from mnist_model.errors import BudgetError
from mnist_model.training_run import Plan, run

from .line import Line


@dataclass
class Waiting:
    """The run waits for its turn: its 1-based place in the line, and about how many seconds to go."""

    place: int
    eta: float


@dataclass
class Withdrawn:
    """The run left the line before it started: Stop was pressed while it waited."""


@dataclass
class _Run:
    """A caller's run as the service keeps it: its stop request, and whether its wall clock ran out."""

    stop: threading.Event = field(default_factory=threading.Event)
    timed_out: bool = False
    ended: threading.Event = field(default_factory=threading.Event)  # its events are over, its slot given back
    adopted: bool = False  # (an arriving run's: run() has taken it over)
    stopped_before: float | None = None  # (a run stopped before it arrived: when the Stop came)

    def time_up(self) -> None:
        self.timed_out = True
        self.stop.set()


class RunService:
    def __init__(self, line: Line, wall_seconds: float | None = None,
                 reserve: Callable[[int], AbstractContextManager] | None = None, wait_refresh: float = 0.5,
                 memory_limit: int | None = None):
        self.line = line
        self.wall_seconds = wall_seconds  # a run's wall time, at most: then it stops as if Stop were pressed
        self.reserve = reserve or (lambda nbytes: nullcontext())  # the run's memory, held while it runs
        self.memory_limit = memory_limit  # bytes all runs may hold together: a run that needs more never fits
        self.wait_refresh = wait_refresh  # seconds between Waiting events
        self._runs: dict[str, _Run] = {}
        self._lock = threading.Lock()

    @contextmanager
    def arriving(self, alias: str):
        """A run about to be asked for, named `alias` (a session's name, known before its caller's key
        and its plan are): stop(alias) from now on stops it, before it is in line too (a Stop sent right
        after Train was lost). Its run() names it as `alias` to take it over."""
        with self._lock:
            before = self._runs.get(alias)  # (the name's run going still, if any: the name goes back to it)
            if before is not None and before.stopped_before is not None:  # (a Stop that came first: this run's)
                placeholder, before = before, None
                if time.monotonic() - placeholder.stopped_before > self.EARLY_STOP_SECONDS:
                    placeholder = _Run()  # (too long ago to be meant for this run)
                placeholder.stopped_before = None  # (claimed: no longer a Stop waiting for its run)
                self._runs[alias] = placeholder
            else:
                placeholder = self._runs[alias] = _Run()
        try:
            yield placeholder
        finally:
            with self._lock:
                if self._runs.get(alias) is placeholder and not placeholder.adopted:
                    if before is not None and not before.ended.is_set():
                        self._runs[alias] = before
                    else:
                        del self._runs[alias]

    RESTING = 30.0  # seconds a run asked for waits for the same caller's stopped run to end
    EARLY_STOP_SECONDS = 10.0  # a Stop that came before its run: it stops a run arriving within this long

    def run(self, key: str, plan: Plan, priority: int = 1, work: Callable[[threading.Event], Iterator] | None = None,
            wall_seconds: float | None = None, alias: str | None = None) -> Iterator:
        """The run of `plan` for the caller `key` (one run in line per key): Waiting events until its
        turn (or Withdrawn, if stopped meanwhile; only Withdrawn if stopped while arriving), then its
        work's events, stopped after `wall_seconds` (else the service's) from when its memory is
        reserved. A run of the caller's that was asked to stop is waited for (up to RESTING s); the
        line refuses it at once (ConfigError) when the caller has a run going still or the line is full,
        and the service (BudgetError) when it needs more memory than all runs may hold together."""
        if self.memory_limit is not None and plan.memory > self.memory_limit:  # (no wait would help: said so)
            raise BudgetError("budget_memory", need=f"{plan.memory / 2**20:,.0f}", limit=f"{self.memory_limit / 2**20:,.0f}")
        arriving = self._run_of(alias) if alias is not None else None
        if arriving is not None and not arriving.adopted and arriving.stop.is_set():
            yield Withdrawn()  # (stopped before it was asked for: it never joins the line)
            return
        before = self._run_of(key)
        if before is not None and before.stop.is_set():
            before.ended.wait(self.RESTING)
        ticket = self.line.join(key, plan.cost, priority)
        with self._lock:
            mine = self._runs.get(alias) if alias is not None else None
            if mine is None or mine.adopted:
                mine = _Run()
            mine.adopted = True
            self._runs[key] = mine
            if alias is not None:
                self._runs[alias] = mine
        try:
            yield Waiting(ticket.place, ticket.eta())
            if mine.stop.is_set():  # (stopped before it was in line)
                yield Withdrawn()
                return
            while not ticket.wait(self.wait_refresh):
                if mine.stop.is_set():
                    yield Withdrawn()
                    return
                yield Waiting(ticket.place, ticket.eta())
            with self.reserve(plan.memory):
                wall_seconds = wall_seconds or self.wall_seconds
                timer = threading.Timer(wall_seconds, mine.time_up) if wall_seconds else None
                if timer is not None:
                    timer.daemon = True
                    timer.start()
                events = (work or (lambda stop: run(plan.request, stop)))(mine.stop)
                try:
                    yield from events
                finally:
                    events.close()  # (ends the run: a ZeroGPU worker's stream too)
                    if timer is not None:
                        timer.cancel()
        finally:
            ticket.leave()
            with self._lock:
                for name in (key, alias):
                    if name is not None and self._runs.get(name) is mine:
                        del self._runs[name]
            mine.ended.set()

    def _run_of(self, key: str) -> _Run | None:
        with self._lock:
            mine = self._runs.get(key)
        return None if mine is None or mine.ended.is_set() else mine

    def stop(self, key: str, coming: bool = False) -> bool:
        """Ask the caller's run (or its place in line) to stop; whether it had one. `coming`: the caller
        has asked for a run that has not arrived yet (its request is on its way, as when Stop is sent
        right after Train): it is then stopped as it arrives, within EARLY_STOP_SECONDS."""
        with self._lock:
            mine = self._runs.get(key)
            waiting_for_its_run = mine is not None and mine.stopped_before is not None
            if mine is None or mine.ended.is_set() or waiting_for_its_run:
                if not coming:
                    return waiting_for_its_run
                now = time.monotonic()
                for name, run in list(self._runs.items()):  # (Stops whose runs never came: forgotten)
                    if run.stopped_before is not None and now - run.stopped_before > self.EARLY_STOP_SECONDS:
                        del self._runs[name]
                mine = self._runs[key] = _Run(stopped_before=now)  # (a second such Stop: counted from now)
            mine.stop.set()
        return True

    def stopping(self, key: str) -> bool:
        """Whether the caller's run was asked to stop (by Stop, or by its wall-clock limit)."""
        mine = self._run_of(key)
        return mine is not None and mine.stop.is_set()

    def timed_out(self, key: str) -> bool:
        """Whether the caller's run was stopped by its wall-clock limit."""
        mine = self._run_of(key)
        return mine is not None and mine.timed_out

    def busy(self, key: str) -> bool:
        """Whether the caller has a run, waiting or running."""
        return self._run_of(key) is not None
