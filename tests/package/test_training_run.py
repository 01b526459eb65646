"""Training sessions: one place from a recipe to a Classifier, for the app, the CLI and class teaching."""

import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
import torch

from mnist_model import BudgetError, ConfigError
from mnist_model.config import preset
from mnist_model.sampling import Mix, Pool
from mnist_model.train_events import EpochEnd, Evaluation, Progress, Stopped
from mnist_model.training_run import Done, Loading, RunRequest, Snapshot, plan_run, run, step

pytestmark = pytest.mark.usefixtures("tiny_data")


TINY = dict(hidden=(16,), epochs=2, batch_size=16, lr=0.01)


def test_a_run_loads_its_data_then_trains_then_hands_over_a_judged_classifier():
    events = list(run(RunRequest(preset("fast", **TINY), device="cpu")))
    kinds = [type(e) for e in events]
    assert kinds[0] is Loading and events[0].what == "mnist" and Snapshot in kinds and kinds[-1] is Done
    assert kinds.index(Snapshot) < kinds.index(Progress)  # the network before training comes first
    done = events[-1]
    assert done.classifier.hidden == (16,) and done.classifier.test_accuracy == done.result.test_accuracy
    assert done.classifier.meta["recipe"] == done.result.config.to_dict()
    assert done.report.mnist.accuracy == done.result.test_accuracy
    assert done.state.steps == 2 * 25 and done.state.origin == "finished"


def test_the_pen_written_digits_are_drawn_with_progress_when_a_run_needs_them(tmp_path, monkeypatch):
    from mnist_model import pen_digits

    monkeypatch.setenv("MNIST_CACHE_DIR", str(tmp_path))
    monkeypatch.setattr(pen_digits, "PROGRESS_EVERY", 20)
    pen_digits.forget()
    events = list(run(RunRequest(preset("fast", **TINY, drawn=0.3), device="cpu")))
    drawing = [e for e in events if isinstance(e, Loading) and e.what == "drawn" and e.total]
    assert drawing and drawing[-1].done <= drawing[-1].total and isinstance(events[-1], Done)
    pen_digits.forget()


def test_a_stopped_run_hands_back_its_network_and_step_goes_on_from_it():
    stop = threading.Event()
    events = []
    for event in run(RunRequest(preset("fast", **TINY), device="cpu"), stop):
        events.append(event)
        if isinstance(event, Progress) and event.steps >= 5:
            stop.set()
    stopped = events[-1]
    assert isinstance(stopped, Stopped) and stopped.model is not None and stopped.steps == 5
    from mnist_model.step import go_on_from

    state = go_on_from(stopped, preset("fast", **TINY))
    report, state = step(preset("fast", **TINY), "cpu", state)
    assert report.steps == 6 and report.origin == "stopped"


def test_stepping_on_from_a_finished_run_leaves_its_classifier_as_it_was():
    """The run's Classifier may be someone's active model: Step goes on with a copy of its network."""
    done = list(run(RunRequest(preset("fast", **TINY), device="cpu")))[-1]
    weights = [p.detach().clone() for p in done.classifier.model.parameters()]
    trained_steps = done.state.steps
    report, state = step(preset("fast", **TINY), "cpu", done.state)
    assert report.origin == "finished" and report.steps == trained_steps + 1
    assert any(not torch.equal(a, b) for a, b in zip(weights, state.model.parameters()))  # the step moved it
    assert all(torch.equal(a, b) for a, b in zip(weights, done.classifier.model.parameters()))


def test_a_step_with_another_shape_than_the_run_starts_a_fresh_network():
    report, state = step(preset("seed"), "cpu")
    assert report.origin == "fresh" and report.steps == 1
    report, _ = step(preset("seed", hidden=(8,)), "cpu", state)
    assert report.origin == "fresh" and report.steps == 1


