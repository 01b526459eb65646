"""The Train tab's curves: each run's loss and accuracy points, kept few, and the plots' values.

A run's points are kept at most MAX_POINTS per curve (neighbours are averaged in pairs when there
are more), so a long paced run costs no more to draw, send or keep than a short one. The x axis is
in steps while every run on the plot is shorter than an epoch (a paced run a class watches for a
minute), in epochs otherwise.
"""

from dataclasses import dataclass, field

MAX_POINTS = 200  # per curve
MAX_RUNS = 5  # finished runs kept on the plots, per visitor


def _thinned(points: list[tuple[float, ...]]) -> list[tuple[float, ...]]:
    """Half as many points, each pair averaged (x and y alike); an odd last point stays."""
    pairs = [tuple((a + b) / 2 for a, b in zip(p, q)) for p, q in zip(points[0::2], points[1::2])]
    return pairs + points[len(pairs) * 2:]


@dataclass
class Curves:
    """One run's curves: points (steps, epochs, value)."""

    label: str
    loss: list[tuple[float, float, float]] = field(default_factory=list)
    mnist: list[tuple[float, float, float]] = field(default_factory=list)
    drawn: list[tuple[float, float, float]] = field(default_factory=list)

    def add(self, curve: str, steps: int, epochs: float, value: float) -> None:
        points = getattr(self, curve)
        points.append((float(steps), float(epochs), float(value)))
        if len(points) > MAX_POINTS:
            setattr(self, curve, _thinned(points))

    @property
    def epochs(self) -> float:
        """How far the run got, in epochs."""
        return max((p[1] for p in self.loss + self.mnist), default=0.0)


def plot_values(runs: list[Curves]) -> tuple[dict, dict, dict]:
    """The loss, MNIST-accuracy and drawn-accuracy plots' values (components.CurvePlot's)."""
    x = "steps" if all(run.epochs < 1 for run in runs) else "epochs"
    column = 0 if x == "steps" else 1

    def plot(curve: str, y: str) -> dict:
        return {"x": x, "y": y, "runs": [{"label": run.label, "points": [[p[column], p[2]] for p in getattr(run, curve)]}
                                         for run in runs]}

    return plot("loss", "loss"), plot("mnist", "accuracy"), plot("drawn", "accuracy")
