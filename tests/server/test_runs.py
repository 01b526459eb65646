"""The run service: one line for every run (training and teaching), places told, Stop, the wall clock,
memory held while running, and teaching priced like any run."""

import threading
import time
from contextlib import contextmanager

import numpy as np
import pytest

from app_server.line import Line
from app_server.runs import RunService, Waiting, Withdrawn
from mnist_model import BudgetError, ConfigError
from mnist_model.config import TrainConfig
from mnist_model.pricing import Cost
from mnist_model.training_run import Plan, RunRequest, plan_run


def a_plan(seconds: float = 10.0, memory: int = 1000) -> Plan:
    return Plan(RunRequest(TrainConfig()), steps=100, cost=Cost(seconds), memory=memory)


def held_until(release: threading.Event, seen: list):
    """Work that runs until `release` (or its stop), noting what it saw."""
    def work(stop: threading.Event):
        seen.append("started")
        while not (release.is_set() or stop.is_set()):
            yield "working"
            time.sleep(0.01)
        seen.append("stopped" if stop.is_set() else "done")
        yield "end"
    return work


def slow_to_stop(ending: threading.Event, seen: list):
    """Work that, once stopped, takes until `ending` to end (its last step, its network handed back)."""
    def work(stop: threading.Event):
        seen.append("started")
        while not stop.is_set():
            yield "working"
            time.sleep(0.01)
        ending.wait(5)
        yield "stopped"
    return work


def asked(service: RunService, key: str, alias: str, work):
    """A run asked for as the app asks: named by its session (arriving) until it is in line."""
    with service.arriving(alias):
        run = service.run(key, a_plan(), work=work, alias=alias)
        next(run)
    return run


def test_a_second_run_waits_its_turn_told_its_place_and_starts_when_the_first_ends():
    service = RunService(Line(compute=1, paced=1, waiting=5), wait_refresh=0.01)
    release, seen_first, seen_second = threading.Event(), [], []
    first = service.run("a", a_plan(), work=held_until(release, seen_first))
    assert next(first) == Waiting(0, 0.0)  # (no one ahead: its slot at once)
    assert next(first) == "working"
    second = service.run("b", a_plan(), work=held_until(threading.Event(), seen_second))
    waiting = next(second)
    assert isinstance(waiting, Waiting) and waiting.place == 1 and 0 < waiting.eta <= 10
    assert isinstance(next(second), Waiting) and seen_second == []  # still waiting
    release.set()
    assert list(first)[-1] == "end" and seen_first == ["started", "done"]
    assert next(e for e in second if not isinstance(e, Waiting)) == "working"
    second.close()


def test_a_teachers_run_goes_before_those_waiting_and_a_full_line_still_takes_it():
    service = RunService(Line(compute=1, paced=1, waiting=1), wait_refresh=0.01)
    holder = service.run("holder", a_plan(), work=held_until(threading.Event(), []))
    next(holder)
    visitor = service.run("visitor", a_plan())
    assert next(visitor).place == 1
    late = service.run("late", a_plan())
    with pytest.raises(ConfigError, match="1 runs are waiting to train already"):
        next(late)
    teacher = service.run("teacher", a_plan(), priority=0)
    assert next(teacher).place == 1 and next(visitor).place == 2
    for events in (holder, visitor, teacher):
        events.close()


def test_one_caller_has_one_run_at_a_time_whatever_its_kind():
    service = RunService(Line(), wait_refresh=0.01)
    training = service.run("a", a_plan(), work=held_until(threading.Event(), []))
    next(training)
    with pytest.raises(ConfigError, match="you have a run going already"):
        next(service.run("a", a_plan()))
    training.close()
    assert not service.busy("a")


