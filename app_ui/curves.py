"""The Train tab's curves: each run's loss and accuracy points, kept few, and the plots' values.

A curve keeps at most MAX_POINTS points, each the mean of the same number of the run's points (its
stride, doubled whenever the curve fills up), and shows the points not yet a whole group as one
more: so a long paced run costs no more to draw, send or keep than a short one, and every part of
it is drawn alike. The x axis is in steps while every run on the plot is shorter than an epoch (a
paced run a class watches for a minute), in epochs otherwise.

The gradient's flow (issue 22): each layer's gradient length at the loss curve's points
(train.gradient_lengths), one curve per layer, kept as log10 so that a point standing for several
is their geometric mean (the plot is on a log scale). The plot shows the last two runs in two panels
side by side on one y axis, each line smoothed on the log scale (a step's length jumps about: 8
sigmoid layers' lines tangled with ReLU's after a third of an epoch), its colour and the name at its
end naming the layer.
"""

import math
from dataclasses import dataclass, field

import numpy as np

MAX_POINTS = 200  # per curve
MAX_RUNS = 5  # finished runs kept on the plots, per visitor
GRADIENT_FLOOR = 1e-12  # a gradient length of 0 (a layer that learns nothing) is drawn here, on the log scale
GRADIENT_RUNS = 2  # runs on the gradient plot, a panel each: the latest and the one before, to compare
SMOOTHING = 12  # a gradient line's point is the mean of the log lengths within 1/SMOOTHING of its points each side
# the layers' colours, first to last, a hue apart each (four of the old ones, interpolated for nine
# layers, were near-identical oranges): vermilion (the first layer, the one to watch), orange, olive,
# bluish green, teal, sky blue, violet, blue (the output), interpolated for as many layers as the network has
LAYER_STOPS = ((0xD5, 0x5E, 0x00), (0xE6, 0x9F, 0x00), (0x8C, 0x8C, 0x00), (0x00, 0x9E, 0x73),
               (0x00, 0x8B, 0x8B), (0x56, 0xB4, 0xE9), (0x8E, 0x5C, 0xC4), (0x00, 0x72, 0xB2))


@dataclass
class Curve:
    """Points (steps, epochs, value), each the mean of `stride` of the run's."""

    points: list[tuple[float, float, float]] = field(default_factory=list)
    stride: int = 1
    pending: np.ndarray = field(default_factory=lambda: np.zeros(3))  # the sum of the points not yet a group ...
    count: int = 0  # ... and how many they are

    def add(self, point: tuple[float, float, float]) -> None:
        self.pending = self.pending + point
        self.count += 1
        if self.count < self.stride:
            return
        self.points.append(tuple((self.pending / self.count).tolist()))
        self.pending, self.count = np.zeros(3), 0
        if len(self.points) > MAX_POINTS:  # twice as many of the run's points to each of half as many
            merged = np.array(self.points)
            whole = len(merged) // 2 * 2
            self.points = [tuple(p) for p in ((merged[0:whole:2] + merged[1:whole:2]) / 2).tolist()]
            if whole < len(merged):  # a group left over, half as big as the new stride: still pending
                self.pending, self.count = merged[-1] * self.stride, self.stride
            self.stride *= 2

    def shown(self) -> list[tuple[float, float, float]]:
        return self.points + ([tuple((self.pending / self.count).tolist())] if self.count else [])


@dataclass
class Curves:
    """One run's curves."""

    label: str
    loss: Curve = field(default_factory=Curve)
    mnist: Curve = field(default_factory=Curve)
    drawn: Curve = field(default_factory=Curve)
    gradients: list[Curve] = field(default_factory=list)  # per layer, first to last: log10 of its gradient length
    last_step: int = 0  # the run's steps at its latest gradient point
    result: dict | None = None  # a finished run's figures: "mnist", "drawn" (None when not measured), "seconds"

    def add(self, curve: str, steps: int, epochs: float, value: float) -> None:
        getattr(self, curve).add((float(steps), float(epochs), float(value)))

    def add_gradients(self, steps: int, epochs: float, lengths: list[float]) -> None:
        """Each layer's gradient length at this point (a length of 0 is drawn at GRADIENT_FLOOR; one
        that is not a number, a diverged run's, is left out)."""
        if len(self.gradients) != len(lengths):  # (a run's layers do not change: this is its first point)
            self.gradients = [Curve() for _ in lengths]
        for curve, length in zip(self.gradients, lengths):
            if math.isfinite(length):
                curve.add((float(steps), float(epochs), math.log10(max(length, GRADIENT_FLOOR))))
        self.last_step = steps

    @property
    def epochs(self) -> float:
        """How far the run got, in epochs."""
        return max((p[1] for p in self.loss.shown() + self.mnist.shown()), default=0.0)

    def last(self, curve: str) -> float | None:
        shown = getattr(self, curve).shown()
        return shown[-1][2] if shown else None


