"""The page's own components, built on Gradio's extension point for them (gr.HTML with JavaScript).

    DigitPad        a canvas to draw on with mouse, finger or pen; its value is the drawing as a PNG
                    data URL (inked with a pen fitted to the digit), handed to Python only when
                    something there needs it
    Answer          the digit, ten probabilities and the 28 x 28 input; updated by the page every
                    frame, or by Python (an uploaded photo; a model too big for the page)
    LiveLayers      Explore's live view: every hidden layer's activations, the scores before and after softmax
    Neuron          Explore's neuron: one hidden unit's weighted sum, bias, activation curve and output, live;
                    the active model's dead units
    CurvePlot       the Train tab's curves: one line per run, each its own colour, its legend whole
    WeightsGallery  the first layer's weights, one tile per unit, as one picture; a click picks a unit
    CollectionGallery  a class's drawings, by digit, each with the network's guess; a delete on each
    DigitAsked      the Teach tab's prompt, "Draw a 3": the digit the next Add stores
    GradioTexts     nothing to see: Gradio's own words that miss a language change (tab names, the
                    upload box, toast titles), said in the page's language
    page_head       the page's head: what Gradio announces to screen readers, in the page's language
                    from its first event on (announcements.js, inlined)
    before_the_app  what the page's HTML holds besides Gradio's app: the constants the page shares
                    with Python, the shared drawing, the forward passes and the pipeline, a pad to draw
                    on (and the network's answer) while Gradio's scripts come, and the shipped model

and Gradio's own components where the app needs another behaviour: PictureUpload (a picture's
path, never decoded by Gradio) and FileUpload, which take only files uploaded to this server
(UploadedOnly), and the form's raw fields (an API caller's value reaches the
package's validation as it was sent, so that a refusal names the field in the visitor's language).

Their behaviour is in app_ui/static/*.js, their looks in the .css and .html files beside it. Python
hands the page what JavaScript must agree on: the pad's size and pen, the preprocessing constants,
the heat map's colours, leaky ReLU's slope (`PAGE_CONFIG`, once, with the page's HTML:
`before_the_app`), and the visitor's model (`model_payload`).
"""

import base64
import functools
import hashlib
import json

import gradio as gr
import numpy as np
from gradio.exceptions import Error

from mnist_model import Classifier, InvalidImageError, preprocess
from mnist_model.model import CNN_KERNEL, CNN_POOL, INPUT_SIZE, LEAKY_SLOPE, cnn_shapes
from mnist_model.not_digits import NOT_A_DIGIT
from mnist_model.pen import BRUSH_RADIUS, MIN_RADIUS, PAD_SIZE, PEN_SHARE

from . import assets
from .gradio_internals import UploadedOnly, same_front_end
from .texts import LANGUAGES, TEXTS, text
from .visual import HEAT_PALETTE

MAX_PAGE_PARAMETERS = 1_000_000  # a bigger model stays on the server (its payload would be over 4 MB)
HESITANT_TOP = 0.6  # an answer whose top probability is under this ...
HESITANT_GAP = 0.25  # ... or whose runner-up is within this of it, names the runner-up ("7 — or 1?")

PAGE_CONFIG = {
    "pad_size": PAD_SIZE,
    "brush_radius": BRUSH_RADIUS,
    "pen_share": PEN_SHARE,
    "min_radius": MIN_RADIUS,
    "field": preprocess.FIELD,
    "box": preprocess.BOX,
    "centre": list(preprocess.CENTRE),
    "ink_threshold": preprocess.INK_THRESHOLD,
    "blank_extent": preprocess.BLANK_EXTENT,
    "blank_min_pixels": preprocess.BLANK_MIN_PIXELS,
    "hesitant_top": HESITANT_TOP,
    "hesitant_gap": HESITANT_GAP,
    "palette": HEAT_PALETTE.astype(int).tolist(),
    "leaky_slope": LEAKY_SLOPE,
    "not_a_digit": NOT_A_DIGIT,  # the 11th answer's index
    "languages": list(LANGUAGES),  # the page's languages (static/language.js) ...
    "language_key": "mnist-demo-language",  # ... and where the browser remembers the one picked in Settings
}


