"""The training line: full-speed runs one at a time, paced runs side by side, a bounded, honest wait."""

import threading

import pytest

from app_server.line import Line
from mnist_model import ConfigError
from mnist_model.pricing import PACED_SHARE, Cost, cost_of


def test_full_speed_runs_take_turns_in_order_of_arrival():
    line = Line(compute=1, paced=2, waiting=5)
    first = line.join("a", Cost(60))
    second, third = line.join("b", Cost(30)), line.join("c", Cost(10))
    assert first.wait(0) and not second.wait(0) and not third.wait(0)
    assert (second.place, third.place) == (1, 2)
    first.leave()
    assert second.wait(1) and not third.wait(0) and third.place == 1


def test_paced_runs_train_side_by_side_without_holding_up_full_speed_ones():
    line = Line(compute=1, paced=2, waiting=5)
    watched = [line.join(f"class-{i}", Cost(600, paced=True)) for i in range(2)]
    fast = line.join("teacher", Cost(5))
    assert all(t.wait(0) for t in watched) and fast.wait(0)
    third = line.join("class-3", Cost(600, paced=True))
    assert not third.wait(0) and third.place == 1  # paced slots are full: it waits for one of them


def test_the_wait_is_what_runs_before_it_will_take():
    line = Line(compute=1, paced=1, waiting=5)
    line.join("a", Cost(100))
    second, third = line.join("b", Cost(40)), line.join("c", Cost(10))
    assert 99 <= second.eta() <= 100
    assert 139 <= third.eta() <= 140  # the running run's time, then the one before it in line


def test_a_teachers_run_goes_before_those_waiting():
    line = Line(compute=1, paced=1, waiting=5)
    line.join("student-1", Cost(10))
    student = line.join("student-2", Cost(10))
    teacher = line.join("teacher", Cost(10), priority=0)
    assert teacher.place == 1 and student.place == 2


def test_the_waiting_list_is_bounded_and_a_visitor_is_in_it_once():
    line = Line(compute=1, paced=1, waiting=2)
    line.join("a", Cost(10))
    line.join("b", Cost(10))
    line.join("c", Cost(10))
    with pytest.raises(ConfigError, match="2 runs are waiting to train already"):
        line.join("d", Cost(10))
    with pytest.raises(ConfigError, match="you have a run going already"):
        line.join("a", Cost(10))
    teacher = line.join("teacher", Cost(10), priority=0)  # a class that filled the line does not shut out its teacher
    assert teacher.place == 1


def test_leaving_the_line_wakes_the_one_who_left_and_the_next():
    line = Line(compute=1, paced=1, waiting=5)
    first = line.join("a", Cost(10))
    second = line.join("b", Cost(10))
    woke = threading.Event()
    waiter = threading.Thread(target=lambda: second.wait(10) and woke.set())
    waiter.start()
    first.leave()
    waiter.join(5)
    assert woke.is_set() and line.running() == [second]


@pytest.mark.parametrize("step_seconds, pace, paced", [
    pytest.param(0.001, 5, True, id="a-small-network-at-a-watchable-pace"),
    pytest.param(PACED_SHARE / 50 * 2, 50, False, id="a-step-too-heavy-for-its-pace"),
    pytest.param(0.001, None, False, id="full-speed"),
])
def test_a_run_is_paced_only_when_it_mostly_waits(step_seconds, pace, paced):
    assert cost_of(step_seconds, 1000, pace).paced is paced


def test_a_paced_run_whose_other_work_keeps_a_core_busy_is_not_light():
    assert not cost_of(0.001, 1000, 5, busy=PACED_SHARE).paced  # e.g. measuring a large network every 2 s


def test_a_runs_cost_is_its_steps_at_its_pace_capped_by_the_hosts_clock():
    assert cost_of(0.001, 1000, 5).seconds == 200
    assert cost_of(0.001, 1000, None).seconds == 1
    assert cost_of(0.001, 10_000, 5, wall_limit=60).seconds == 60
