"""The neuron's view and dead units, the page's side: what Explore's Neuron component is handed (the
active model's dead units over MNIST's test set) and the words the Train tab's summary says of them.

Dead units are counted by mnist_model.explain.dead_units; the page computes the neuron itself
(static/neuron.js), from its own forward pass.
"""

import threading
import weakref

from mnist_model import Classifier
from mnist_model.data import missing_files, resolve_data_dir
from mnist_model.explain import DeadUnits, dead_units
from mnist_model.model import MLP
from mnist_model.training_run import mnist_on

from .texts import text

MAX_NAMED = 12  # units named per layer in the Train tab's summary; the rest counted ("…")

_dead: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()  # model -> (the test images, DeadUnits)
_lock = threading.Lock()


def dead_of(clf: Classifier) -> DeadUnits | None:
    """The active model's dead units over MNIST's test set (computed once per model and data set);
    None when the server has no MNIST (nothing is downloaded for this) or the network is not an MLP."""
    if not isinstance(clf.model, MLP) or missing_files(resolve_data_dir()):
        return None
    test_x = mnist_on("cpu").test_x  # the copy training and teaching read (one per process)
    with _lock:
        cached = _dead.get(clf.model)
        if cached is not None and cached[0] is test_x:
            return cached[1]
        dead = dead_units(clf.model, test_x)
        _dead[clf.model] = (test_x, dead)
    return dead


def dead_value(clf: Classifier) -> dict | None:
    """The Neuron component's `dead` prop for the active model: its hidden sizes, activation, dead
    units per layer and how many images they were measured on; {"missing": True} without MNIST."""
    if not isinstance(clf.model, MLP):
        return None
    dead = dead_of(clf)
    if dead is None:
        return {"sizes": list(clf.model.hidden), "activation": clf.model.activation, "missing": True}
    return {"sizes": dead.sizes, "activation": dead.activation, "units": dead.units, "images": dead.images}


def named(units: list[int]) -> str:
    shown = ", ".join(map(str, units[:MAX_NAMED]))
    return shown + (", …" if len(units) > MAX_NAMED else "")


def dead_summary(dead: DeadUnits | None, lang: str = "en") -> str:
    """The Train tab's sentence on a finished run's dead units, per layer, naming them (Markdown)."""
    if dead is None:
        return ""
    layers = "; ".join(
        text("summary_dead_layer", lang, layer=i + 1, count=len(units), units=size)
        + (f" ({named(units)})" if units else "")
        for i, (units, size) in enumerate(zip(dead.units, dead.sizes)))
    return text(f"summary_dead_{dead.activation}", lang, images=f"{dead.images:,}", layers=layers)
