"""The Explore tab: inside the active model, live while you draw.

The page's own forward pass (LiveLayers) shows every hidden layer and the scores before and after
softmax on every pointer move. After each stroke (and when the tab opens on a new drawing) the
Explore pad hands the drawing over, and the server adds what needs a gradient or the weights in
full: the saliency map, the selected unit's detail, and its own numbers (forward hooks), the
reference the page's numbers are tested against. The neuron's view (Neuron) shows any hidden unit's
sum, bias, activation and output live from the page's forward pass, and the active model's dead
units. The first layer's weights follow the active model; after a training run, a slider shows them
before training and at its epochs' ends; the selected unit's detail shows it in whichever weights
the gallery shows.
"""

import gradio as gr
import numpy as np

from mnist_model.explain import Inside, first_layer_weights, look_inside

from . import visual
from .binding import Wiring
from .components import DigitPad, LiveLayers, Neuron, WeightsGallery, drawing_picture
from .errors import PageMessage
from .neuron import dead_value
from .page import Page, active, user_messages
from .render import inline_png, weights_picture
from .texts import I18N, text


def prompt_html(lang: str = "en") -> str:
    return f'<div class="prompt">{text("draw_prompt", lang)}</div>'


def unit_html(weights: np.ndarray, inside: Inside, unit: int | None, label: str | None, lang: str) -> str:
    """What one first-layer unit looks for and what it makes of this drawing, in the weights the gallery
    shows (`weights`, (units, 28, 28)): the active model's (`label` None: the unit's activation too), or
    those of the last run at one of its frames (`label`: "before" or an epoch)."""
    if unit is None or not 0 <= unit < len(weights):
        return ""
    if weights[unit].shape != inside.input.shape:  # a CNN's filter: its feature map shows where it fires
        return feature_map_html(weights, inside, unit, label, lang)
    contribution = weights[unit] * inside.input  # each pixel's share of the unit's sum, before bias and ReLU
    if label is None:
        activation = float(inside.activations[0][unit])
        rank = int((inside.activations[0] > activation).sum()) + 1
        detail = text("unit_detail", lang, unit=unit, activation=f"{activation:.3f}", rank=rank,
                      units=len(inside.activations[0]))
    else:
        caption, values = frame_caption(label)
        detail = text("unit_detail_frame", lang, unit=unit, frame=text(caption, lang, **values))
    return (f"<div>{detail}</div>"
            + inline_png(visual.enlarge(visual.diverging(weights[unit]), 6), "weights", "explore-img")
            + inline_png(visual.enlarge(visual.diverging(contribution), 6), "weights x input", "explore-img"))


def feature_map_html(weights: np.ndarray, inside: Inside, unit: int, label: str | None, lang: str) -> str:
    """A CNN's first-layer filter `unit` (5 x 5) and, for the active model, its feature map of this drawing."""
    detail = text("map_detail", lang, unit=unit)
    if label is not None:
        caption, values = frame_caption(label)
        detail = text("unit_detail_frame", lang, unit=unit, frame=text(caption, lang, **values))
    html = f"<div>{detail}</div>"
    html += inline_png(visual.enlarge(visual.diverging(weights[unit]), 24), "filter", "explore-img")
    if label is None:
        html += inline_png(visual.enlarge(visual.heat(inside.activations[0][unit]), 6), "feature map", "explore-img")
    return html


def numbers(inside: Inside) -> dict:
    """The server's own numbers for the drawing, from forward hooks on the real model."""
    return {"predicted": inside.predicted,
            "activations": [np.round(a, 5).tolist() for a in inside.activations],
            "logits": np.round(inside.logits, 5).tolist(),
            "probabilities": np.round(inside.probabilities, 6).tolist()}


@user_messages
def explore(drawing: str | None, visitor, unit: int | None, shown: int | None, lang: str = "en"):
    """The drawing (PNG data URL) -> input and saliency pictures, the selected unit's detail in the weights
    the gallery shows (`shown`: a frame of the last run, None: the active model's), numbers."""
    clf = active(visitor)
    picture = drawing_picture(drawing)
    digit = None if picture is None else clf.preprocess(picture)
    if digit is None:
        return prompt_html(lang), "", None
    inside = look_inside(clf.model, digit)
    pictures = (inline_png(visual.enlarge(visual.gray(inside.input), 8), "input", "explore-img")
                + inline_png(visual.enlarge(visual.saliency_overlay(inside.input, inside.saliency), 8), "saliency",
                             "explore-img"))
    label, weights = (None, first_layer_weights(clf.model)) if shown is None else frame(visitor, shown)
    return pictures, unit_html(weights, inside, unit, label, lang), numbers(inside)


@user_messages
def active_dead(visitor) -> dict | None:
    """The neuron's view names the active model's dead units (over MNIST's test set)."""
    return dead_value(active(visitor))


@user_messages
def active_weights(visitor) -> dict:
    """The gallery shows the active model's first layer (a CNN's: its first convolution's filters)."""
    weights = first_layer_weights(active(visitor).model)
    caption = "weights_active" if weights.shape[1] == 28 else "filters_active"
    return {"gallery": weights_picture(weights, caption), "shown": None}


