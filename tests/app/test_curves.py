"""The Train tab's curves: few points whatever a run's length, x in steps for short runs, epochs for long."""

import numpy as np

from app_ui.curves import MAX_POINTS, Curves, plot_values


def test_a_long_run_keeps_few_points_averaged_in_pairs():
    curves = Curves("long")
    for step in range(1, 10_001):
        curves.add("loss", step, step / 469, 2.0 - step / 10_000)
    shown = curves.loss.shown()
    assert MAX_POINTS / 2 <= len(shown) <= MAX_POINTS + 1
    xs = [p[0] for p in shown]
    assert xs == sorted(xs) and xs[0] < 50 and xs[-1] > 9_900  # the whole run, drawn alike from end to end
    assert np.ptp(np.diff(xs[:-1])) == 0  # each point the mean of as many of the run's points


def test_runs_shorter_than_an_epoch_are_plotted_in_steps_and_longer_ones_in_epochs():
    short, long_ = Curves("paced"), Curves("fast")
    short.add("loss", 280, 280 / 4000, 1.2)
    long_.add("loss", 938, 2.0, 0.1)
    assert plot_values([short])[0]["x"] == "steps" and plot_values([short])[0]["runs"][0]["points"] == [[280.0, 1.2]]
    assert plot_values([short, long_])[0]["x"] == "epochs"


def test_every_run_is_on_all_three_plots_under_its_name():
    run = Curves("seed, pace 5")
    run.add("mnist", 10, 0.1, 0.5)
    loss, mnist, drawn = plot_values([run])
    assert [r["label"] for r in loss["runs"]] == [r["label"] for r in mnist["runs"]] == [r["label"] for r in drawn["runs"]]
    assert (loss["y"], mnist["y"], drawn["y"]) == ("loss", "accuracy", "accuracy")
