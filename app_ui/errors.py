"""What the app refuses of its own (not the package's errors): a keyed message, translated at the edge.

A PageMessage is raised where the refusal is detected, with a key of texts.TEXTS and the values it
names, like mnist_model's errors; page.user_messages turns both into the one line the visitor reads,
in their language.
"""

from mnist_model.errors import Keyed

from .texts import text


class PageMessage(Keyed):
    """A visitor's request the page refuses of its own."""

    words = staticmethod(text)
