"""The Train tab: train a network from the page and watch it learn, one run beside another, or one
optimiser step at a time; then use, save, download or load models.

The training form is written once, as FIELDS: the preset filler, the handlers' inputs, the config
reader and the API's parameters (each optional, None taking the preset's value) all derive from it.
"""

import functools
import inspect
import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import gradio as gr
import pandas as pd
import torch

from mnist_model import Classifier
from mnist_model.data import MnistTensors, load_mnist
from mnist_model.device import available_devices, resolve_device
from mnist_model.drawn import VARIANTS, load_drawn
from mnist_model.evaluate import Report, report
from mnist_model.i18n import text
from mnist_model.model import parse_hidden
from mnist_model.step import RunState, go_on_from, new_run, take_step
from mnist_model.train import (
    OPTIMIZERS, PRESETS, SCHEDULES, EpochEnd, Evaluation, Finished, Progress, Stopped, TrainConfig,
    estimate_seconds, lease_seconds, preset, train,
)

from .components import OptionalCheckbox, OptionalSlider
from .hosting import LIMITS, listeners_gone
from .page import I18N, LOG, Page, PageMessage, activate, user_messages
from .render import confusion_html, duration, mistakes_html, per_digit_html, progress_html, step_html
from .workspace import Workspace, host_models, workspace_of

try:  # Hugging Face ZeroGPU: a GPU only inside functions decorated with spaces.GPU
    import spaces
except ImportError:
    spaces = None

DEVICES = available_devices()  # [(device string, label)], fastest first
EVALUATIONS = 12  # test-set measurements during a run (and one at every epoch's end): curves, not dots
MAX_RUNS = 5  # finished runs kept on the plots, per visitor
REFRESH = 0.3  # seconds between plot updates while training
HEARTBEAT = 1.0  # seconds: a run reports at least this often, so that one nobody follows ends soon


# --- the form, written once ------------------------------------------------------------------


@dataclass(frozen=True)
class Field:
    """One TrainConfig field on the form: its control, and how values pass between the two."""

    name: str
    control: Callable[[], gr.Component]  # made empty (None): the preset fills it on load
    shown: Callable[[Any], Any] = lambda value: value  # the config's value as the control shows it
    read: Callable[[Any], Any] = lambda value: value  # the control's value as the config takes it


FIELDS = (
    Field("hidden", lambda: gr.Textbox(label=I18N("hidden")),
          lambda hidden: ",".join(map(str, hidden)), lambda value: parse_hidden(str(value))),
    Field("epochs", lambda: gr.Number(label=I18N("epochs"), precision=0)),
    Field("batch_size", lambda: gr.Number(label=I18N("batch"), precision=0)),
    Field("lr", lambda: gr.Number(label=I18N("lr"))),
    Field("optimizer", lambda: gr.Dropdown(list(OPTIMIZERS), value=None, label=I18N("optimizer"))),
    Field("schedule", lambda: gr.Dropdown(list(SCHEDULES), value=None, label=I18N("schedule"))),
    Field("augment", lambda: OptionalCheckbox(value=None, label=I18N("augment")), read=bool),
    Field("drawn", lambda: gr.Number(label=I18N("drawn"), minimum=None, step=0.05)),
    Field("label_smoothing", lambda: gr.Number(label=I18N("label_smoothing"), step=0.05)),
    Field("seed", lambda: gr.Number(label=I18N("seed_field"), precision=0)),
)


def preset_values(name: str) -> list:
    """The form's values for a preset."""
    cfg = PRESETS[name]
    return [f.shown(getattr(cfg, f.name)) for f in FIELDS]


def read_config(preset_name: str | None, *values) -> TrainConfig:
    """The run's TrainConfig: the preset, with every filled-in field of the form over it; an
    impossible value raises ConfigError naming the field."""
    return preset(preset_name or "fast",
                  **{f.name: f.read(v) for f, v in zip(FIELDS, values) if v is not None and v != ""})


def recipe_label(preset_name: str | None, cfg: TrainConfig, lang: str, continued: int = 0) -> str:
    """A run's name on the plots: its preset, and what differs from it ("best, no drawn digits")."""
    name = preset_name or "fast"
    base = PRESETS[name]
    changes = []
    for f in FIELDS:
        value = getattr(cfg, f.name)
        if value != getattr(base, f.name):
            changes.append(text("no_drawn", lang) if f.name == "drawn" and not value else f"{f.name} {f.shown(value)}")
    if continued:
        changes.append(text("continued_run", lang, steps=continued))
    return ", ".join([name, *changes])