def test_stop_while_waiting_leaves_the_line_and_the_run_never_starts():
    service = RunService(Line(compute=1), wait_refresh=0.01)
    holder = service.run("holder", a_plan(), work=held_until(threading.Event(), []))
    next(holder)
    seen = []
    waiting = service.run("b", a_plan(), work=held_until(threading.Event(), seen))
    next(waiting)
    assert service.stop("b") and not service.stop("nobody")
    assert isinstance(list(waiting)[-1], Withdrawn) and seen == []
    assert service.line.waiting() == 0 and not service.busy("b")
    holder.close()


def test_a_stop_sent_before_the_run_is_in_line_withdraws_it_and_its_work_never_starts():
    """Stop right after Train: the session's name reaches the run it is about to ask for (it was lost)."""
    service = RunService(Line(compute=1), wait_refresh=0.01)
    seen = []
    with service.arriving("session-1"):
        assert service.stop("session-1")  # (priced and checked meanwhile, not yet in line)
        run = service.run("visitor-a", a_plan(), work=held_until(threading.Event(), seen), alias="session-1")
        assert isinstance(next(run), Withdrawn)  # (it never joins the line)
    assert list(run) == [] and seen == [] and service.line.waiting() == 0
    assert not service.busy("visitor-a") and not service.busy("session-1")
    with service.arriving("session-2"):  # one that is never asked for (refused meanwhile) leaves nothing
        pass
    assert not service.busy("session-2") and not service.stop("session-2")


def test_a_stop_that_comes_before_its_run_has_arrived_withdraws_the_run_when_it_does():
    """Stop sent right after Train, both in the server's queue: Stop's handler ran first, found no run
    and was lost (8 of 20 at once in bench/abuse.py). The app says a run is coming; it is stopped on arrival."""
    service = RunService(Line(compute=1), wait_refresh=0.01)
    seen = []
    assert not service.stop("session-1")  # nothing coming: nothing to stop, nothing kept
    assert service.stop("session-1", coming=True)
    with service.arriving("session-1"):
        run = service.run("visitor-a", a_plan(), work=held_until(threading.Event(), seen), alias="session-1")
        assert isinstance(next(run), Withdrawn)
    assert list(run) == [] and seen == [] and not service.busy("session-1")
    release = threading.Event()  # the Stop was this run's: the next Train trains
    run = asked(service, "visitor-a", "session-1", held_until(release, seen))
    next(run)
    release.set()
    assert list(run)[-1] == "end" and seen == ["started", "done"]


def test_a_stop_sent_again_before_its_run_arrives_counts_from_the_second(monkeypatch):
    """A Stop whose Train never came, then, long after, another one right after a Train: that Train was
    let train (the second Stop found the first one's stale mark and left it as it was)."""
    service = RunService(Line(compute=1), wait_refresh=0.01)
    assert service.stop("s", coming=True)
    monkeypatch.setattr(service, "EARLY_STOP_SECONDS", 0.0)
    time.sleep(0.01)
    monkeypatch.setattr(service, "EARLY_STOP_SECONDS", 10.0)
    time.sleep(0.01)
    service._runs["s"].stopped_before -= 60  # (the first Stop, a minute ago)
    assert service.stop("s", coming=True)
    with service.arriving("s"):
        run = service.run("v", a_plan(), work=held_until(threading.Event(), []), alias="s")
        assert isinstance(next(run), Withdrawn)


def test_a_stop_claimed_by_its_arriving_run_is_not_forgotten_while_the_run_is_priced(monkeypatch):
    """Pricing a run can take seconds (the first measures the machine): another session's early Stop
    meanwhile forgot this one's, and the run trained."""
    service = RunService(Line(compute=1), wait_refresh=0.01)
    assert service.stop("s", coming=True)
    with service.arriving("s"):
        monkeypatch.setattr(service, "EARLY_STOP_SECONDS", 0.0)
        time.sleep(0.01)
        assert service.stop("other", coming=True)  # (its clean-up runs now)
        monkeypatch.setattr(service, "EARLY_STOP_SECONDS", 10.0)
        run = service.run("v", a_plan(), work=held_until(threading.Event(), []), alias="s")
        assert isinstance(next(run), Withdrawn)


