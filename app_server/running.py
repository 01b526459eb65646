"""The server's one run service (app_server.runs) and what the page needs to follow a run.

Training (the Train tab, /train) and teaching (the Teach tab, /class_teach) are both runs: each is
priced (refused up front when over the host's budget for its kind), waits in the same line (a
class's teacher first) and is told its place there, is stopped by Stop or by the host's wall-clock
limit, reserves its memory in the visitors' budget, and ends when nobody reads its stream.
"""

import time
from collections.abc import Callable, Iterator

from .hosting import LIMITS, LOG
from .line import Line
from .runs import RunService
from .visitors import STORE

RUNS = RunService(Line(compute=1, paced=LIMITS.paced_runs, waiting=LIMITS.training_line),
                  wall_seconds=LIMITS.wall_seconds, reserve=STORE.reserve, memory_limit=STORE.budget)
BACKLOG = 3  # messages waiting for a client: fewer, and it is keeping up (a reader is seldom 1 behind)


def priority(visitor) -> int:
    """A class's teacher's runs go first in line (0); everyone else's in order of arrival (1)."""
    return 0 if getattr(getattr(visitor, "membership", None), "role", None) == "teacher" else 1


class Unread:
    """Whether a stream has gone unread: BACKLOG or more of its messages (`backlog()`: how many wait for
    its client now) have waited, and the client has read none of them, for LIMITS.unread_seconds. A
    slow client that reads now and then is not cut off, however far behind it is."""

    def __init__(self, backlog: Callable[[], int]):
        self.waiting, self.since, self.backlog = backlog, None, 0

    def for_too_long(self) -> bool:
        backlog = self.waiting()
        read, self.backlog = backlog < self.backlog, backlog  # (the backlog only shrinks when read)
        if backlog < BACKLOG or read:
            self.since = None
            return False
        now = time.monotonic()
        self.since = self.since or now
        return now - self.since > LIMITS.unread_seconds


def followed(events: Iterator, unread: Unread, what: str) -> Iterator:
    """A run's events (the run service's) for as long as somebody reads its stream: once nobody has
    for too long (`unread`), the run ends here, its place in line or its slot given back and nothing
    of it kept, logged as "ended a `what` whose stream nobody reads". Closing this closes the run."""
    try:
        for event in events:
            if unread.for_too_long():
                LOG.info("ended a %s whose stream nobody reads", what)
                return
            yield event
    finally:
        events.close()
