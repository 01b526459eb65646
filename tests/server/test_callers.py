"""How often a caller may do something: the server's one rate limiter, by count and by amount."""

from types import SimpleNamespace

import pytest

from app_server.callers import Allowance


def test_an_allowance_counts_each_caller_apart_and_refuses_what_is_over_its_count_or_its_total():
    uploads = Allowance(3, 60, total=100)
    assert uploads.take("a", 40) and uploads.take("a", 40)
    assert not uploads.take("a", 40)  # 120 bytes in the minute: over the total
    assert uploads.take("a", 20) and uploads.spent("a")  # three taken: the count is spent
    assert not uploads.take("a", 0)
    assert uploads.take("b", 100)  # another caller has an allowance of their own
    adds = Allowance(2, 60)
    assert adds.take("s") and adds.take("s") and not adds.take("s") and adds.spent("s")


def a_clock(monkeypatch) -> list[float]:
    """The callers' clock, set by hand: [now]."""
    from app_server import callers

    now = [1000.0]
    monkeypatch.setattr(callers, "time", SimpleNamespace(monotonic=lambda: now[0]))
    return now


def test_an_allowance_comes_back_as_its_window_passes(monkeypatch):
    now = a_clock(monkeypatch)
    joins = Allowance(1, 60)
    assert joins.take("a") and not joins.take("a")
    now[0] += 61
    assert not joins.spent("a") and joins.take("a")


def test_a_class_member_adds_at_a_hands_pace_and_a_refused_add_is_not_counted(monkeypatch):
    from app_server import classes
    from app_server.errors import Refusal

    now = a_clock(monkeypatch)
    for allowance in (classes.ADDS_A_SECOND, classes.ADDS_A_MINUTE):
        monkeypatch.setattr(allowance, "recent", {})
    member, other = (classes.Membership("CODE", "student", n, secret=f"key-{n}") for n in (1, 2))
    for _ in range(classes.ADDS_PER_SECOND):
        classes._within_rate(member)
    with pytest.raises(Refusal, match="slow down"):
        classes._within_rate(member)  # a fourth within the second
    classes._within_rate(other)  # (another member's pace is their own)
    now[0] += 1.01
    for _ in range(classes.ADDS_PER_MINUTE - classes.ADDS_PER_SECOND):
        now[0] += 0.34  # (within the pace a second: under 3 in any second)
        classes._within_rate(member)
    now[0] += 0.34
    with pytest.raises(Refusal, match="slow down"):
        classes._within_rate(member)  # the minute's 90 are taken
    now[0] += 60
    classes._within_rate(member)  # (the refused ones were not counted: the minute has passed)
