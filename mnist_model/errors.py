"""The package's exceptions, in one small hierarchy.

    MnistModelError                     every error this package raises on purpose
    ├── InvalidImageError (ValueError)  an image preprocessing cannot use
    ├── CheckpointError (ValueError)    a checkpoint file that is missing, corrupt or foreign
    ├── ConfigError (ValueError)        an impossible training or model setting
    │   └── BudgetError                 a run that costs more than the host allows
    ├── DeviceError (ValueError)        a device that does not exist on this machine
    └── DataNotFoundError (FileNotFoundError)  MNIST is not in the data folder and cannot be fetched

Each is raised with a message key and the values it names: `str(error)` is one English sentence a
user can act on, with the offending value in it (cut short when long); `error.message(lang)` is the
same sentence in another language (messages.py). The layer that talks to the user (the CLI, the
app) turns them into messages; nothing in between re-words them.
"""

from collections.abc import Callable

from .messages import error_text


class Keyed(Exception):
    """An exception raised with a message key and the values it names, worded by its class's `words`
    (key, lang, **values): `str(error)` in English, `error.message(lang)` in another language. The
    server's refusals and the page's own are Keyed too, each with its words."""

    words: Callable[..., str] = staticmethod(error_text)

    def __init__(self, key: str, /, **values):
        self.key, self.values = key, values
        super().__init__(self.message("en"))

    def message(self, lang: str = "en") -> str:
        return self.words(self.key, lang, **self.values)


class MnistModelError(Keyed):
    """Base class of every error raised on purpose by mnist_model."""


class InvalidImageError(MnistModelError, ValueError):
    """The input cannot be turned into a 28x28 digit image."""


class CheckpointError(MnistModelError, ValueError):
    """A checkpoint file is missing, corrupt, truncated, foreign or does not fit its model."""


class ConfigError(MnistModelError, ValueError):
    """A model shape or training setting is out of range."""


class BudgetError(ConfigError):
    """A run would take longer than the time the host allows for one (training_run.plan_run)."""


class DeviceError(MnistModelError, ValueError):
    """The requested device does not exist on this machine."""


class DataNotFoundError(MnistModelError, FileNotFoundError):
    """MNIST is not in the data folder and could not be downloaded."""