def plot_values(runs: list[Curves]) -> tuple[dict, dict, dict]:
    """The loss, MNIST-accuracy and drawn-accuracy plots' values (components.CurvePlot's)."""
    x = "steps" if all(run.epochs < 1 for run in runs) else "epochs"
    column = 0 if x == "steps" else 1

    def plot(curve: str, y: str) -> dict:
        return {"x": x, "y": y, "runs": [{"label": run.label,
                                          "points": [[p[column], p[2]] for p in getattr(run, curve).shown()]}
                                         for run in runs]}

    return plot("loss", "loss"), plot("mnist", "accuracy"), plot("drawn", "accuracy")


def layer_colours(layers: int) -> list[str]:
    """`layers` colours from the first layer's to the last's (LAYER_STOPS, interpolated), as #rrggbb."""
    stops = np.array(LAYER_STOPS, dtype=float)
    at = np.linspace(0, len(stops) - 1, layers) if layers > 1 else np.zeros(1)
    low = np.minimum(at.astype(int), len(stops) - 2)
    mixed = stops[low] + (at - low)[:, None] * (stops[low + 1] - stops[low])
    return ["#" + "".join(f"{round(c):02x}" for c in rgb) for rgb in mixed]


def smoothed(values: list[float]) -> list[float]:
    """Each value the mean of the values within len(values) // SMOOTHING places of it (fewer at the
    ends): log lengths, so that a line keeps its trend and loses its jitter."""
    reach = len(values) // SMOOTHING
    if not reach:
        return list(values)
    sums = np.concatenate([[0.0], np.cumsum(values)])
    at = np.arange(len(values))
    low, high = np.maximum(at - reach, 0), np.minimum(at + reach + 1, len(values))
    return ((sums[high] - sums[low]) / (high - low)).tolist()


def gradient_value(runs: list[Curves], smooth: bool = True) -> dict:
    """The gradient plot's value (components.CurvePlot's): the last GRADIENT_RUNS runs that have
    gradient lengths, each in its own panel ("panels": their names, the run before first), on one
    log scale; in each, one line per layer ("panel": its panel), smoothed unless told not to; the
    colour names the layer, and so does the legend, once."""
    shown = [run for run in runs if run.gradients][-GRADIENT_RUNS:]
    x = "steps" if all(run.epochs < 1 for run in shown) else "epochs"
    column = 0 if x == "steps" else 1
    layers = max((len(run.gradients) for run in shown), default=0)
    colours = layer_colours(layers)
    lines = []
    for panel, run in enumerate(shown):
        for i, curve in enumerate(run.gradients):
            points = curve.shown()
            logs = [p[2] for p in points]
            lines.append({"label": run.label, "panel": panel, "layer": i + 1, "layers": len(run.gradients),
                          "colour": colours[i], "points": [[p[column], 10 ** y]
                                                           for p, y in zip(points, smoothed(logs) if smooth else logs)]})
    # drawn in this order: in each panel the first layer on top
    return {"x": x, "y": "gradient", "scale": "log", "runs": lines[::-1], "panels": [run.label for run in shown],
            "legend": [{"layer": i + 1, "layers": layers, "colour": colours[i]} for i in range(layers)]}


def step_flow(flow: Curves | None, steps: int, lengths: list[float]) -> Curves:
    """Step's gradient curves with one more step's lengths (`steps`: the run's steps, this one
    included): added to the steps before it when it follows on from them on a network of as many
    layers, else the first point of a new plot (another network: a fresh one, or a run's)."""
    if flow is None or flow.last_step != steps - 1 or len(flow.gradients) != len(lengths):
        flow = Curves("")  # (one network: its lines need no run's name)
    flow.add_gradients(steps, 0.0, lengths)
    return flow


def step_gradient_value(flow: Curves | None) -> dict:
    """The Step plot's value: gradient_value of Step's curves as each step measured them (not
    smoothed), its x axis from its first step."""
    value = gradient_value([flow] if flow is not None else [], smooth=False)
    first = [curve.shown()[0][0] for curve in (flow.gradients if flow is not None else []) if curve.shown()]
    return {**value, "panels": [""], **({"x_min": min(first)} if first else {})}  # (one network: no name)