def test_a_paced_run_measures_its_accuracy_within_seconds():
    stop = threading.Event()
    timer = threading.Timer(120, stop.set)  # (a bound: the run is stopped at its first measurement)
    timer.start()
    events = []
    for event in run(RunRequest(preset("fast", hidden=(16,), epochs=1, batch_size=4, lr=0.01), device="cpu",
                                pace=20), stop):
        events.append(event)
        if isinstance(event, Evaluation):
            stop.set()
    timer.cancel()
    assert isinstance(events[-1], Stopped)
    # measured every PACED_EVALUATE_EVERY (2 s) of its steps, before its epoch's end: a 5 s walk at 20 steps/s
    assert any(isinstance(e, Evaluation) for e in events)
    assert not any(isinstance(e, EpochEnd) for e in events)


def test_a_run_over_the_hosts_budget_is_refused_before_anything_loads(monkeypatch):
    from mnist_model import training_run

    monkeypatch.setattr(training_run, "estimate_seconds", lambda cfg, device, train_size: 7200.0 * cfg.epochs)
    loaded = []
    monkeypatch.setattr(training_run, "load_mnist", lambda *args, **kwargs: loaded.append(args))
    with pytest.raises(BudgetError, match="even one epoch takes 2:00:00") as info:
        plan_run(RunRequest(preset("fast")), budget_seconds=600)
    assert info.value.message("zh-CN").endswith("更大的批、更小的网络或关闭数据增强都会更快")
    assert not loaded
    monkeypatch.setattr(training_run, "estimate_seconds", lambda cfg, device, train_size: 300.0 * cfg.epochs)
    with pytest.raises(BudgetError, match=r"With these settings 2 epoch\(s\) fit"):
        plan_run(RunRequest(preset("fast", epochs=5)), budget_seconds=600)


@pytest.fixture
def idle_machine(monkeypatch):
    """A 2-core machine's speed when idle: pricing.speed measures it once per process, slower on a
    busy machine; what is light must not depend on what else ran then."""
    from mnist_model import pricing

    monkeypatch.setattr(pricing, "speed", lambda device="cpu": pricing.Speed(4e-4, 2e-9, ((1, 2e-10),), 1e-5))


def test_a_paced_run_of_a_large_network_measures_itself_less_often_and_runs_beside_the_others(idle_machine):
    """Measuring 6 x 1024 units on both test sets every 2 s kept a core busy: a paced CNN or large MLP
    took the full-speed slot for 20 minutes at a price of 1:33. It measures less often now, and is light."""
    from mnist_model.training_run import PACED_EVALUATE_EVERY, paced_measuring_every

    lesson, large = preset("seed"), preset("seed", hidden=(1024,) * 6)
    assert plan_run(RunRequest(lesson, device="cpu", pace=5)).cost.paced
    assert paced_measuring_every(lesson, "cpu") == PACED_EVALUATE_EVERY
    assert plan_run(RunRequest(large, device="cpu", pace=1)).cost.paced
    assert paced_measuring_every(large, "cpu") > PACED_EVALUATE_EVERY
    assert plan_run(RunRequest(preset("cnn", batch_size=1, augment=False), device="cpu", pace=0.1)).cost.paced


def test_a_paced_run_that_keeps_a_core_busy_is_priced_at_its_wall_time(idle_machine):
    """Its steps at its pace are not light: it holds the full-speed slot as long as its pace makes it last."""
    heavy = RunRequest(preset("seed", hidden=(1024,) * 6), device="cpu", pace=20)
    plan = plan_run(heavy, budget_seconds=600)
    assert not plan.cost.paced and plan.cost.seconds == pytest.approx(plan.steps / 20)  # (its steps: 31 ms each)
    with pytest.raises(BudgetError, match="at this pace this run would keep the processor busy for about"):
        plan_run(heavy, budget_seconds=plan.steps / 20 / 2)


@pytest.mark.parametrize("pace, message", [
    pytest.param(-1, "the pace must be a number of steps per second above 0 and at most 50, got -1", id="negative"),
    pytest.param(500, "got 500", id="faster-than-the-slider"),
    pytest.param("slow", "got 'slow'", id="text"),
    pytest.param(True, "got True", id="a-boolean"),
])
def test_an_impossible_pace_is_refused(pace, message):
    with pytest.raises(ConfigError, match=message):
        plan_run(RunRequest(preset("fast"), pace=pace))