def page_texts(*keys: str) -> dict[str, dict[str, str]]:
    """The strings a component shows, in every language, {placeholders} unfilled; the page picks the
    language Gradio shows."""
    return {lang: {key: TEXTS[lang][key] for key in keys} for lang in LANGUAGES}


def model_payload(clf: Classifier, page_holds: str = "") -> dict:
    """The model for the page: its layer sizes, its activation and all weights and biases as one base64 string
    (each layer's weight, out x in, then its bias), little-endian: float16 when every number is one
    exactly (`"dtype": "float16"`, half the bytes: the shipped models' are), else float32. A model over
    MAX_PAGE_PARAMETERS gets no weights: the page then asks the server after each stroke. `digest`
    names the model, its weights and shape: the page already holds the one it names `page_holds` (the
    shipped model, which came with its HTML: before_the_app), whose weights are not sent again.

    The small CNN's (cnn.js) names its architecture and adds its feature maps' shapes ([channels, side]
    after each convolution), its filters' size and its pooling; its `sizes` are the numbers each stage
    hands on (784, each convolution's maps, the hidden units, 10), its weights in the same order as
    the MLP's (each layer's weight, torch's layout, then its bias)."""
    layers = clf.model.layers
    if clf.architecture == "cnn":
        maps = [list(shape) for shape in cnn_shapes()]
        sizes = [INPUT_SIZE, *(channels * side * side for channels, side in maps), layers[-2].out_features,
                 layers[-1].out_features]
        shape = {"architecture": "cnn", "sizes": sizes, "maps": maps, "kernel": CNN_KERNEL, "pool": CNN_POOL}
    else:
        shape = {"sizes": [layers[0].in_features, *(layer.out_features for layer in layers)]}
    shape.update(activation=clf.activation, parameters=clf.parameters)
    if clf.parameters > MAX_PAGE_PARAMETERS:
        return {**shape, "server": True}
    numbers = np.concatenate([t.detach().cpu().numpy().ravel() for layer in layers for t in (layer.weight, layer.bias)])
    half = np.array_equal(numbers.astype(np.float16).astype(numbers.dtype), numbers)
    data = numbers.astype("<f2" if half else "<f4").tobytes()
    shape["dtype"] = "float16" if half else "float32"
    # (a hash of the shape and the weights, kept to 16 hex digits)
    shape["digest"] = hashlib.sha256(json.dumps(shape, sort_keys=True).encode() + data).hexdigest()[:16]
    if shape["digest"] == page_holds:
        return shape
    return {**shape, "data": base64.b64encode(data).decode("ascii")}


DATA_URL_PREFIX = "data:image/png;base64,"
MAX_DRAWING_CHARS = 2_000_000  # a pad's PNG is some 10 kB; anything this large is not one
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


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
    if not data.startswith(PNG_SIGNATURE):  # (the pad's, never a file: not to be refused as one)
        raise InvalidImageError("drawing_not_png")
    return preprocess.load_picture(data)


class PageComponent(gr.HTML):
    """One of the page's own components: its template and stylesheet (static/NAME.html, NAME.css),
    mounted by mnistDemo.MOUNT from the page's scripts (static/*.js), handed its TEXTS in every
    language. (The constants the page shares with Python, PAGE_CONFIG, come once, with the page's
    HTML: before_the_app.)"""

    NAME: str
    MOUNT: str
    TEXTS: tuple[str, ...]

    def __init__(self, value=None, **props):
        # (an update of the component constructs it again, with its texts among the props)
        self.static_props = {**props, "texts": page_texts(*self.TEXTS)}
        super().__init__(
            value=value,
            html_template=assets.text(f"{self.NAME}.html"),
            css_template=assets.text(f"{self.NAME}.css"),
            js_on_load=f"mnistDemo.{self.MOUNT}({{element, props, watch, trigger}});",
            head=assets.head(),
            **self.static_props,
        )

    def update(self, **changes):
        """An update of some props, carrying every other prop as well: Gradio sends an update's props
        alone, and a component that mounts after the update arrived would otherwise lack the rest."""
        return gr.update(**{**self.static_props, **changes})

    def updating(self, handler, prop: str):
        """`handler` (any arguments -> a value for `prop`) as an event handler that updates this component."""
        @functools.wraps(handler)
        def update(*args):
            return self.update(**{prop: handler(*args)})
        return update