def test_a_stop_whose_run_never_came_is_forgotten(monkeypatch):
    service = RunService(Line(compute=1), wait_refresh=0.01)
    assert service.stop("session-1", coming=True)
    monkeypatch.setattr(service, "EARLY_STOP_SECONDS", 0.0)
    time.sleep(0.01)
    seen, release = [], threading.Event()
    run = asked(service, "visitor-a", "session-1", held_until(release, seen))
    next(run)
    release.set()
    assert list(run)[-1] == "end" and seen == ["started", "done"]
    assert service.stop("session-2", coming=True) and service.busy("session-2")
    monkeypatch.setattr(service, "EARLY_STOP_SECONDS", 10.0)
    time.sleep(0.01)
    assert service.stop("session-3", coming=True)  # (each such Stop clears those older than a while)
    assert service.busy("session-2")
    monkeypatch.setattr(service, "EARLY_STOP_SECONDS", 0.0)
    assert service.stop("session-4", coming=True)
    assert not service.busy("session-2")


def test_a_second_stop_reaches_the_run_asked_for_while_the_first_one_ends():
    """Run A going, Stop, Train B (waiting for A to end), Stop again: B never trains."""
    service = RunService(Line(compute=1), wait_refresh=0.01)
    seen_a, seen_b, ending = [], [], threading.Event()
    first = asked(service, "v", "s", slow_to_stop(ending, seen_a))
    next(first)
    assert service.stop("v")  # the first Stop
    drained = threading.Thread(target=lambda: list(first))
    drained.start()
    with service.arriving("s"):
        assert service.stop("v") | service.stop("s")  # the second Stop, by both names (stop_run's)
        ending.set()
        second = service.run("v", a_plan(), work=held_until(threading.Event(), seen_b), alias="s")
        assert isinstance(next(second), Withdrawn)
    drained.join()
    assert seen_b == [] and not service.busy("v") and not service.busy("s")


def test_a_name_taken_while_its_run_goes_on_comes_back_to_that_run():
    service = RunService(Line(compute=1), wait_refresh=0.01)
    seen = []
    first = asked(service, "v", "s", held_until(threading.Event(), seen))
    next(first)
    with service.arriving("s"), pytest.raises(ConfigError):  # a second Train meanwhile: refused
        next(service.run("v", a_plan(), alias="s"))
    assert service.stop("s")  # the name reaches the first run again
    assert list(first)[-1] == "end" and seen == ["started", "stopped"]


def test_a_running_run_stops_by_its_sessions_name_too():
    service = RunService(Line(compute=1), wait_refresh=0.01)
    seen = []
    run = asked(service, "visitor-a", "session-1", held_until(threading.Event(), seen))
    next(run), next(run)
    assert service.stop("session-1") and list(run)[-1] == "end" and seen == ["started", "stopped"]
    assert not service.busy("session-1") and not service.busy("visitor-a")


def test_a_run_asked_for_right_after_the_callers_stopped_one_waits_for_it_to_end():
    """Train right after Stop was refused ("you have a run going already") while the stopped run
    was still ending."""
    service = RunService(Line(compute=1), wait_refresh=0.01)
    ending, seen = threading.Event(), []
    first = service.run("a", a_plan(), work=slow_to_stop(ending, seen))
    next(first), next(first)
    service.stop("a")
    drained = threading.Thread(target=lambda: list(first))
    drained.start()
    threading.Timer(0.3, ending.set).start()
    second = service.run("a", a_plan(), work=held_until(threading.Event(), seen))
    assert isinstance(next(second), Waiting)  # not refused: it waited for the first to end
    assert next(second) == "working" and seen == ["started", "started"]
    second.close()
    drained.join()