def test_a_plan_says_whether_a_run_is_paced_and_what_it_holds_in_memory(idle_machine):
    paced = plan_run(RunRequest(preset("seed"), pace=5))
    full = plan_run(RunRequest(preset("fast")))
    assert paced.cost.paced and not full.cost.paced
    assert paced.steps == 2 * 27 and full.steps == 2 * 2  # the tiny training set: 400 images, 27 batches of 15
    assert full.memory > 4 * 4 * 55_050  # the weights four times over, and a batch's activations


def test_a_batch_gathered_from_uint8_pools_is_the_batch_of_one_float_pool():
    """Pen-written digits are kept as uint8 beside MNIST's floats, and a batch gathers from both in
    place: the images it makes are those a concatenated float pool would give."""
    gen = torch.Generator().manual_seed(0)
    mnist = Pool(torch.rand(50, 28, 28), torch.randint(10, (50,), generator=gen))
    drawn = Pool(torch.randint(256, (30, 28, 28), dtype=torch.uint8, generator=gen), torch.randint(10, (30,)))
    extra = Pool(torch.randint(256, (7, 28, 28), dtype=torch.uint8, generator=gen), torch.randint(10, (7,)))
    mix = Mix(mnist, [(drawn, 0.3), (extra, 0.2)], 50)
    together = torch.cat([mnist.images, drawn.images.float() / 255, extra.images.float() / 255])
    labels = torch.cat([mnist.labels, drawn.labels, extra.labels])
    order = mix.order(torch.Generator().manual_seed(1), torch.device("cpu"))
    assert (order >= 80).sum() == 10 and ((order >= 50) & (order < 80)).sum() == 15  # each pool's share
    images, got = mix.batch(order)
    assert torch.equal(images, together[order]) and torch.equal(got, labels[order])


def test_a_run_of_a_few_steps_ends_after_them():
    events = list(run(RunRequest(preset("fast", **TINY), device="cpu", max_steps=3)))
    assert isinstance(events[-1], Done) and events[-1].result.steps == 3


def test_a_run_stepped_through_comes_back_whole_from_its_state_dict(tmp_path):
    from mnist_model.step import RunState

    report, state = step(preset("fast", **TINY), "cpu")
    torch.save(state.state_dict(), tmp_path / "run.pt")
    back = RunState.from_state_dict(torch.load(tmp_path / "run.pt", weights_only=True))
    assert (back.config, back.steps, back.origin) == (state.config, state.steps, state.origin)
    a, _ = step(preset("fast", **TINY), "cpu", state)
    b, _ = step(preset("fast", **TINY), "cpu", back)
    assert a.loss == b.loss and a.steps == b.steps == 2  # the same batch, the same network, the same step


def test_mnist_is_read_once_however_it_is_asked_for(monkeypatch):
    from mnist_model import training_run

    reads = []
    monkeypatch.setattr(training_run, "load_mnist", lambda *args, **kwargs: reads.append(args) or object())
    training_run.mnist_on.cache_clear()
    first = training_run.mnist_on("cpu")
    assert training_run.mnist_on("cpu", None, True) is first and training_run.mnist_on(torch.device("cpu")) is first
    assert len(reads) == 1
    training_run.mnist_on.cache_clear()


def test_runs_priced_at_once_measure_the_machine_once(monkeypatch):
    """The first pricing measures the machine's speed with a few small runs; a crowd pressing Teach at
    once each measured it while the others kept the machine busy (20 times too slow: all refused)."""
    from mnist_model import pricing

    runs = []

    def measured_run(cfg, data, device):  # the measurement's small runs, as long as a few steps take
        runs.append(cfg.hidden)
        time.sleep(0.02)

    monkeypatch.setattr(pricing, "fit", measured_run)
    pricing.speed.cache_clear()
    try:
        with ThreadPoolExecutor(8) as pool:
            list(pool.map(lambda _: plan_run(RunRequest(preset("fast"), device="cpu")), range(8)))
    finally:
        pricing.speed.cache_clear()  # (measured again, for real, by whatever prices next)
    assert len(runs) == 14  # one measurement: seven small runs, each once to warm up and once timed
