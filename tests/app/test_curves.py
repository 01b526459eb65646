"""The Train tab's curves: few points whatever a run's length, x in steps for short runs, epochs for long."""

import numpy as np
import pytest

from app_ui.curves import (GRADIENT_FLOOR, MAX_POINTS, SMOOTHING, Curves, gradient_value, layer_colours, plot_values,
                           smoothed, step_flow, step_gradient_value)


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


# --- the gradient's flow (issue 22) ---------------------------------------------------------------


def test_gradient_lengths_are_one_line_per_layer_on_a_log_scale_the_first_layer_in_its_own_colour():
    run = Curves("8 sigmoid layers")
    for step in range(1, 4):
        run.add_gradients(step, step / 938, [1e-6 * step, 1e-3, 0.5])
    value = gradient_value([run])
    assert (value["y"], value["scale"], value["x"]) == ("gradient", "log", "steps")
    lines = {line["layer"]: line for line in value["runs"]}
    assert sorted(lines) == [1, 2, 3] and {line["layers"] for line in value["runs"]} == {3}
    assert np.allclose(lines[1]["points"], [[1, 1e-6], [2, 2e-6], [3, 3e-6]], rtol=1e-9, atol=0)
    assert value["runs"][-1] is lines[1]  # drawn last, on top: the layer to watch
    assert [entry.get("colour") for entry in value["legend"][:3]] == layer_colours(3)
    assert layer_colours(3)[0] == "#d55e00" and layer_colours(3)[-1] == "#0072b2"  # vermilion first, blue last
    assert len(value["legend"]) == 3 and value["panels"] == ["8 sigmoid layers"]


def test_nine_layers_colours_are_each_a_clear_step_from_the_next():
    rgb = np.array([[int(c[i:i + 2], 16) for i in (1, 3, 5)] for c in layer_colours(9)], dtype=float)
    # (the old nine's first four were oranges about 25 apart: layers 1-4 could not be told apart)
    assert np.linalg.norm(np.diff(rgb, axis=0), axis=1).min() > 50


def test_gradient_lines_are_smoothed_on_the_log_scale_keeping_their_trend():
    rng = np.random.default_rng(0)
    trend = np.linspace(-6, -1, 200)
    jittery = trend + rng.normal(0, 1, 200)
    calm = np.array(smoothed(jittery.tolist()))
    assert np.abs(calm - trend).mean() < 0.4 * np.abs(jittery - trend).mean()
    assert np.abs(calm - trend)[[0, -1]].max() < 1.5  # its ends too, where it has neighbours on one side only
    assert smoothed([1.0, 5.0, 2.0]) == [1.0, 5.0, 2.0]  # under SMOOTHING points: as measured
    run = Curves("long")
    for step in range(1, 2 * SMOOTHING + 1):
        run.add_gradients(step, step / 938, [1e-2 if step % 2 else 1e-4])
    points = [p[1] for p in gradient_value([run])["runs"][0]["points"]]
    assert all(1e-4 < p < 1e-2 for p in points[1:-1])  # alternating 1e-2, 1e-4: drawn near their geometric mean


def test_merged_gradient_points_are_geometric_means_zero_sits_on_the_floor_and_nan_is_left_out():
    run = Curves("long")
    for step in range(1, 2 * MAX_POINTS + 3):
        run.add_gradients(step, step / 469, [1e-2 if step % 2 else 1e-4, 0.0, float("nan") if step == 5 else 1.0])
    first, dead, last = (line["points"] for line in sorted(gradient_value([run])["runs"], key=lambda line: line["layer"]))
    assert all(p[1] == pytest.approx(1e-3) for p in first[:-1])  # 1e-2 and 1e-4: their geometric mean, not 0.00505
    assert all(p[1] == pytest.approx(GRADIENT_FLOOR) for p in dead)
    assert last and all(p[1] == pytest.approx(1.0) for p in last)  # no point made not-a-number by step 5


def test_the_run_before_and_the_latest_get_a_panel_each_and_older_runs_leave_the_gradient_plot():
    runs = [Curves(name) for name in ("old", "8 sigmoid layers", "8 ReLU layers")]
    for run in runs:
        run.add_gradients(1, 0.001, [0.1, 0.2])
    value = gradient_value([*runs, Curves("no gradients yet")])
    assert value["panels"] == ["8 sigmoid layers", "8 ReLU layers"]  # the run before on the left
    assert {(line["label"], line["panel"]) for line in value["runs"]} == {("8 sigmoid layers", 0), ("8 ReLU layers", 1)}
    assert [e["layer"] for e in value["legend"]] == [1, 2]  # the layers, once
    assert gradient_value([])["runs"] == []


def test_steps_add_to_steps_page_plot_only_while_they_follow_on_one_network():
    flow = step_flow(None, 939, [0.1, 0.2])  # a step after a run of 938
    flow = step_flow(flow, 940, [0.3, 0.4])
    value = step_gradient_value(flow)
    second = next(line for line in value["runs"] if line["layer"] == 2)
    assert np.allclose(second["points"], [[939, 0.2], [940, 0.4]]) and value["x_min"] == 939
    assert [e["layer"] for e in value["legend"]] == [1, 2] and value["panels"] == [""]  # one network: no name
    for step in range(941, 941 + 3 * SMOOTHING):  # as each step measured it, however many steps
        flow = step_flow(flow, step, [10.0 ** -(step % 3), 0.4])
    assert [p[1] for p in next(line for line in step_gradient_value(flow)["runs"] if line["layer"] == 1)["points"]][-3:] \
        == pytest.approx([10.0 ** -(s % 3) for s in range(938 + 3 * SMOOTHING, 941 + 3 * SMOOTHING)])
    assert step_flow(flow, 1, [0.5, 0.6]).last_step == 1 and len(step_flow(flow, 1, [0.5, 0.6]).gradients[0].shown()) == 1
    assert len(step_flow(flow, 941, [0.5, 0.6, 0.7]).gradients) == 3  # another network: a new plot
