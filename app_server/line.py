"""The line for training: who trains now, who waits, and for how long, when many share one machine.

    line = Line(compute=1, paced=6, waiting=10)
    ticket = line.join("visitor-key", Cost(seconds=40.0, paced=False), priority=1)
    while not ticket.wait(0.5):
        print(ticket.place, ticket.eta())      # 1-based place among those waiting, seconds to wait
    ...                                        # train
    ticket.leave()

A run at full speed keeps the processor busy, so those run one at a time (`compute` slots). A run
slowed to a pace a class can watch spends nearly all its time waiting for its next step, so several
run side by side (`paced` slots), never holding up the full-speed line. Those who wait are served
by priority (a teacher's runs first), then in order of arrival; the waiting list is bounded, and a
visitor has one run in line at a time. Nothing here knows of Gradio: the app asks, the line answers.
"""

import heapq
import itertools
import threading
import time
from dataclasses import dataclass, field

from mnist_model.errors import ConfigError
from mnist_model.pricing import Cost


@dataclass(eq=False)
class Ticket:
    """A place in the line: waiting, then holding a slot until it leaves."""

    line: "Line"
    key: str
    cost: Cost
    priority: int
    order: int
    started: float | None = None  # monotonic time the run got its slot
    left: bool = False
    _ready: threading.Event = field(default_factory=threading.Event, repr=False)

    @property
    def running(self) -> bool:
        return self.started is not None and not self.left

    def wait(self, timeout: float | None = None) -> bool:
        """Whether the ticket holds a slot, waiting up to `timeout` seconds for one."""
        return self._ready.wait(timeout)

    @property
    def place(self) -> int:
        """1-based place among those waiting for the same kind of slot; 0 once running."""
        return self.line.place(self)

    def eta(self) -> float:
        """Seconds until this ticket gets a slot, estimated from what runs and waits before it."""
        return self.line.eta(self)

    def leave(self) -> None:
        """Give the slot (or the place in line) back."""
        self.line.leave(self)


class Line:
    def __init__(self, compute: int = 1, paced: int = 6, waiting: int = 10):
        self.slots = {False: compute, True: paced}  # by Cost.paced
        self.waiting_limit = waiting
        self._lock = threading.Lock()
        self._tickets: list[Ticket] = []  # running and waiting, in no particular order
        self._order = itertools.count()

    def join(self, key: str, cost: Cost, priority: int = 1) -> Ticket:
        """A ticket for a run of `cost`; ConfigError when this key is in line already or the line is full
        (a full line still takes a run of priority 0, a teacher's: a class filling the line cannot
        shut its teacher out; one run per key keeps those few)."""
        with self._lock:
            if any(t.key == key for t in self._tickets):
                raise ConfigError("line_yours")
            if priority > 0 and sum(t.started is None for t in self._tickets) >= self.waiting_limit:
                raise ConfigError("line_full", waiting=self.waiting_limit)
            ticket = Ticket(self, key, cost, priority, next(self._order))
            self._tickets.append(ticket)
            self._admit()
        return ticket

    def leave(self, ticket: Ticket) -> None:
        with self._lock:
            if ticket in self._tickets:
                self._tickets.remove(ticket)
            ticket.left = True
            ticket._ready.set()  # a waiter that left wakes up (and sees that it left)
            self._admit()

    def _queue(self, paced: bool) -> list[Ticket]:
        """Those waiting for one kind of slot, in the order they will be served."""
        return sorted((t for t in self._tickets if t.started is None and t.cost.paced == paced),
                      key=lambda t: (t.priority, t.order))

    def _admit(self) -> None:
        for paced in (False, True):
            free = self.slots[paced] - sum(t.started is not None and t.cost.paced == paced for t in self._tickets)
            for ticket in self._queue(paced)[:max(0, free)]:
                ticket.started = time.monotonic()
                ticket._ready.set()

    def place(self, ticket: Ticket) -> int:
        with self._lock:
            queue = self._queue(ticket.cost.paced)
            return queue.index(ticket) + 1 if ticket in queue else 0

    def eta(self, ticket: Ticket) -> float:
        """When a slot of the ticket's kind frees for it: each slot frees when its run's estimated
        time is up, and each run waiting before the ticket takes the first slot that frees."""
        with self._lock:
            if ticket.started is not None:
                return 0.0
            now = time.monotonic()
            paced = ticket.cost.paced
            frees = [max(0.0, t.started + t.cost.seconds - now) for t in self._tickets
                     if t.started is not None and t.cost.paced == paced]
            frees += [0.0] * (self.slots[paced] - len(frees))
            heapq.heapify(frees)
            for ahead in self._queue(paced):
                if ahead is ticket:
                    return heapq.heappop(frees)
                heapq.heappush(frees, heapq.heappop(frees) + ahead.cost.seconds)
            return float("nan")

    def running(self) -> list[Ticket]:
        with self._lock:
            return [t for t in self._tickets if t.started is not None]

    def waiting(self) -> int:
        with self._lock:
            return sum(t.started is None for t in self._tickets)
