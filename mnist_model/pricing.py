"""What a run costs the machine it trains on: its estimated wall time, and whether it is paced.

A run at full speed keeps a core busy for its whole time; a run slowed to a pace a class can watch
spends nearly all its time waiting for its next step. The server's line (app_server.line) lets paced
runs train beside others when they are light enough (PACED_SHARE of a core).
"""

from dataclasses import dataclass

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
