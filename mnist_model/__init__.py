"""mnist_model: the tutorial's MNIST network, a fast trainer, MNIST-faithful preprocessing.

    from mnist_model import Classifier
    clf = Classifier.load()
    clf.predict_proba(image)   # (10,) probabilities, or None for a blank picture

Training: `python -m mnist_model.train --help`; evaluation: `python -m mnist_model.evaluate --help`.
"""

__version__ = "1.1.0"

from .classifier import Classifier  # noqa: E402
from .errors import (  # noqa: E402
    CheckpointError,
    ConfigError,
    DataNotFoundError,
    DeviceError,
    InvalidImageError,
    MnistModelError,
)

__all__ = [
    "Classifier",
    "CheckpointError",
    "ConfigError",
    "DataNotFoundError",
    "DeviceError",
    "InvalidImageError",
    "MnistModelError",
]
