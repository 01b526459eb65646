"""The public face of the package: a trained network plus the preprocessing that feeds it."""

import os
import secrets

import numpy as np
import torch

from . import checkpoint
from .model import CNN, MLP
from .preprocess import load_picture, to_mnist


class Classifier:
    """A trained network (the MLP, or the small CNN) ready to classify pictures of digits. Thread-safe:
    prediction mutates nothing.

        clf = Classifier.load()                  # the shipped checkpoint
        clf.preprocess(image)                    # (28, 28) float32 in [0, 1], or None if blank
        clf.predict_proba(image)                 # (10,) float32 summing to 1, or None if blank;
                                                 # (11,) when the network also answers "not a digit"

    `image` is a numpy array, a PIL image, or a picture file (its path, or its bytes).
    """

    def __init__(self, model: MLP | CNN, meta: dict | None = None):
        self.model = model.cpu().eval()
        self.meta = meta or {}
        self.uid = secrets.token_hex(8)  # names this loaded network (Python's ids are reused; forks count alike)

    @classmethod
    def load(cls, path: str | os.PathLike | None = None, name: str | None = None) -> "Classifier":
        """Load a checkpoint (the shipped one by default); CheckpointError if it is not valid. Its
        messages call the file `name` (default: its path)."""
        model, meta = checkpoint.load(path or checkpoint.SHIPPED, name)
        return cls(model, meta)

    @property
    def test_accuracy(self) -> float | None:
        """On MNIST's test set."""
        return self.meta.get("test_accuracy")

    @property
    def drawn_accuracy(self) -> float | None:
        """On the held-out writers' pen-written digits (mnist_model.pen_digits), when it was measured."""
        return self.meta.get("drawn_accuracy")

    @property
    def answers(self) -> int:
        """10 (the digits), or 11: the network also answers "not a digit" (not_digits.NOT_A_DIGIT)."""
        return self.model.answers

    @property
    def hidden(self) -> tuple[int, ...]:
        """The MLP's hidden sizes; () for a CNN, whose shape is fixed."""
        return getattr(self.model, "hidden", ())

    @property
    def architecture(self) -> str:
        """mlp or cnn (mnist_model.model.ARCHITECTURES)."""
        return self.model.network["architecture"]

    @property
    def activation(self) -> str:
        return self.model.activation

    @property
    def parameters(self) -> int:
        return sum(p.numel() for p in self.model.parameters())

    @staticmethod
    def preprocess(image) -> np.ndarray | None:
        """What the network sees of `image`: MNIST's 28x28 white-on-black format, or None if blank."""
        if isinstance(image, (str, os.PathLike, bytes, bytearray)):
            image = load_picture(image)
        return to_mnist(image)

    def probabilities(self, digit: np.ndarray) -> np.ndarray:
        """Class probabilities for one already-preprocessed 28x28 image."""
        return self.probabilities_of(digit[None])[0]

    def probabilities_of(self, digits: np.ndarray) -> np.ndarray:
        """Answers' probabilities (n, answers) for already-preprocessed 28x28 images (n, 28, 28)."""
        with torch.inference_mode():
            x = torch.from_numpy(np.ascontiguousarray(digits, dtype=np.float32)).view(len(digits), -1)
            return self.model(x).exp_().numpy()

    def predict_proba(self, image) -> np.ndarray | None:
        """Probabilities of the digits 0..9 (and of "not a digit", for a network with 11 answers) for
        `image`, or None when nothing is drawn."""
        digit = self.preprocess(image)
        return None if digit is None else self.probabilities(digit)

    def __repr__(self) -> str:
        acc = f", test accuracy {self.test_accuracy:.2%}" if self.test_accuracy is not None else ""
        return f"Classifier({self.model!r}{acc})"
