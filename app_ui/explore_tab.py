"""The Explore tab: inside the active model, live while you draw.

The page's own forward pass (LiveLayers) shows every hidden layer and the scores before and after
softmax on every pointer move. After each stroke (and when the tab opens on a new drawing) the
Explore pad hands the drawing over, and the server adds what needs a gradient or the weights in
full: the saliency map, the selected unit's detail, and its own numbers (forward hooks), the
reference the page's numbers are tested against.
"""

import gradio as gr
import numpy as np

from mnist_model import visual
from mnist_model.explain import Inside, first_layer_weights, look_inside
from mnist_model.i18n import text

from .components import DigitPad, LiveLayers, drawing_picture
from .page import I18N, Page, PageMessage, active, user_messages
from .render import inline_png, weight_gallery


def prompt_html(lang: str = "en") -> str:
    return f'<div class="prompt">{text("draw_prompt", lang)}</div>'


def unit_html(clf, inside: Inside, unit: int | None, lang: str) -> str:
    """What one first-layer unit looks for, and what it made of this drawing."""
    if unit is None or unit >= len(inside.activations[0]):
        return ""
    weights = first_layer_weights(clf.model)[unit]
    activation = float(inside.activations[0][unit])
    rank = int((inside.activations[0] > activation).sum()) + 1
    contribution = weights * inside.input  # each pixel's share of the unit's sum, before bias and ReLU
    detail = text("unit_detail", lang, unit=unit, activation=f"{activation:.3f}", rank=rank,
                  units=len(inside.activations[0]))
    return (f"<div>{detail}</div>"
            + inline_png(visual.enlarge(visual.diverging(weights), 6), "weights", "explore-img")
            + inline_png(visual.enlarge(visual.diverging(contribution), 6), "weights x input", "explore-img"))


def numbers(inside: Inside) -> dict:
    """The server's own numbers for the drawing, from forward hooks on the real model."""
    return {"predicted": inside.predicted,
            "activations": [np.round(a, 5).tolist() for a in inside.activations],
            "logits": np.round(inside.logits, 5).tolist(),
            "probabilities": np.round(inside.probabilities, 6).tolist()}


@user_messages
def explore(drawing: str | None, classifier, unit: int | None, lang: str = "en"):
    """The drawing (PNG data URL) -> input and saliency pictures, the selected unit's detail, numbers."""
    clf = active(classifier)
    picture = drawing_picture(drawing)
    digit = None if picture is None else clf.preprocess(picture)
    if digit is None:
        return prompt_html(lang), "", None
    inside = look_inside(clf.model, digit)
    pictures = (inline_png(visual.enlarge(visual.gray(inside.input), 8), "input", "explore-img")
                + inline_png(visual.enlarge(visual.saliency_overlay(inside.input, inside.saliency), 8), "saliency",
                             "explore-img"))
    return pictures, unit_html(clf, inside, unit, lang), numbers(inside)


def active_weights(classifier) -> list[str]:
    return weight_gallery(first_layer_weights(active(classifier).model))


def pick_unit(evt: gr.SelectData) -> int:
    return evt.index


@user_messages
def epoch_weights(snapshots: list | None, epoch: int, lang: str = "en"):
    if not snapshots:
        raise PageMessage(text("no_run", lang))
    epoch = int(min(max(epoch or 1, 1), len(snapshots)))
    return weight_gallery(first_layer_weights(snapshots[epoch - 1]))


def epoch_slider(snapshots: list | None):
    return gr.Slider(1, max(2, len(snapshots or [])), value=len(snapshots or []) or 1, step=1,
                     interactive=bool(snapshots))


def build(page: Page) -> None:
    with gr.Tab(I18N("tab_explore"), id="explore"):
        gr.Markdown(I18N("explore_intro"))
        with gr.Accordion(I18N("lesson_title"), open=False):
            gr.Markdown(I18N("lesson"))
        with gr.Row(equal_height=False):
            with gr.Column(scale=1, min_width=280):
                pad = DigitPad(send="always", elem_id="explore-sketch")
                gr.Markdown(I18N("inside_input"))
                inside_out = gr.HTML(prompt_html(), elem_id="inside")
            with gr.Column(scale=2):
                layers = LiveLayers(elem_id="layers")  # noqa: F841 (fed by the page, not by Python)
        with gr.Row():
            weights_out = gr.Gallery(active_weights(None), label=I18N("weights"), columns=16, height=420,
                                     allow_preview=False, elem_id="weights", scale=3)
            with gr.Column(scale=1):
                gr.Markdown(I18N("unit"))
                unit_out = gr.HTML(elem_id="unit")
        slider = gr.Slider(1, 2, value=1, step=1, label=I18N("weights_epoch"), interactive=False)
        with gr.Accordion(I18N("server_numbers"), open=False):
            numbers_out = gr.JSON(elem_id="numbers", show_label=False)
        gr.Markdown(I18N("language_hint"))
    unit = gr.State(None)  # the first-layer unit picked

    inputs, outputs = [pad, page.classifier, unit, page.lang], [inside_out, unit_out, numbers_out]
    pad.change(explore, inputs=inputs, outputs=outputs, api_name="look_inside", trigger_mode="always_last",
               show_progress="hidden", concurrency_limit=16)
    weights_out.select(pick_unit, outputs=unit, api_name=False).then(
        explore, inputs=inputs, outputs=outputs, api_name=False)
    page.classifier.change(active_weights, inputs=page.classifier, outputs=weights_out, api_name=False)
    page.snapshots.change(epoch_slider, inputs=page.snapshots, outputs=slider, api_name=False)
    slider.release(epoch_weights, inputs=[page.snapshots, slider, page.lang], outputs=weights_out, api_name=False)
