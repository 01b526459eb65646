"""The page's own components, built on Gradio's extension point for them (gr.HTML with JavaScript).

    DigitPad    a canvas to draw on with mouse, finger or pen; its value is the drawing as a PNG data
                URL, handed to Python only when something there needs it
    Answer      the digit, ten probabilities and the 28 x 28 input; updated by the page every frame,
                or by Python (an uploaded photo; a model too big for the page)
    LiveLayers  Explore's live view: every hidden layer's activations, the scores before and after softmax

and Gradio's own components where the app needs another behaviour: PictureUpload (a picture's
path, never decoded by Gradio), OptionalCheckbox and OptionalSlider (an API client may leave them out).

Their behaviour is in app_ui/static/*.js, their looks in the .css and .html files beside it. Python
hands them what JavaScript must agree on: the pad's size and brush, the preprocessing constants, the
heat map's colours (`PAGE_CONFIG`), and the visitor's model (`model_payload`).
"""

import base64

import gradio as gr
import numpy as np

from mnist_model import Classifier, InvalidImageError, preprocess
from mnist_model.i18n import LANGUAGES, TEXTS, text
from mnist_model.pen import BRUSH_RADIUS, PAD_SIZE
from mnist_model.visual import HEAT_PALETTE

from . import assets

MAX_PAGE_PARAMETERS = 1_000_000  # a bigger model stays on the server (its payload would be over 4 MB)

PAGE_CONFIG = {
    "pad_size": PAD_SIZE,
    "brush_radius": BRUSH_RADIUS,
    "field": preprocess.FIELD,
    "box": preprocess.BOX,
    "centre": list(preprocess.CENTRE),
    "ink_threshold": preprocess.INK_THRESHOLD,
    "blank_extent": preprocess.BLANK_EXTENT,
    "blank_min_pixels": preprocess.BLANK_MIN_PIXELS,
    "palette": HEAT_PALETTE.astype(int).tolist(),
    "language_marker": TEXTS["zh-CN"]["tab_draw"],  # in the tab bar when Gradio shows Chinese (language.js)
}


def page_texts(*keys: str) -> dict[str, dict[str, str]]:
    """The strings a component shows, in every language, {placeholders} unfilled; the page picks the
    language Gradio shows."""
    return {lang: {key: TEXTS[lang][key] for key in keys} for lang in LANGUAGES}


def model_payload(clf: Classifier) -> dict:
    """The model for the page: its layer sizes and all weights and biases as one base64 string of
    little-endian float32 (each layer's weight, out x in, then its bias). A model over
    MAX_PAGE_PARAMETERS gets no weights: the page then asks the server after each stroke."""
    layers = clf.model.layers
    sizes = [layers[0].in_features, *(layer.out_features for layer in layers)]
    count = sum(p.numel() for p in clf.model.parameters())
    if count > MAX_PAGE_PARAMETERS:
        return {"sizes": sizes, "parameters": count, "server": True}
    arrays = [t.detach().cpu().numpy().ravel() for layer in layers for t in (layer.weight, layer.bias)]
    data = np.concatenate(arrays).astype("<f4").tobytes()
    return {"sizes": sizes, "parameters": count, "data": base64.b64encode(data).decode("ascii")}


DATA_URL_PREFIX = "data:image/png;base64,"
MAX_DRAWING_CHARS = 2_000_000  # a pad's PNG is some 10 kB; anything this large is not one


def drawing_picture(value: str | None):
    """The pad's value (a PNG data URL) as a picture for mnist_model, None for an empty pad;
    InvalidImageError for anything else."""
    if not value:
        return None
    if not isinstance(value, str) or not value.startswith(DATA_URL_PREFIX) or len(value) > MAX_DRAWING_CHARS:
        raise InvalidImageError("drawing_not_png")
    try:
        data = base64.b64decode(value[len(DATA_URL_PREFIX):], validate=True)
    except ValueError:
        raise InvalidImageError("drawing_not_base64") from None
    return preprocess.load_picture(data)


