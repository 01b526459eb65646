"""What the server refuses of its own (a quota, a full disk, an expired session, a class's rules): a key
of words.REFUSALS and the values it names, like mnist_model's errors. It is raised where the refusal
is detected; the page turns it into the one line the visitor reads, in their language
(app_ui.page.user_messages)."""

from mnist_model.errors import Keyed

from .words import refusal_text


class Refusal(Keyed):
    """A visitor's request the server refuses."""

    words = staticmethod(refusal_text)


class ClassroomError(Refusal, ValueError):
    """The class store refuses a request: an unknown code, a role's action, a limit reached."""