class DigitPad(PageComponent):
    """A drawing pad made for digits: ready for the pen at once, Undo, Clear and Full screen.

    `send` says when the drawing goes to Python (as its new value, for which Gradio sends a change
    event): "always" after each stroke while the pad is shown (for views the server computes),
    "server-model" only while the visitor's model is too big for the page, or "never". With
    `carries_model`, this is the pad that carries the visitor's model into the page (its `model`
    prop, a model_payload, set by an update); one pad on the page does. Every pad on the page shares
    one drawing."""

    NAME, MOUNT, TEXTS = "pad", "mountPad", ("undo", "clear", "fullscreen", "pad_hint")

    def __init__(self, *, send: str = "server-model", carries_model: bool = False, model: dict | None = None,
                 fullscreen_target: str = "#draw-area", **kwargs):
        super().__init__(send=send, fullscreen_target=fullscreen_target, carries_model=carries_model, model=model,
                         **kwargs)

    def api_info(self) -> dict:
        return {"type": "string", "description": "a drawing as a PNG data URL (data:image/png;base64,...)"}


class Answer(PageComponent):
    """What the network says: the digit, or "That's not a digit" (and, when it hesitates, its
    runner-up), the answers' probabilities, the 28 x 28 input it saw; with eleven answers, a switch to
    the ten digits alone.

    Its value, when Python sets it, is answer_value's; with `live`, the page repaints it from its
    own forward pass every frame the drawing changes."""

    NAME, MOUNT, TEXTS = "answer", "mountAnswer", ("draw_prompt", "preview", "probabilities", "server_model",
                                                    "or_maybe", "not_a_digit", "or_not_a_digit", "ten_only")

    def __init__(self, value: dict | None = None, *, live: bool = True, **kwargs):
        super().__init__(value, live=live, **kwargs)

    def api_info(self) -> dict:
        return {
            "type": "object",
            "description": "digit: the answer (null when no digit was found, with a message, or when the network "
                           "says it is not a digit); not_a_digit: true when a network with an 11th answer says so; "
                           "runner_up: the next guess when the network hesitates (10: not a digit), else null; "
                           "probabilities: one per answer, 0..9 (and not a digit); digits_only: with an 11th "
                           "answer, the ten digits' alone; input: the 28 x 28 picture the network saw",
        }


def runner_up(probabilities: np.ndarray) -> int | None:
    """The second guess when the network hesitates (its top probability is under HESITANT_TOP, or the
    second is within HESITANT_GAP of it), else None: answer.js decides the same way."""
    second, top = np.argsort(probabilities)[-2:]
    hesitant = probabilities[top] < HESITANT_TOP or probabilities[top] - probabilities[second] < HESITANT_GAP
    return int(second) if hesitant else None


def answer_value(clf: Classifier, digit: np.ndarray | None, lang: str) -> dict:
    """Answer's value for one preprocessed input (None: nothing drawn): the digit (None when the
    network says it is not a digit: `not_a_digit`), its runner-up (an answer: 10 is "not a digit"),
    every answer's probability (and, with an 11th answer, the ten digits' alone) and the input."""
    if digit is None:
        return {"digit": None, "not_a_digit": False, "runner_up": None, "message": text("draw_prompt", lang),
                "probabilities": None, "input": None}
    probabilities = clf.probabilities(digit)
    best = int(probabilities.argmax())
    not_a_digit = best == NOT_A_DIGIT  # (an 11th answer: the network says it is not a digit)
    value = {"digit": None if not_a_digit else best, "not_a_digit": not_a_digit, "runner_up": runner_up(probabilities),
             "probabilities": [round(float(p), 6) for p in probabilities], "input": np.round(digit, 4).tolist()}
    if len(probabilities) > NOT_A_DIGIT:  # what it would say with the ten digits only (answer.js's switch)
        digits = probabilities[:NOT_A_DIGIT].astype(np.float64)
        value["digits_only"] = [round(float(p), 6) for p in digits / digits.sum()]
    return value