@user_messages
def first_look(visitor, opened: bool) -> dict:
    """Explore opened: its gallery of the active model's weights, the first time (then it follows the
    model by itself). Not with the page's load: 117 KB that every phone of a class, which draws and
    never opens Explore, fetched on one Wi-Fi (bench/page_load.py)."""
    return {} if opened else {**active_weights(visitor), "opened": True}


@user_messages
def followed(visitor, opened: bool) -> dict:
    """The active model changed: the gallery shows it, when Explore has been opened (a class's phones,
    sent the class's model, fetched the weights' pictures they never looked at)."""
    return active_weights(visitor) if opened else {}


def frame_caption(label: str) -> tuple[str, dict]:
    return ("weights_before", {}) if label == "before" else ("weights_epoch_end", {"epoch": label})


def frame(visitor, index: int) -> tuple[str, np.ndarray]:
    """The last run's first layer at one of its frames (0: before training): its label and (units, 28, 28)."""
    frames = None if visitor is None else visitor.get("frames")
    if not frames:
        raise PageMessage("no_run")
    label, weights = frames[int(min(max(index or 0, 0), len(frames) - 1))]
    return label, first_layer_weights(weights.astype(np.float32))


@user_messages
def frame_weights(visitor, index: int, lang: str = "en") -> dict:
    """The gallery shows the last run's first layer at one of its frames."""
    label, weights = frame(visitor, index)
    caption, values = frame_caption(label)
    return {"gallery": weights_picture(weights, caption, **values), "shown": index}


def frames_slider(frames):
    """A run finished: the slider over its frames (before training, then its epochs' ends), at the last."""
    count = frames[0] if frames else 0
    return gr.Slider(0, max(1, count - 1), value=max(0, count - 1), step=1, interactive=count > 1)


def pick_unit(unit):
    return unit


def build(page: Page) -> None:
    c = {"visitor": page.visitor, "lang": page.lang, "model": page.model, "frames": page.frames,
         "unit": gr.State(None),  # the first-layer unit picked in the gallery
         "shown": gr.State(None),  # the frame of the last run the gallery shows (None: the active model's weights)
         "opened": gr.State(False)}  # whether the page has had its model's gallery (see first_look)
    with gr.Tab(I18N("tab_explore"), id="explore") as c["tab"]:
        gr.Markdown(I18N("explore_intro"))
        with gr.Accordion(I18N("lesson_title"), open=False):
            gr.Markdown(I18N("lesson"))
        with gr.Row(equal_height=False, elem_id="explore-area"):
            with gr.Column(scale=1, min_width=280):
                c["pad"] = DigitPad(send="always", elem_id="explore-sketch")
                gr.Markdown(I18N("inside_input"))
                # (at first the prompt alone, in the page's language, which Gradio words: Python's, in English, stayed)
                c["inside"] = gr.HTML(I18N("draw_prompt"), elem_id="inside")
            with gr.Column(scale=2, elem_id="layers-column"):
                LiveLayers(elem_id="layers")  # fed by the page, not by Python
                c["neuron"] = Neuron(elem_id="neuron")  # live from the page; its dead units from Python
        with gr.Row(equal_height=False):
            with gr.Column(scale=3):
                c["gallery"] = WeightsGallery(elem_id="weights")
                c["slider"] = gr.Slider(0, 1, value=0, step=1, label=I18N("weights_frames"), interactive=False,
                                        elem_id="weights-frames")
            with gr.Column(scale=1):
                gr.Markdown(I18N("unit"))
                c["unit_detail"] = gr.HTML(elem_id="unit")
        # the server's own numbers (forward hooks): for the API and the page's tests, not for the class
        c["numbers"] = gr.JSON(elem_id="numbers", visible=False)
        gr.Markdown(I18N("language_hint"))
    _wire(page, c)


def _wire(page: Page, c: dict) -> None:
    w = Wiring(c, {"gallery": "picture"})
    views = ("inside", "unit_detail", "numbers")
    looked_at = ("pad", "visitor", "unit", "shown", "lang")
    w.on(c["pad"].change, explore, looked_at, views, api_name="look_inside", trigger_mode="always_last",
         show_progress="hidden", concurrency_limit=16, concurrency_id="light")

    def then_explore(event) -> None:
        """After `event`, the drawing's views again: the unit's detail follows the unit and weights shown."""
        w.on(event.then, explore, looked_at, views, api_name=False, show_progress="hidden")

    then_explore(w.on(c["gallery"].change, pick_unit, ("gallery",), ("unit",), api_name=False))
    w.on(c["tab"].select, first_look, ("visitor", "opened"), ("gallery", "shown", "opened"), by_name=True,
         api_name=False, show_progress="hidden")
    # a new model: the gallery follows it once Explore has been opened (first_look shows it then)
    then_explore(w.on(c["model"].change, followed, ("visitor", "opened"), ("gallery", "shown"), by_name=True,
                      api_name=False))
    for trigger in (page.blocks.load, c["model"].change):
        w.on(trigger, c["neuron"].updating(active_dead, "dead"), ("visitor",), ("neuron",), api_name=False)
    at_frame = (("visitor", "slider", "lang"), ("gallery", "shown"))
    slid = w.on(c["frames"].change, frames_slider, ("frames",), ("slider",), api_name=False)
    then_explore(w.on(slid.then, frame_weights, *at_frame, by_name=True, api_name=False))
    then_explore(w.on(c["slider"].release, frame_weights, *at_frame, by_name=True, api_name=False))
