"""What the tabs share: the visitor, the shipped model, and the one place errors become messages."""

import functools
import inspect
import logging
from dataclasses import dataclass, field

import gradio as gr

from app_server.classes import adopt
from app_server.errors import Refusal
from app_server.visitors import Visitor, visitor_of
from mnist_model import Classifier, checkpoint
from mnist_model.errors import Keyed
from mnist_model.messages import language
from mnist_model.model import NUM_CLASSES

from .texts import ACTIVATION_NAMES, I18N, network_text, text

LOG = logging.getLogger("mnist_app")


@functools.cache
def shipped() -> Classifier:
    """The shipped model, read on first use (not at import)."""
    return Classifier.load()


@functools.cache
def shipped_cnn() -> Classifier:
    """The shipped small CNN (issue 22), read on first use: one copy for every visitor who picks it."""
    return Classifier.load(checkpoint.SHIPPED_CNN)


@dataclass
class Page:
    """Per-visitor values every tab reads or changes, and the page's Blocks (for its load event)."""

    blocks: gr.Blocks
    visitor: gr.State  # the Visitor: their models (the active one among them), saves, runs
    model: gr.State  # the active model's description ({"sizes", "name"}): tabs follow its changes
    model_info: gr.Markdown  # the line that names the active model
    lang: gr.Textbox  # the language the page shows ("en" or "zh-CN"), for messages made on the server
    frames: gr.State  # changes when a run finishes: [its first-layer pictures kept, a stamp] (Explore's slider)
    for_trained: dict = field(default_factory=dict)  # the Train tab's Use and Save, which a taught model enables too


def active(visitor: Visitor | None) -> Classifier:
    """The visitor's active model: their own (a student's: their class's newest, see classes.adopt),
    or the shipped one."""
    if visitor is None:
        return shipped()
    adopt(visitor)
    return visitor.get("active") or shipped()


def choice_text(field: str, choice: str, lang: str | None = None):
    """A form's choice (mnist_model.config.FIELDS) as the page names it: the activation functions as a
    textbook writes them, the others from TEXTS (choice_FIELD_CHOICE), in `lang` (None: for Gradio to
    word in the page's language)."""
    if field == "activation":
        return ACTIVATION_NAMES[choice]
    key = f"choice_{field}_{choice}"
    return I18N(key) if lang is None else text(key, lang)


def model_choices(names) -> list[tuple]:
    """The model picker's choices: the shipped models named, with their figures, in the page's
    language; the others by the names they were saved under."""
    shipped = checkpoint.shipped_models()
    return [(I18N(f"shipped_choice_{name.replace('-', '_')}") if name in shipped else name, name) for name in names]


def describe_model(visitor: Visitor | None, lang: str = "en") -> str:
    """The model line: which model is active, its shape, and its accuracy on both test sets."""
    try:
        mine = None if visitor is None else visitor.get("active")
    except Refusal as exc:
        return exc.message(lang)
    clf = mine or shipped()
    network = clf.model.network  # named in the page's language: "MLP 784 → ...", "small CNN 28×28 → ..."
    shape = text("network_" + network["architecture"], lang, shape=network_text(network))
    if clf.answers > NUM_CLASSES:
        shape += text("network_eleventh", lang)
    accuracy = "" if clf.test_accuracy is None else text("model_accuracy", lang, accuracy=f"{clf.test_accuracy:.2%}")
    if clf.drawn_accuracy is not None:
        accuracy += text("model_drawn_accuracy", lang, accuracy=f"{clf.drawn_accuracy:.2%}")
    if mine is None or mine is _loaded_cnn():
        return text("model_shipped", lang, shape=shape, accuracy=accuracy)
    if "published" in mine.meta:
        return text("model_class", lang, shape=shape, accuracy=accuracy, version=mine.meta["published"])
    return text("model_yours", lang, shape=shape, accuracy=accuracy)


def _loaded_cnn() -> Classifier | None:
    """The shipped CNN if a visitor has picked it already (else None: nothing is read for the asking)."""
    return shipped_cnn() if shipped_cnn.cache_info().currsize else None


def activate(visitor: Visitor | None, classifier: Classifier | None, lang: str = "en") -> tuple:
    """Outputs [page.visitor, page.model, page.model_info] that make `classifier` (None: the shipped
    one) the visitor's active model; the tabs follow page.model's change (the pad's weights,
    Explore's pictures)."""
    visitor = visitor_of(visitor)
    visitor.put("active", classifier)
    clf = classifier or shipped()
    return visitor, model_key(visitor, clf), describe_model(visitor, lang)


def model_key(visitor: Visitor, clf: Classifier) -> str:
    """What changes whenever the active model does: page.model's value."""
    return f"{visitor.key}:{clf.uid}"


def capitalised(message: str, values: dict | None = None) -> str:
    """The message with a capital first letter, unless it begins with one of its `values` (a file's
    name, as its owner gave it: "cnn_gelu.safetensors" was refused as "Cnn_gelu.safetensors")."""
    if any(str(value) and message.startswith(str(value)) for value in (values or {}).values()):
        return message
    return message[:1].upper() + message[1:]


def refusal(exc: Exception, lang: str, where: str) -> gr.Error:
    """A refused request as the page shows it: one line in the visitor's language, logged as one
    line (its first 200 characters), never a traceback."""
    message = capitalised(exc.message(language(lang)), getattr(exc, "values", None))
    LOG.info("refused %s: %s", where, message[:200])
    # Gradio shows the message as HTML: a visitor's own words in it must stay words. Only "&" and "<"
    # can start markup: ">" stays as it is (an API caller read "MLP(784 -&gt; 64 …)")
    return gr.Error(message.replace("&", "&amp;").replace("<", "&lt;"), title=text("error_title", lang),
                    print_exception=False)


def user_messages(handler):
    """The one place errors become messages: a MnistModelError, Refusal (the server's) or PageMessage raised inside
    `handler` (a function or a generator) reaches the page as a one-line gr.Error, in the language of
    the handler's `lang` argument. These are expected mistakes: logged as one line, not as a traceback."""
    def message(wrapper, exc: Exception, args, kwargs) -> gr.Error:
        # the wrapper's signature: the handler's, or the one gradio_internals.expose gave it
        lang = inspect.signature(wrapper).bind_partial(*args, **kwargs).arguments.get("lang", "en")
        return refusal(exc, lang, handler.__name__)

    if inspect.isgeneratorfunction(handler):
        @functools.wraps(handler)
        def stream(*args, **kwargs):
            try:
                yield from handler(*args, **kwargs)
            except Keyed as exc:
                raise message(stream, exc, args, kwargs) from None
        return stream

    @functools.wraps(handler)
    def call(*args, **kwargs):
        try:
            return handler(*args, **kwargs)
        except Keyed as exc:
            raise message(call, exc, args, kwargs) from None
    return call
