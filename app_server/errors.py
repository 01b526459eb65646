"""What the server refuses of its own (a quota, a full disk, an expired session, a class's rules): a key
of words.REFUSALS and the values it names, like mnist_model's errors. It is raised where the refusal
is detected; the page turns it into the one line the visitor reads, in their language
(app_ui.page.user_messages)."""

from .words import refusal_text


class Refusal(Exception):
    """A visitor's request the server refuses."""

    def __init__(self, key: str, /, **values):
        self.key, self.values = key, values
        super().__init__(self.message("en"))

    def message(self, lang: str = "en") -> str:
        return refusal_text(self.key, lang, **self.values)