def expose(handler: Callable, *extra: str, request: bool = False) -> Callable:
    """Give a handler taking (preset, *values) the signature the API shows: the preset, FIELDS, then
    `extra`, all optional. With `request`, Gradio also passes the gr.Request, last among the values:
    it fills in a positional parameter whose annotation (read from __annotations__) is gr.Request."""
    names = ["preset", *(f.name for f in FIELDS), *extra]
    parameters = [inspect.Parameter(name, inspect.Parameter.POSITIONAL_OR_KEYWORD,
                                    default="fast" if name == "preset" else None) for name in names]
    if request:
        parameters.append(inspect.Parameter("request", inspect.Parameter.POSITIONAL_OR_KEYWORD, default=None,
                                            annotation=gr.Request))
        handler.__annotations__ = {"request": gr.Request}
    handler.__signature__ = inspect.Signature(parameters)
    return handler


# --- training, possibly inside a GPU lease ------------------------------------------------------


@functools.lru_cache(maxsize=2)
def mnist_on(device: str) -> MnistTensors:
    """MNIST on a device, read once per process ($MNIST_DATA_DIR or ./data; downloaded if missing)."""
    return load_mnist(None, device)


def training_data(cfg: TrainConfig, device) -> MnistTensors:
    """MNIST, and the pen-written digits (their held-out writers always; training drawings if used)."""
    mnist = mnist_on(str(device))
    return MnistTensors(mnist.train_x, mnist.train_y, mnist.test_x, mnist.test_y,
                        drawn=load_drawn(device, variants=VARIANTS if cfg.drawn else 0, seed=cfg.seed))


@dataclass
class Done:
    """A finished run with its evaluation, all on the CPU (what a GPU worker hands back)."""

    finished: Finished
    report: Report


def run_training(cfg: TrainConfig, device_name: str, pace: float | None, start: RunState | None,
                 stop: threading.Event | None = None):
    """Training events, then Done; on ZeroGPU this runs inside a GPU lease sized to the run."""
    device = resolve_device(device_name)
    data = training_data(cfg, device)
    for event in train(cfg, data, device, stop=stop, evaluations=EVALUATIONS, pace=pace,
                       start=None if start is None else start.start(), report_every=HEARTBEAT):
        if isinstance(event, Finished):  # the model is back on the CPU: judge it there
            drawn = None if data.drawn is None else load_drawn("cpu", variants=0)
            event = Done(event, report(event.model, data.test_x.cpu(), data.test_y.cpu(), drawn))
        yield event


def in_forked_worker(run):
    """`run` as a forked worker must run it: with one CPU thread. ZeroGPU's spaces.GPU forks this
    process for every run, and OpenMP's threads, once used here, hang in a forked child (PyTorch's
    own DataLoader workers take one thread for that reason); the training itself is on the GPU."""
    @functools.wraps(run)
    def worker(*args, **kwargs):
        torch.set_num_threads(1)
        yield from run(*args, **kwargs)
    return worker


if spaces is not None:  # spaces.GPU does nothing off ZeroGPU; on it, each run is a forked worker
    on_zero_gpu = os.environ.get("SPACES_ZERO_GPU", "").lower() in ("1", "true")
    run_training = spaces.GPU(duration=lambda cfg, *args: lease_seconds(cfg))(
        in_forked_worker(run_training) if on_zero_gpu else run_training)


# --- what the page shows ----------------------------------------------------------------------


@dataclass
class Curves:
    """One run's curves, x in epochs."""

    label: str
    loss: list[tuple[float, float]] = field(default_factory=list)
    accuracy: list[tuple[float, float, float | None]] = field(default_factory=list)  # (x, MNIST, drawn)


def plots(runs: list[Curves]) -> tuple[pd.DataFrame | None, ...]:
    """The loss, MNIST-accuracy and drawn-accuracy plots' data: one line per run (None: nothing yet,
    an empty plot; Gradio's plot does not recover from an empty data frame)."""
    loss = [{"epochs": x, "loss": y, "run": r.label} for r in runs for x, y in r.loss]
    mnist = [{"epochs": x, "accuracy": a, "run": r.label} for r in runs for x, a, _ in r.accuracy]
    drawn = [{"epochs": x, "accuracy": d, "run": r.label} for r in runs for x, _, d in r.accuracy if d is not None]
    return tuple(pd.DataFrame(rows) if rows else None for rows in (loss, mnist, drawn))