class LiveLayers(PageComponent):
    """Explore's live view of the page's forward pass: hidden layers and scores, every frame."""

    NAME, MOUNT, TEXTS = "layers", "mountLayers", (
        "hidden_layers", "scores", "softmax", "layer", "layer_leaky_relu", "layer_sigmoid", "layer_tanh", "feature_maps",
        "maps_intro", "layer_dead", "cells_relu", "cells_leaky_relu", "cells_sigmoid", "cells_tanh")


class CurvePlot(PageComponent):
    """Curves of runs side by side, drawn by the page (plot.js): each run its own colour, a legend that
    names each run's recipe and stays whole, axes in the page's language.

    Its value: {"x": "steps" or "epochs", "y": "loss" or "accuracy", "runs": [{"label", "points":
    [[x, y], ...]}]} (curves.py makes it); the gradient's flow's also has a log scale, panels (a
    run's each), each line's colour and layer, and a legend of its own (curves.gradient_value)."""

    NAME, MOUNT, TEXTS = "plot", "mountPlot", ("axis_steps", "axis_epochs", "axis_loss", "axis_accuracy",
                                               "plot_empty", "loss_plot", "mnist_plot", "drawn_plot",
                                               "axis_gradient", "gradient_layer", "gradient_output",
                                               "gradient_plot", "step_gradient_plot", "step_gradient_empty")

    def __init__(self, value: dict | None = None, *, heading: str = "loss_plot", empty: str = "plot_empty", **kwargs):
        super().__init__(value, heading=heading, empty=empty, **kwargs)

    def api_info(self) -> dict:
        return {"type": "object", "description": "x: steps or epochs; y: loss, accuracy or gradient (the length "
                                                 "of a layer's gradient, on a log scale); runs: each line's "
                                                 "label and points [x, y]"}


class WeightsGallery(PageComponent):
    """The first layer's weights, one 28 x 28 tile per unit (red positive, blue negative), drawn by the
    page (weights.js) from one inline picture: no file on the server, no server path in the page.
    A click on a tile sets the value to that unit's index (a change event).

    Its picture comes from Python as {"tiles": data URL, "columns", "units", "caption": {"key",
    "values"}}, in the `picture` prop; the caption is shown in the page's language, whichever it is
    when the picture arrives or later."""

    NAME, MOUNT, TEXTS = "weights", "mountWeights", ("weights", "weights_unit", "weights_active", "weights_before",
                                                     "weights_epoch_end")

    def __init__(self, picture: dict | None = None, **kwargs):
        super().__init__(None, picture=picture, **kwargs)

    def api_info(self) -> dict:
        return {"type": "integer", "description": "the first-layer unit picked (its index)"}


class CollectionGallery(PageComponent):
    """A collection of drawings grouped by digit, each with the active model's guess (mistakes marked),
    counts per digit, a delete button on each for those who may delete (collection.js). Its
    drawings come in the `collection` prop (teaching.collection_view; None hides it); a delete sets
    the value to {"delete": id} (a change event)."""

    NAME, MOUNT, TEXTS = "collection", "mountCollection", ("collection_title", "collection_empty", "delete_drawing",
                                                           "wrong_count", "step_guess")

    def __init__(self, collection: dict | None = None, **kwargs):
        super().__init__(None, collection=collection, **kwargs)

    def api_info(self) -> dict:
        return {"type": "object", "description": "{delete: the id of a drawing to delete}"}


