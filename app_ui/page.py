"""What the tabs share: the visitor's state, the shipped model, and the one place errors become messages."""

import functools
import inspect
import logging
from dataclasses import dataclass

import gradio as gr

from mnist_model import Classifier, MnistModelError
from mnist_model.i18n import TEXTS, text

SHIPPED = Classifier.load()
LOG = logging.getLogger("mnist_app")
I18N = gr.I18n(**TEXTS)  # English and Simplified Chinese; follows the browser, switchable in Settings


@dataclass
class Page:
    """Per-visitor values every tab reads or changes, and the page's Blocks (for its load event)."""

    blocks: gr.Blocks
    classifier: gr.State  # the visitor's active model (a Classifier); None = the shipped one
    model_info: gr.Markdown  # the line that names the active model
    lang: gr.Textbox  # the language the page shows ("en" or "zh-CN"), for messages made on the server
    snapshots: gr.State  # the last training run's first-layer weights at the end of each epoch


def active(classifier: Classifier | None) -> Classifier:
    return classifier or SHIPPED


def describe_model(classifier: Classifier | None, lang: str = "en") -> str:
    """The model line: which model is active, its shape, and its accuracy on both test sets."""
    clf = active(classifier)
    shape = " → ".join(map(str, (784, *clf.hidden, 10)))
    accuracy = "" if clf.test_accuracy is None else text("model_accuracy", lang, accuracy=f"{clf.test_accuracy:.2%}")
    drawn = clf.drawn_accuracy
    if drawn is not None:
        accuracy += text("model_drawn_accuracy", lang, accuracy=f"{drawn:.2%}")
    return text("model_shipped" if classifier is None else "model_yours", lang, shape=shape, accuracy=accuracy)


class PageMessage(Exception):
    """A visitor's request the app refuses (a quota, a run too long for this host): the message,
    already in the visitor's language, is all the page shows."""


def activate(classifier: Classifier | None, lang: str = "en"):
    """Outputs [page.classifier, page.model_info] that make `classifier` (None: the shipped one) the
    active model; the tabs follow page.classifier's change (the pad's weights, Explore's pictures)."""
    return classifier, describe_model(classifier, lang)


def user_messages(handler):
    """The one place package errors become messages: a MnistModelError raised inside `handler`
    (a function or a generator) reaches the page as a one-line gr.Error, in the language of the
    handler's `lang` argument; so does a PageMessage. These are expected mistakes: each is logged as
    one line (its first 200 characters), not as a traceback."""
    signature = inspect.signature(handler)

    def message(exc: Exception, args, kwargs) -> gr.Error:
        if isinstance(exc, PageMessage):
            text_ = str(exc)
        else:
            text_ = exc.message(signature.bind_partial(*args, **kwargs).arguments.get("lang", "en"))
        LOG.info("refused %s: %s", handler.__name__, text_[:200])
        return gr.Error(text_, print_exception=False)

    if inspect.isgeneratorfunction(handler):
        @functools.wraps(handler)
        def stream(*args, **kwargs):
            try:
                yield from handler(*args, **kwargs)
            except (MnistModelError, PageMessage) as exc:
                raise message(exc, args, kwargs) from None
        return stream

    @functools.wraps(handler)
    def call(*args, **kwargs):
        try:
            return handler(*args, **kwargs)
        except (MnistModelError, PageMessage) as exc:
            raise message(exc, args, kwargs) from None
    return call
