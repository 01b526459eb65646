"""The Train tab: train a network from the page and watch it learn, one run beside another, or one
optimiser step at a time; then use, save, download or load models.

Layout and wiring only: the handlers are training.py's. The form is made from mnist_model.config's
FIELDS (the lesson's fields in view, the others folded), and the handlers' inputs and outputs are
bound to components by name.
"""

import gradio as gr

from app_server.training import STEP_LIMIT
from app_server.visitors import host_models
from mnist_model.config import FIELDS, PRESETS
from mnist_model.device import available_devices
from mnist_model.training_run import MAX_PACE

from . import assets, training
from .binding import Wiring
from .components import (
    CurvePlot,
    FileUpload,
    OneChoice,
    RawCheckbox,
    RawDropdown,
    RawNumber,
    RawRadio,
    RawSlider,
    RawTextbox,
)
from .page import Page, choice_text, model_choices
from .texts import I18N

CONTROLS = {
    "hidden": lambda f: RawTextbox(label=I18N(f"field_{f.name}")),
    "int": lambda f: RawNumber(label=I18N(f"field_{f.name}"), precision=0),
    "float": lambda f: RawNumber(label=I18N(f"field_{f.name}"), step=0.05 if f.name != "lr" else None),
    "choice": lambda f: RawDropdown([(choice_text(f.name, choice), choice) for choice in f.choices], value=None,
                                    label=I18N(f"field_{f.name}")),
    "bool": lambda f: RawCheckbox(value=None, label=I18N(f"field_{f.name}")),
}


def _form(controls: dict) -> None:
    """The form's fields, made from FIELDS into `controls`: the lesson's in view, the others folded."""
    for f in FIELDS:
        if not f.advanced:
            controls[f.name] = CONTROLS[f.kind](f)
    with gr.Accordion(I18N("more_settings"), open=False):
        for f in FIELDS:
            if f.advanced:
                controls[f.name] = CONTROLS[f.kind](f)
        devices = [(I18N("device_cpu") if name == "cpu" else I18N("device_mps") if name == "mps" else label, name)
                   for name, label in available_devices()]
        controls["device"] = RawDropdown(devices, value=devices[0][1], label=I18N("device"))


def build(page: Page) -> None:
    runs = gr.State([], time_to_live=3600)  # the finished runs' curves on the plots (curves.Curves), the latest last
    step_flow = gr.State(None, time_to_live=3600)  # Step's gradient lengths so far (curves.step_flow)
    c: dict[str, gr.components.Component] = {"lang": page.lang, "visitor": page.visitor, "runs": runs,
                                             "frames": page.frames, "step_flow": step_flow, "model": page.model,
                                             "model_info": page.model_info}
    with gr.Tab(I18N("tab_train"), id="train"):
        gr.Markdown(I18N("train_intro"))
        with gr.Row(elem_id="train-area"):
            with gr.Column(scale=1, min_width=300, elem_id="train-form"):
                c["preset"] = RawRadio([(I18N(f"preset_{name}"), name) for name in PRESETS], value="fast",
                                       label=I18N("preset"))
                with gr.Row():
                    c["train"] = gr.Button(I18N("train"), variant="primary", elem_id="train-button")
                    c["step_button"] = gr.Button(I18N("step"), elem_id="step-button")
                    c["stop"] = gr.Button(I18N("stop"), variant="stop", elem_id="stop-button")
                c["go_on"] = gr.Checkbox(False, label=I18N("go_on"), elem_id="go-on")
                c["pace"] = RawSlider(0, MAX_PACE, value=0, step=1, label=I18N("pace"))
                _form(c)
                with gr.Accordion(I18N("step_lesson_title"), open=False):
                    gr.Markdown(I18N("step_lesson"))
                with gr.Accordion(I18N("gradient_lesson_title"), open=False, elem_id="gradient-lesson"):
                    gr.Markdown(I18N("gradient_lesson"))
            with gr.Column(scale=2, min_width=320):
                c["progress"] = gr.HTML(elem_id="train-progress")
                c["loss_plot"] = CurvePlot(heading="loss_plot", elem_id="loss-plot")
                # (the gradient's lesson, second: a projector shows it with the loss, not under the accuracies)
                c["gradient_plot"] = CurvePlot(heading="gradient_plot", elem_id="gradient-plot")
                with gr.Row():
                    c["mnist_plot"] = CurvePlot(heading="mnist_plot", elem_id="mnist-plot")
                    c["drawn_plot"] = CurvePlot(heading="drawn_plot", elem_id="drawn-plot")
                c["runs_table"] = gr.HTML(elem_id="runs-table")  # the finished runs' figures, side by side
                c["clear"] = gr.Button(I18N("clear_runs"), size="sm")
                c["step"] = gr.HTML(elem_id="step")
                c["step_gradient_plot"] = CurvePlot(heading="step_gradient_plot", empty="step_gradient_empty",
                                                        elem_id="step-gradient-plot")
                c["summary"] = gr.Markdown()
                c["per_digit"] = gr.HTML(elem_id="per-digit")
                c["confusion"] = gr.HTML(elem_id="confusion")
                c["mistakes"] = gr.HTML(elem_id="mistakes")
                with gr.Row():
                    c["use"] = gr.Button(I18N("use"), variant="primary", interactive=False, elem_id="use-button")
                    c["download"] = gr.DownloadButton(I18N("download"), interactive=False)
                with gr.Row():
                    c["save_name"] = gr.Textbox(label=I18N("save_name"), placeholder=I18N("save_name_example"))
                    c["save"] = gr.Button(I18N("save"), interactive=False)
                c["save_message"] = gr.Markdown()
        with gr.Accordion(I18N("saved_models"), open=False):
            with gr.Row():
                c["saved"] = OneChoice(model_choices(host_models()), value="shipped", label=I18N("saved_list"))
                c["load"] = gr.Button(I18N("load"))
                c["reset"] = gr.Button(I18N("reset"))
                c["checkpoint"] = FileUpload(label=I18N("upload_checkpoint"), file_types=[".safetensors"],
                                             type="filepath", elem_id="checkpoint-upload")
            c["active_here"] = gr.Markdown(elem_id="saved-active")  # the model line, again, where the choice was made
    _wire(page, c)