class DigitAsked(PageComponent):
    """The Teach tab's prompt ("Draw a 3", or something that is not a digit): what the next Add stores.
    Its value is the prompt as words, in the page's language (Python's for the page's load and the
    Add's answer, so that it reads right before the page's scripts have come), its `digit` prop the
    digit; the page words it again whenever the digit picker changes (teach_tab wires it, with no
    trip to the server) and when the page's language does."""

    NAME, MOUNT, TEXTS = "ask", "mountAsk", ("ask_digit", "ask_not_a_digit")
    FIRST = 0  # what a page's Teach tab asks for first (its picker's value when the page opens)

    def __init__(self, digit: int = FIRST, lang: str = "en", *, picker: str, **kwargs):
        super().__init__(self.words(digit, lang), digit=digit, picker=picker, **kwargs)  # picker: its elem_id

    @staticmethod
    def words(digit: int, lang: str) -> str:
        """"Draw a 7", or for NOT_A_DIGIT "Draw something that is not a digit"."""
        return text("ask_not_a_digit", lang) if int(digit) == NOT_A_DIGIT else text("ask_digit", lang, digit=int(digit))


class GradioTexts(PageComponent):
    """Gradio's own words that do not follow a language picked in Settings, or have none in Chinese
    (Gradio 6.31), said in the page's language: the tabs' names, the upload boxes' texts, the toasts'
    titles, what it announces to screen readers. Shows nothing; one on the page (hidden)."""

    NAME, MOUNT, TEXTS = "gradio_texts", "mountGradioTexts", ("tab_draw", "tab_train", "tab_explore", "tab_teach",
                                                               "upload_drop", "upload_drop_file", "upload_or",
                                                               "upload_click", "error_title", "page_title")


def script_json(value) -> str:
    """`value` as JSON to write inside a <script> element (no "</" in it to end the element early)."""
    return json.dumps(value).replace("</", "<\\/")


@functools.cache
def page_head() -> str:
    """The page's head (launch's `head`): static/announcements.js, inlined with its words, so that
    what Gradio announces to screen readers is in the page's language from its first event on (the
    page's other scripts arrive with its components, after a busy server may have answered its load),
    static/class_link.js (a page opened by a class's link offers no class of its own) and
    static/sign_in.js (the page's key and class, for its first event)."""
    words = script_json(page_texts("queue_position", "event_done"))
    return (f"<script>{assets.text('announcements.js')}\nmnistDemo.rewordAnnouncements({words});</script>"
            f"<script>{assets.text('class_link.js')}</script><script>{assets.text('sign_in.js')}</script>")


# The pad before the page shows only if the page's own pad has not come this long (ms) after the
# navigation began: on a fast link the page comes first, and no pad is shown twice
EARLY_PAD_DELAY_MS = 1000
EARLY_SCRIPTS = (  # in dependency order
    "drawing.js", "ink.js", "surface.js",  # the shared drawing, inking, a pad's surface
    "preprocess.js", "mlp.js", "cnn.js", "pipeline.js",  # the drawing -> the network's answer
    "early_pad.js",
)


@functools.cache
def before_the_app(pad: str, model: Classifier, class_link: bool = False) -> tuple[str, str]:
    """What Gradio's page holds besides Gradio's app (gradio_internals.BeforeTheApp): in its head,
    before Gradio's config and scripts, the constants the page shares with Python (`mnistDemo.config`:
    the one place they come from, before any of the page's scripts), the shared drawing, the network's
    forward pass and the pipeline that runs it, and a pad to draw on until `pad` (the page's, by
    elem_id) has come, whose strokes are `pad`'s (static/early_pad.js: a phone on a class's share of
    the Wi-Fi draws long before Gradio's scripts have come) and says the network's answer; at the end
    of its body, `model`'s weights (the model a new visitor gets), for the pipeline to hold and run
    (the page's load then tells the server so, and gets them named, not sent again: model_payload's
    `page_holds`).

    On a `class_link` page (?class=CODE) `pad` is the Teach tab's: the pad before the page asks for
    the digit the Teach tab asks for first (DigitAsked.FIRST, which its first Add stores) and says no
    answer. Its weights come in the HTML too: a student's load then sends none (a class's phones join
    before the teacher has sent them a model of the class's), and its Teach tab comes sooner for it."""
    scripts = "\n".join(assets.text(name) for name in EARLY_SCRIPTS)
    start = (f"(window.mnistDemo = window.mnistDemo || {{}}).config = {script_json(PAGE_CONFIG)};\n{scripts}\n"
             f"mnistDemo.mlp.configure(mnistDemo.config);\nmnistDemo.pipeline.start();")
    texts = page_texts("early_pad", "early_pad_add", "pad_hint", "not_a_digit")
    if class_link:
        for lang, words in texts.items():
            words["early_pad"] = DigitAsked.words(DigitAsked.FIRST, lang)
    settings = {"name": pad, "texts": texts, "delay": EARLY_PAD_DELAY_MS, "answers": not class_link}
    return (f"<style>{assets.text('early_pad.css')}</style>"
            f"<script>{start}\nmnistDemo.earlyPad.open({script_json(settings)});</script>",
            f"<script>mnistDemo.pipeline.hold({script_json(model_payload(model))});</script>")


