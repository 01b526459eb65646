"""Waiting in tests for something another thread or process does, with a deadline that names it."""

import time


def wait_for(condition, what: str, timeout: float = 120, every: float = 0.1) -> None:
    """Wait until `condition()` is true: an assertion naming `what` when it is not within `timeout` s."""
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"{what} did not happen within {timeout} s"
        time.sleep(every)
