"""What the app refuses of its own (not the package's errors): a keyed message, translated at the edge.

A PageMessage is raised where the refusal is detected, with a key of texts.TEXTS and the values it
names, like mnist_model's errors; page.user_messages turns both into the one line the visitor reads,
in their language.
"""

from .texts import text


class PageMessage(Exception):
    """A visitor's request the app refuses (a quota, a full disk, an expired session)."""

    def __init__(self, key: str, /, **values):
        self.key, self.values = key, values
        super().__init__(self.message("en"))

    def message(self, lang: str = "en") -> str:
        return text(self.key, lang, **self.values)