class PictureUpload(UploadedOnly, gr.Image):
    """A picture upload whose value is the uploaded file's path, never decoded by Gradio: the handler
    reads it with preprocess.load_picture, which checks its size by its header first, decodes it
    shrunk, and refuses what it cannot read with a one-line message in the page's language."""

    get_block_name = same_front_end(gr.Image)


class FileUpload(UploadedOnly, gr.File):
    """A file upload (one file) whose value is its path. (No __init__ of its own: Gradio builds a
    component's page config from its __init__'s signature.)"""

    get_block_name = same_front_end(gr.File)


class OneChoice(gr.Dropdown):
    """A dropdown of one choice. Gradio's takes a list of its choices even when it is not multiselect,
    and hands the list on (a handler looking it up then fails with a traceback); here a list is
    refused as a value outside the choices is, before any handler runs."""

    get_block_name = same_front_end(gr.Dropdown)

    def preprocess(self, payload):
        if isinstance(payload, list) and not self.multiselect:
            raise Error(f"Value: {payload!r} is a list, for a choice of one")
        return super().preprocess(payload)


# --- the training form's fields: an API caller's value goes to the package as it was sent -----------


class RawField:
    """A form field whose value reaches the handler untouched: None when left out (the preset's
    value), anything else as sent, for mnist_model.config to accept or refuse naming the field (where
    Gradio's own fields would convert it first, and fail with no message on text in a number field)."""

    def preprocess(self, payload):
        return payload

    def postprocess(self, value):
        return value


class RawTextbox(RawField, gr.Textbox):
    get_block_name = same_front_end(gr.Textbox)


class RawNumber(RawField, gr.Number):
    get_block_name = same_front_end(gr.Number)


class RawDropdown(RawField, gr.Dropdown):
    get_block_name = same_front_end(gr.Dropdown)


class RawCheckbox(RawField, gr.Checkbox):
    get_block_name = same_front_end(gr.Checkbox)


class RawSlider(RawField, gr.Slider):
    get_block_name = same_front_end(gr.Slider)


class RawRadio(RawField, gr.Radio):
    get_block_name = same_front_end(gr.Radio)


class Neuron(PageComponent):
    """Explore's neuron (neuron.js): the picked hidden unit's weighted sum of its inputs, its bias, the
    activation function's curve with the unit's point on it, and its output, from the page's own
    forward pass on every frame; a click on any hidden layer's cell (or a first-layer tile) picks the
    unit. Below it, the active model's dead units, in its `dead` prop (app_ui/neuron.py's dead_value),
    each a button that picks it; the layer heat maps mark them."""

    NAME, MOUNT, TEXTS = "neuron", "mountNeuron", (
        "neuron_heading", "neuron_title", "neuron_weighted", "neuron_bias", "neuron_sum", "neuron_output",
        "neuron_whatif", "neuron_whatif_shift", "neuron_whatif_reset", "neuron_slope",
        "neuron_relu", "neuron_sigmoid", "neuron_tanh", "neuron_leaky_relu", "neuron_hint", "neuron_draw",
        "neuron_none", "neuron_server", "neuron_cnn", "dead_badge", "dead_title", "dead_layer", "dead_none", "dead_nowhere",
        "dead_no_data",
        "dead_means_relu", "dead_means_leaky_relu", "dead_means_sigmoid", "dead_means_tanh")

    def __init__(self, dead: dict | None = None, **kwargs):
        super().__init__(None, dead=dead, **kwargs)