def _wire(page: Page, c: dict) -> None:
    w = Wiring(c)
    form = tuple(f.name for f in FIELDS)
    w.on(c["preset"].change, training.preset_values, ("preset",), form, api_name=False)
    w.on(page.blocks.load, training.preset_values, ("preset",), form, api_name=False)
    w.on(c["train"].click, training.train_stream, training.TRAIN_INPUTS, training.TRAIN_OUTPUTS, by_name=True,
         api_name="train", concurrency_limit=None, show_progress="hidden")
    w.on(c["stop"].click, training.stop_run, ("visitor", "lang"), ("progress",), api_name="stop")
    stepped = w.on(c["step_button"].click, training.step_once, training.STEP_INPUTS, training.STEP_OUTPUTS,
                   by_name=True, api_name="step", concurrency_limit=STEP_LIMIT)
    w.on(stepped.success, training.step_plot, ("step_flow",), ("step_gradient_plot",), by_name=True, api_name=False)
    w.on(c["clear"].click, training.clear_runs, (), ("runs", "loss_plot", "mnist_plot", "drawn_plot", "gradient_plot"),
         by_name=True, api_name="clear_runs")
    w.on(c["clear"].click, None, (), ("runs_table",), js=assets.EMPTY_JS, api_name=False)  # (the runs' figures go too)
    model_out = ("visitor", "model", "model_info")
    # which network now runs, said where it was chosen too (the page's model line is at its top)
    w.on(c["model_info"].change, None, ("model_info",), ("active_here",), js=assets.SAME_JS, api_name=False,
         show_progress="hidden")
    page.for_trained.update(use=c["use"], save=c["save"])
    w.on(c["use"].click, training.use_trained, ("visitor", "lang"), model_out, api_name="use_trained")
    w.on(c["save"].click, training.save_trained, ("save_name", "visitor", "lang"), ("save_message", "saved", "visitor"),
         api_name="save")
    w.on(c["saved"].focus, training.saved_choices, ("visitor",), ("saved",), api_name=False)
    w.on(c["load"].click, training.load_saved, ("saved", "visitor", "lang"), model_out, api_name="load_checkpoint")
    w.on(c["reset"].click, training.reset_model, ("visitor", "lang"), model_out, api_name="reset_model")
    w.on(c["checkpoint"].upload, training.load_uploaded, ("checkpoint", "visitor", "lang"), model_out,
         api_name="upload_checkpoint")