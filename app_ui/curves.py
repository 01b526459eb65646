"""The Train tab's curves: each run's loss and accuracy points, kept few, and the plots' values.

A curve keeps at most MAX_POINTS points, each the mean of the same number of the run's points (its
stride, doubled whenever the curve fills up), and shows the points not yet a whole group as one
more: so a long paced run costs no more to draw, send or keep than a short one, and every part of
it is drawn alike. The x axis is in steps while every run on the plot is shorter than an epoch (a
paced run a class watches for a minute), in epochs otherwise.
"""

from dataclasses import dataclass, field

import numpy as np

MAX_POINTS = 200  # per curve
MAX_RUNS = 5  # finished runs kept on the plots, per visitor


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

    def add(self, curve: str, steps: int, epochs: float, value: float) -> None:
        getattr(self, curve).add((float(steps), float(epochs), float(value)))

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