def test_stop_reaches_the_running_work_and_closing_a_run_gives_its_slot_back():
    service = RunService(Line(compute=1), wait_refresh=0.01)
    seen = []
    running = service.run("a", a_plan(), work=held_until(threading.Event(), seen))
    next(running), next(running)
    assert service.busy("a") and not service.stopping("a")
    service.stop("a")
    assert list(running)[-1] == "end" and seen == ["started", "stopped"]
    again = service.run("b", a_plan(), work=held_until(threading.Event(), []))
    next(again)
    assert next(again) == "working"  # the slot was free again
    again.close()  # a reader gone: the slot goes back at once
    assert service.line.running() == [] and not service.busy("b")


def test_a_run_is_stopped_at_its_wall_clock_limit_and_only_then_said_to_have_run_out_of_time():
    service = RunService(Line(), wall_seconds=60, wait_refresh=0.01)
    told = []

    def work(key):
        def stopped_by(stop):
            while not stop.wait(0.01):
                yield "working"
            told.append((key, service.timed_out(key)))
            yield "end"
        return stopped_by

    assert list(service.run("a", a_plan(), work=work("a"), wall_seconds=0.2))[-1] == "end"
    by_hand = service.run("b", a_plan(), work=work("b"))
    next(by_hand), next(by_hand)
    service.stop("b")
    assert list(by_hand)[-1] == "end"
    assert told == [("a", True), ("b", False)] and not service.timed_out("a")  # (over: forgotten)


def test_a_run_holds_its_memory_only_while_it_runs():
    held = []

    @contextmanager
    def reserve(nbytes):
        held.append(nbytes)
        try:
            yield
        finally:
            held.remove(nbytes)

    service = RunService(Line(compute=1), reserve=reserve, wait_refresh=0.01)
    holder = service.run("holder", a_plan(memory=5), work=held_until(threading.Event(), []))
    next(holder), next(holder)
    waiting = service.run("b", a_plan(memory=7))
    next(waiting)
    assert held == [5]  # a run in line holds nothing
    holder.close()
    waiting.close()
    assert held == []


def test_a_run_that_needs_more_memory_than_the_service_ever_has_is_refused_at_once_not_told_to_wait():
    """A CNN at batch 60,000 was told "try again in a minute": no wait would ever make room for it."""
    service = RunService(Line(compute=1), wait_refresh=0.01, memory_limit=10 * 2**20)
    with pytest.raises(BudgetError, match="about 20 MB of memory.*at most 10 MB, however long it waits"):
        next(service.run("a", a_plan(memory=20 * 2**20)))
    assert service.line.waiting() == 0 and not service.busy("a")
    run = service.run("a", a_plan(memory=10 * 2**20), work=held_until(threading.Event(), []))
    assert isinstance(next(run), Waiting)  # (one that fits is taken)
    run.close()


def test_a_memory_refusal_gives_the_place_in_line_back():
    def reserve(nbytes):
        raise ConfigError("line_full", waiting=0)  # (any refusal of the budget's)

    service = RunService(Line(compute=1), reserve=reserve, wait_refresh=0.01)
    events = service.run("a", a_plan(), work=held_until(threading.Event(), []))
    next(events)
    with pytest.raises(ConfigError):
        next(events)
    assert service.line.running() == [] and not service.busy("a")


@pytest.mark.usefixtures("tiny_data")
def test_teaching_is_priced_by_its_steps_and_a_network_too_big_for_the_budget_is_refused_up_front(shipped):
    from mnist_model import Classifier
    from mnist_model.model import MLP
    from mnist_model.teach import RECIPE, Drawing, lesson

    drawings = [Drawing(i, i % 3 + 1, i % 10, np.zeros((28, 28), np.float32)) for i in range(30)]
    small = plan_run(lesson(shipped, drawings).request, budget_seconds=600)
    assert small.steps == RECIPE.steps  # not a whole epoch's: teaching is cut to its steps
    big = Classifier(MLP((1024,) * 6), {})
    with pytest.raises(BudgetError, match=r"its 300 steps would take about [\d:]+ here, and this server allows "
                                          r"0:01: a smaller network fits"):
        plan_run(lesson(big, drawings).request, budget_seconds=1)