# --- the tab -----------------------------------------------------------------------------------


def check_budget(cfg: TrainConfig, device, lang: str) -> None:
    """Refuse, up front, a run this host's budget (hosting.LIMITS.run_seconds) cannot afford, saying
    what would fit."""
    size = len(mnist_on("cpu").train_y)  # the training set this server has (the same on any device)
    estimate, limit = estimate_seconds(cfg, str(device), train_size=size), LIMITS.run_seconds
    if estimate <= limit:
        return
    per_epoch = estimate / cfg.epochs
    epochs = int(limit // per_epoch)
    values = dict(estimate=duration(estimate), limit=duration(limit), epochs=epochs, epoch=duration(per_epoch))
    raise PageMessage(text("budget" if epochs else "budget_none", lang, **values))


def build(page: Page) -> None:
    trained = gr.State(None)  # this visitor's last finished run (a Classifier)
    runs = gr.State([])  # the finished runs' curves on the plots (Curves), the latest last
    stepping = gr.State(None)  # the run Step goes on with (a RunState); Train continues it once stepped
    stepped = gr.State(False)  # Step was pressed since the last Train
    # this visitor's saved models and download: deleted with their session
    workspace = gr.State(None, delete_callback=lambda ws: ws is not None and ws.delete())
    with gr.Tab(I18N("tab_train"), id="train"):
        gr.Markdown(I18N("train_intro"))
        with gr.Row():
            with gr.Column(scale=1, min_width=320):
                preset_in = gr.Radio([(I18N(f"preset_{name}"), name) for name in PRESETS], value="fast",
                                     label=I18N("preset"))
                form = [f.control() for f in FIELDS]
                device_in = gr.Dropdown([(label, name) for name, label in DEVICES], value=DEVICES[0][0],
                                        label=I18N("device"))
                pace_in = OptionalSlider(0, 50, value=0, step=1, label=I18N("pace"))
                with gr.Row():
                    train_btn = gr.Button(I18N("train"), variant="primary")
                    step_btn = gr.Button(I18N("step"))
                    stop_btn = gr.Button(I18N("stop"), variant="stop")
                with gr.Accordion(I18N("step_lesson_title"), open=False):
                    gr.Markdown(I18N("step_lesson"))
            with gr.Column(scale=2, min_width=320):
                progress_out = gr.HTML(elem_id="train-progress")
                loss_plot = gr.LinePlot(x="epochs", y="loss", color="run", label=I18N("loss_plot"), height=260,
                                        x_title=I18N("curve_x"), elem_id="loss-plot")
                with gr.Row():
                    mnist_plot = gr.LinePlot(x="epochs", y="accuracy", color="run", label=I18N("mnist_plot"),
                                             height=240, x_title=I18N("curve_x"))
                    drawn_plot = gr.LinePlot(x="epochs", y="accuracy", color="run", label=I18N("drawn_plot"),
                                             height=240, x_title=I18N("curve_x"))
                clear_btn = gr.Button(I18N("clear_runs"), size="sm")
                step_out = gr.HTML(elem_id="step")
                results_md = gr.Markdown()
                per_digit_out = gr.HTML(elem_id="per-digit")
                confusion_out = gr.HTML(elem_id="confusion")
                mistakes = gr.HTML(elem_id="mistakes")
                with gr.Row():
                    use_btn = gr.Button(I18N("use"), variant="primary")
                    download_btn = gr.DownloadButton(I18N("download"), interactive=False)
                with gr.Row():
                    name_in = gr.Textbox(label=I18N("save_name"), placeholder="my-model")
                    save_btn = gr.Button(I18N("save"))
                save_msg = gr.Markdown()
        with gr.Accordion(I18N("saved_models"), open=False):
            with gr.Row():
                saved_in = gr.Dropdown(list(host_models()), value="shipped", label=I18N("saved_list"))
                load_btn = gr.Button(I18N("load"))
                reset_btn = gr.Button(I18N("reset"))
                ckpt_upload = gr.File(label=I18N("upload_checkpoint"), file_types=[".safetensors"], type="filepath",
                                      elem_id="checkpoint-upload")

    def finished_outputs(done: Done, ws: Workspace, lang: str) -> dict:
        r, metrics = done.finished.result, done.report
        clf = Classifier(done.finished.model, {**r.metadata(), "hidden": list(r.config.hidden)})
        summary = text("summary", lang, accuracy=f"{r.test_accuracy:.2%}", epochs=r.config.epochs,
                       seconds=f"{r.elapsed:.1f}", device=r.device, rate=f"{r.samples_per_s:,.0f}")
        if r.drawn_accuracy is not None:
            summary += " " + text("summary_drawn", lang, accuracy=f"{r.drawn_accuracy:.2%}")
        return {progress_out: progress_html(None, lang, text("finished", lang)), results_md: summary,
                per_digit_out: per_digit_html(metrics.mnist.per_class, metrics.drawn and metrics.drawn.per_class, lang),
                confusion_out: confusion_html(metrics.mnist.confusion, lang),
                mistakes: mistakes_html(metrics.mistakes, lang), trained: clf,
                download_btn: gr.DownloadButton(value=str(ws.download(clf)), interactive=True)}

    @user_messages
    def train_model(preset_name, *values, device_name=None, pace=0, lang="en", runs_before=None,
                    continue_from=None, was_stepped=False, ws=None, request: gr.Request | None = None):
        """Train and stream the curves; the finished run is kept for this visitor, beside their last ones.

        Stop cancels this generator: training runs only while it is iterated, so it ends at once,
        before the run finishes, and nothing the visitor had (active model, saved files) changes.
        A run also stops at the host's time limit, and when nobody reads its stream any more."""
        cfg = read_config(preset_name, *values)
        device = resolve_device(device_name or "auto")  # refuse a missing device before anything starts
        check_budget(cfg, device, lang)
        ws = workspace_of(ws)
        start = continue_from if was_stepped and continue_from is not None \
            and continue_from.model.hidden == cfg.hidden else None
        curves = Curves(recipe_label(preset_name, cfg, lang, 0 if start is None else start.steps))
        kept = list(runs_before or [])[-(MAX_RUNS - 1):]
        snapshots, last, shown = [], None, 0.0
        stop = threading.Event()
        timer = threading.Timer(LIMITS.wall_seconds, stop.set)
        timer.daemon = True
        timer.start()
        yield {progress_out: progress_html(None, lang, text("loading", lang)), stepped: False, workspace: ws}
        try:
            for event in run_training(cfg, str(device), pace or None, start, stop):
                if listeners_gone(page.blocks, request):
                    LOG.info("ended a training run whose stream nobody reads")
                    return  # the run ends here, and nothing of it is kept
                if stop.is_set() and not isinstance(event, (Stopped, Done)):
                    # the time limit: here too, since on ZeroGPU the run is in a forked worker that this
                    # process's stop event does not reach; returning closes the run there
                    event = Stopped(0, 0, LIMITS.wall_seconds)
                if isinstance(event, Progress) and event.point:
                    last = event
                    curves.loss.append((event.position, event.loss))
                elif isinstance(event, Evaluation):
                    curves.accuracy.append((event.position, event.test_accuracy, event.drawn_accuracy))
                elif isinstance(event, EpochEnd):
                    snapshots.append(event.first_layer)
                elif isinstance(event, Stopped):
                    yield {progress_out: progress_html(None, lang, text("time_limit", lang,
                                                                       limit=duration(LIMITS.wall_seconds)))}
                    return
                elif isinstance(event, Done):
                    all_runs = [*kept, curves]
                    loss, mnist, drawn = plots(all_runs)
                    yield {**finished_outputs(event, ws, lang), loss_plot: loss, mnist_plot: mnist, drawn_plot: drawn,
                           runs: all_runs, page.snapshots: snapshots, stepping: go_on_from(event.finished)}
                    return
                now = time.monotonic()
                if now - shown >= REFRESH or isinstance(event, EpochEnd):
                    shown = now
                    loss, mnist, drawn = plots([*kept, curves])
                    note = "" if not curves.accuracy else text("epoch_accuracy", lang,
                                                               accuracy=f"{curves.accuracy[-1][1]:.2%}")
                    yield {progress_out: progress_html(last, lang, note), loss_plot: loss, mnist_plot: mnist,
                           drawn_plot: drawn}
        finally:
            timer.cancel()

    @user_messages
    def step_model(preset_name, *values, lang="en", run=None):
        """One optimiser step of the current run (a fresh network for the form's recipe if none)."""
        cfg = read_config(preset_name, *values)
        if run is None or run.model.hidden != cfg.hidden:
            run = new_run(cfg)
        report = take_step(run, mnist_on("cpu"))
        return step_html(report, lang), run, True

    def clear_runs():
        loss, mnist, drawn = plots([])
        return [], loss, mnist, drawn

    @user_messages
    def use_trained(clf, lang="en"):
        if clf is None:
            raise PageMessage(text("no_run", lang))
        return activate(clf, lang)

    @user_messages
    def save_trained(clf, name, ws, lang="en"):
        if clf is None:
            raise PageMessage(text("no_run", lang))
        ws = workspace_of(ws)
        path = ws.save(name, clf, lang)
        return text("saved_as", lang, name=path.stem), gr.Dropdown(choices=ws.choices(), value=path.stem), ws

    def saved_choices(ws):
        return gr.Dropdown(choices=list(host_models()) if ws is None else ws.choices())

    @user_messages
    def load_saved(name, ws, lang="en"):
        if name == "shipped":
            return activate(None, lang)
        path = host_models().get(name) if ws is None else ws.find(name)
        if path is None:
            raise PageMessage(text("no_saved", lang, name=repr(name)))
        return activate(Classifier.load(path, name=path.name), lang)

    @user_messages
    def load_uploaded(path, lang="en"):
        if path is None:
            raise PageMessage(text("no_upload", lang))
        return activate(Classifier.load(path, name=os.path.basename(path)), lang)

    # The API's /train: the preset, then every field (optional: None takes the preset's value), the
    # device and the pace; its parameters are named after FIELDS.
    def train_endpoint(preset_name, *values):
        *fields, device_name, pace, lang, runs_before, continue_from, was_stepped, ws, request = values
        yield from train_model(preset_name, *fields, device_name=device_name, pace=pace, lang=lang,
                               runs_before=runs_before, continue_from=continue_from, was_stepped=was_stepped,
                               ws=ws, request=request)

    def step_endpoint(preset_name, *values):
        *fields, lang, run = values
        return step_model(preset_name, *fields, lang=lang, run=run)

    expose(train_endpoint, "device", "pace", "lang", "runs", "continue_from", "stepped", "workspace", request=True)
    expose(step_endpoint, "lang", "run")

    preset_in.change(preset_values, inputs=preset_in, outputs=form, api_name=False)
    page.blocks.load(preset_values, inputs=preset_in, outputs=form, api_name=False)
    training = train_btn.click(
        train_endpoint, inputs=[preset_in, *form, device_in, pace_in, page.lang, runs, stepping, stepped, workspace],
        outputs=[progress_out, loss_plot, mnist_plot, drawn_plot, results_md, per_digit_out, confusion_out,
                 mistakes, download_btn, trained, runs, page.snapshots, stepping, stepped, workspace],
        api_name="train", concurrency_limit=1, concurrency_id="train")
    stop_btn.click(lambda lang: progress_html(None, lang, text("stopped", lang)), inputs=page.lang,
                   outputs=progress_out, cancels=[training], api_name=False)
    step_btn.click(step_endpoint, inputs=[preset_in, *form, page.lang, stepping],
                   outputs=[step_out, stepping, stepped], api_name="step", concurrency_limit=4)
    clear_btn.click(clear_runs, outputs=[runs, loss_plot, mnist_plot, drawn_plot], api_name="clear_runs")
    model_out = [page.classifier, page.model_info]
    use_btn.click(use_trained, inputs=[trained, page.lang], outputs=model_out, api_name="use_trained")
    save_btn.click(save_trained, inputs=[trained, name_in, workspace, page.lang], outputs=[save_msg, saved_in, workspace],
                   api_name="save")
    saved_in.focus(saved_choices, inputs=workspace, outputs=saved_in, api_name=False)
    load_btn.click(load_saved, inputs=[saved_in, workspace, page.lang], outputs=model_out, api_name="load_checkpoint")
    reset_btn.click(lambda lang: activate(None, lang), inputs=page.lang, outputs=model_out, api_name="reset_model")
    ckpt_upload.upload(load_uploaded, inputs=[ckpt_upload, page.lang], outputs=model_out, api_name="upload_checkpoint")
