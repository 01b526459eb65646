"""mnist_model: the tutorial's MNIST network, a fast trainer, MNIST-faithful preprocessing.

    from mnist_model import Classifier
    clf = Classifier.load()
    clf.predict_proba(image)   # (10,) probabilities, or None for a blank picture

Training and evaluation from the command line: `python -m mnist_model train --help`,
`python -m mnist_model evaluate --help`. From Python: mnist_model.training_run (one run, from a recipe to
a Classifier), mnist_model.config (the recipes and their fields).
"""

__version__ = "1.2.0"

from .classifier import Classifier  # noqa: E402
from .errors import (  # noqa: E402
    BudgetError,
    CheckpointError,
    ConfigError,
    DataNotFoundError,
    DeviceError,
    InvalidImageError,
    MnistModelError,
)

__all__ = [
    "Classifier",
    "BudgetError",
    "CheckpointError",
    "ConfigError",
    "DataNotFoundError",
    "DeviceError",
    "InvalidImageError",
    "MnistModelError",
]