class PageComponent(gr.HTML):
    """One of the page's own components: its template and stylesheet (static/NAME.html, NAME.css),
    mounted by DigitPad.MOUNT from the page's scripts (static/*.js), handed the constants the page
    shares with Python (PAGE_CONFIG) and its TEXTS in every language."""

    NAME: str
    MOUNT: str
    TEXTS: tuple[str, ...]

    def __init__(self, value=None, **props):
        super().__init__(
            value=value,
            html_template=assets.text(f"{self.NAME}.html"),
            css_template=assets.text(f"{self.NAME}.css"),
            js_on_load=f"DigitPad.{self.MOUNT}({{element, props, watch}});",
            head=assets.head(),
            config=PAGE_CONFIG,
            texts=page_texts(*self.TEXTS),
            **props,
        )


class DigitPad(PageComponent):
    """A drawing pad made for digits: ready for the pen at once, Undo, Clear and Full screen.

    `send` says when the drawing goes to Python (as its new value, for which Gradio sends a change
    event): "always" after each stroke while the pad is shown (for views the server computes), or
    "server-model" only while the visitor's model is too big for the page. `model` (a
    model_payload) makes this the pad that carries the visitor's model into the page; one pad on
    the page does."""

    NAME, MOUNT, TEXTS = "pad", "mountPad", ("undo", "clear", "fullscreen", "pad_hint")

    def __init__(self, *, send: str = "server-model", model: dict | None = None, **kwargs):
        extra = {} if model is None else {"model": model}
        super().__init__(send=send, fullscreen_target="#draw-area", **extra, **kwargs)

    def api_info(self) -> dict:
        return {"type": "string", "description": "a drawing as a PNG data URL (data:image/png;base64,...)"}


class Answer(PageComponent):
    """What the network says: the digit, ten probabilities, the 28 x 28 input it saw.

    Its value, when Python sets it, is {"digit", "probabilities", "input"} (see `answer_value`);
    with `live`, the page repaints it from its own forward pass every frame the drawing changes."""

    NAME, MOUNT, TEXTS = "answer", "mountAnswer", ("draw_prompt", "preview", "probabilities", "server_model")

    def __init__(self, value: dict | None = None, *, live: bool = True, **kwargs):
        super().__init__(value, live=live, **kwargs)

    def api_info(self) -> dict:
        return {
            "type": "object",
            "description": "digit: the answer (null when no digit was found, with a message); "
                           "probabilities: ten numbers for 0..9; input: the 28 x 28 picture the network saw",
        }


def answer_value(clf: Classifier, digit: np.ndarray | None, lang: str) -> dict:
    """Answer's value for one preprocessed input (None: nothing drawn)."""
    if digit is None:
        return {"digit": None, "message": text("draw_prompt", lang), "probabilities": None, "input": None}
    probabilities = clf.probabilities(digit)
    return {"digit": int(probabilities.argmax()), "probabilities": [round(float(p), 6) for p in probabilities],
            "input": np.round(digit, 4).tolist()}


class LiveLayers(PageComponent):
    """Explore's live view of the page's forward pass: hidden layers and scores, every frame."""

    NAME, MOUNT, TEXTS = "layers", "mountLayers", ("hidden_layers", "scores", "softmax", "layer")


class PictureUpload(gr.Image):
    """A picture upload whose value is the uploaded file's path, never decoded by Gradio: the handler
    reads it with preprocess.load_picture, which checks its size by its header first, decodes it
    shrunk, and refuses what it cannot read with a one-line message in the page's language."""

    def preprocess(self, payload):
        return None if payload is None else payload.path

    def get_block_name(self) -> str:
        return "image"  # Gradio's front end for it (a subclass would otherwise look for its own)


class OptionalCheckbox(gr.Checkbox):
    """A checkbox that may hold no value (None): an API call that leaves it out gets the preset's."""

    def postprocess(self, value):
        return None if value is None else super().postprocess(value)

    def get_block_name(self) -> str:
        return "checkbox"


class OptionalSlider(gr.Slider):
    """A slider that an API client may leave empty (None, as a raw request does for a parameter it
    leaves out): it then takes the slider's own default, where Gradio's would fail the whole request."""

    def preprocess(self, payload):
        return super().preprocess(self.value if payload is None else payload)

    def get_block_name(self) -> str:
        return "slider"
