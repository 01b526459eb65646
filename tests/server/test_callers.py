"""How often a caller may do something: the server's one rate limiter, by count and by amount."""

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


def test_an_allowance_comes_back_as_its_window_passes(monkeypatch):
    from app_server import callers

    now = [1000.0]
    monkeypatch.setattr(callers.time, "monotonic", lambda: now[0])
    joins = Allowance(1, 60)
    assert joins.take("a") and not joins.take("a")
    now[0] += 61
    assert not joins.spent("a") and joins.take("a")
