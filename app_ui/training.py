"""The Train tab's handlers: plain functions of plain values, testable without a page.

A press of Train goes to the server once (app_server.training.start: the form's values read, the run
priced and put in line, on ZeroGPU inside a GPU lease), and its events become the page's outputs
here; Stop and Step likewise. Handlers take the inputs named in their *_INPUTS tuple (the order Gradio
passes them in, written once) by name, and return or yield dicts keyed by output names; train_tab.py
binds names to components.
"""

import asyncio
import os
import time
from collections.abc import Iterator

import gradio as gr
import numpy as np

from app_server import training as server
from app_server.hosting import LIMITS
from app_server.running import RUNS, Unread, followed
from app_server.runs import Waiting, Withdrawn
from app_server.visitors import Visitor, host_models
from mnist_model import Classifier
from mnist_model.config import FIELD_NAMES, FIELDS, PRESETS, TrainConfig
from mnist_model.messages import duration
from mnist_model.step import go_on_from
from mnist_model.train_events import EpochEnd, Evaluation, Progress, Stopped
from mnist_model.training_run import Done, Loading, Snapshot

from . import curves
from .curves import MAX_RUNS, Curves, gradient_value, plot_values, step_gradient_value
from .errors import PageMessage
from .gradio_internals import asked_for, expose, unread_messages
from .neuron import dead_summary
from .page import activate, choice_text, model_choices, shipped_cnn, user_messages
from .render import (
    confusion_html,
    device_words,
    loading_html,
    mistakes_html,
    per_digit_html,
    progress_html,
    runs_table_html,
    step_html,
    waiting_html,
)
from .texts import text

REFRESH = 0.3  # seconds between plot updates while training
OVERTAKEN = 1.0  # seconds a Stop with no run to stop waits for a Train that it overtook
MAX_FRAMES = 11  # first-layer pictures kept of a run: before training, and up to ten epochs' ends

FORM_INPUTS = ("preset", *FIELD_NAMES)
TRAIN_INPUTS = (*FORM_INPUTS, "device", "pace", "go_on", "lang", "visitor", "runs")
STEP_INPUTS = (*FORM_INPUTS, "device", "lang", "visitor", "step_flow")
TRAIN_OUTPUTS = ("progress", "loss_plot", "mnist_plot", "drawn_plot", "summary", "per_digit", "confusion",
                 "mistakes", "download", "use", "save", "runs", "visitor", "frames", "step", "gradient_plot",
                 "step_gradient_plot", "runs_table")
STEP_OUTPUTS = ("step", "visitor", "step_flow")  # (an API caller gets the step's panel: the states are the page's)


def preset_values(name: str) -> list:
    """The form's values for a preset."""
    cfg = PRESETS.get(name, PRESETS["fast"])
    return [f.shown(getattr(cfg, f.name)) for f in FIELDS]


def recipe_label(preset_name: str | None, cfg: TrainConfig, lang: str, continued: int = 0) -> str:
    """A run's name on the plots: its preset, and what differs from it ("best, no drawn digits"), in
    the page's language."""
    name = preset_name if preset_name in PRESETS else "fast"
    base, changes = PRESETS[name], []
    for f in FIELDS:
        value = getattr(cfg, f.name)
        if value == getattr(base, f.name):
            continue
        if f.name == "drawn" and not value:
            changes.append(text("no_drawn", lang))
        else:
            shown = (text("on" if value else "off", lang) if f.kind == "bool" else
                     choice_text(f.name, value, lang) if f.kind == "choice" else f.shown(value))
            changes.append(f"{text('short_' + f.name, lang)} {shown}")
    if continued:
        changes.append(text("continued_run", lang, steps=continued))
    return ", ".join([text("preset_short_" + name, lang), *changes])


# --- the run, from the press of Train to its last output -------------------------------------------


class RunView:
    """What the page shows of one run as its events arrive: its curves (beside the visitor's last
    runs), its progress line, and the first layer's pictures at its epochs' ends."""

    def __init__(self, label: str, kept: list[Curves], lang: str):
        self.curves, self.kept, self.lang = Curves(label), kept, lang
        self.frames: list[tuple[str, np.ndarray]] = []
        self.last: Progress | None = None
        self.shown = 0.0

    def take(self, event) -> None:
        if isinstance(event, Snapshot):
            self.frames.append(("before", event.first_layer.numpy().astype(np.float16)))
        elif isinstance(event, Progress) and event.point:
            self.last = event
            self.curves.add("loss", event.steps, event.position, event.loss)
            if event.gradients is not None:
                self.curves.add_gradients(event.steps, event.position, event.gradients)
        elif isinstance(event, Evaluation):
            self.curves.add("mnist", event.steps, event.position, event.test_accuracy)
            if event.drawn_accuracy is not None:
                self.curves.add("drawn", event.steps, event.position, event.drawn_accuracy)
        elif isinstance(event, EpochEnd):
            self.frames.append((str(event.epoch), event.first_layer.numpy().astype(np.float16)))

    def due(self, event) -> bool:
        """Whether the page should hear of the run now (a few times a second at most)."""
        now = time.monotonic()
        if now - self.shown >= REFRESH or isinstance(event, (EpochEnd, Loading)):
            self.shown = now
            return True
        return False

    def plots(self, finished: bool = False) -> dict:
        runs = [*self.kept, self.curves]
        loss, mnist, drawn = plot_values(runs)
        out = {"loss_plot": loss, "mnist_plot": mnist, "drawn_plot": drawn, "gradient_plot": gradient_value(runs)}
        return {**out, "runs": runs} if finished else out

    def progress(self, event) -> dict:
        if isinstance(event, Loading):
            return {"progress": loading_html(event.what, event.done, event.total, self.lang)}
        accuracy = self.curves.last("mnist")
        note = "" if accuracy is None else text("epoch_accuracy", self.lang, accuracy=f"{accuracy:.2%}")
        return {"progress": progress_html(self.last, self.lang, note, wall_limit=LIMITS.wall_seconds), **self.plots()}

    def kept_frames(self) -> list[tuple[str, np.ndarray]]:
        """Before training, and up to MAX_FRAMES - 1 epochs' ends, evenly spread, the last among them."""
        before, epochs = self.frames[:1], self.frames[1:]
        if len(epochs) >= MAX_FRAMES:
            picks = np.linspace(0, len(epochs) - 1, MAX_FRAMES - 1).round().astype(int)
            epochs = [epochs[i] for i in sorted(set(picks))]
        return before + epochs


@user_messages
@expose(TRAIN_INPUTS, defaults={"preset": "fast", "lang": "en", "go_on": False}, request=True)
def train_stream(*, preset, device, pace, go_on, lang, visitor, runs, request=None, **form) -> Iterator[dict]:
    """Train and stream the curves; the finished run is kept for this visitor, beside their last ones.

    Stop (stop_run) ends the run before its next step: the network as it stood is kept for Step, and
    nothing the visitor had (active model, saved files) changes. A run also stops at the host's time
    limit, and ends (keeping nothing) when nobody reads its stream any more."""
    clicked = time.monotonic()  # the time shown is the time waited: in line, loading, training, judging
    # a Stop from now on stops this run, before it is in line too (a Stop sent right after Train was
    # lost), and reaches it by the session's name while the session does not hold its visitor yet
    run = server.start(visitor, preset, form, device, pace, go_on, session_name(request))
    if isinstance(run.first, Withdrawn):  # (stopped before it was in line)
        yield {"visitor": run.visitor, "progress": progress_html(None, lang, text("stopped_waiting", lang))}
        return
    view = RunView(recipe_label(preset, run.config, lang, run.continued), list(runs or [])[-(MAX_RUNS - 1):], lang)
    yield {"visitor": run.visitor, "progress": waiting_html(run.first.place, run.first.eta, lang), "step": "",
           "step_gradient_plot": step_gradient_value(None)}
    yield from _follow(run.events, run.plan, view, run.visitor, Unread(lambda: unread_messages(request)), lang,
                       clicked)


def _follow(events, plan, view: RunView, visitor: Visitor, unread: Unread, lang: str, clicked: float) -> Iterator[dict]:
    """The run's events (the run service's: its place in line, then the run's), as the page's outputs
    (`clicked`: when Train was pressed, time.monotonic())."""
    started = None
    stream = followed(events, unread, "training run")
    try:
        for event in stream:
            if isinstance(event, Waiting):
                yield {"progress": waiting_html(event.place, event.eta, lang)}
                continue
            if isinstance(event, Withdrawn):
                yield {"progress": progress_html(None, lang, text("stopped_waiting", lang))}
                return
            started = started or time.monotonic()  # (the run's: after its wait in line)
            if server.in_worker and RUNS.stopping(visitor.key) and not isinstance(event, (Stopped, Done)):
                # on ZeroGPU the run is in a forked worker that this process's stop request does not
                # reach: it ends here, and returning closes it there (its network stays there too);
                # in this process the trainer itself stops before its next step, with its network
                event = Stopped(0, 0, time.monotonic() - started)
            view.take(event)
            if isinstance(event, Stopped):
                yield _stopped(event, plan.request.config, view, visitor, lang, timed_out=RUNS.timed_out(visitor.key))
                return
            if isinstance(event, Done):
                yield _finished(event, view, visitor, lang, waited=time.monotonic() - clicked)
                return
            if view.due(event):
                yield view.progress(event)
    finally:
        stream.close()  # gives the place in line, or the slot, back (and ends the run)


def _stopped(event: Stopped, cfg: TrainConfig, view: RunView, visitor: Visitor, lang: str, timed_out: bool) -> dict:
    """A stopped run: its curves stay on the plots, its network is what Step goes on with."""
    state = go_on_from(event, cfg)
    if state is not None:
        visitor.put("stepping", state)
    view.curves.label += " " + text("stopped_label", lang)
    message = text("time_limit", lang, limit=duration(LIMITS.wall_seconds)) if timed_out else text("stopped", lang)
    return {"progress": progress_html(None, lang, message), **view.plots(finished=True), "visitor": visitor}


def _finished(done: Done, view: RunView, visitor: Visitor, lang: str, waited: float) -> dict:
    r, metrics = done.result, done.report
    visitor.put("trained", done.classifier)
    visitor.put("stepping", done.state)
    frames = view.kept_frames()
    visitor.put("frames", frames)
    summary = text("summary", lang, accuracy=f"{r.test_accuracy:.2%}", epochs=r.config.epochs,
                   waited=f"{waited:.1f}", seconds=f"{r.elapsed:.1f}", device=device_words(r.device, lang), rate=f"{r.samples_per_s:,.0f}")
    if r.drawn_accuracy is not None:
        summary += " " + text("summary_drawn", lang, accuracy=f"{r.drawn_accuracy:.2%}")
    if metrics.dead is not None:
        summary += "\n\n" + dead_summary(metrics.dead, lang)
    view.curves.result = {"mnist": r.test_accuracy, "drawn": r.drawn_accuracy, "seconds": waited}
    plots = view.plots(finished=True)
    return {"progress": progress_html(None, lang, text("finished", lang)), "summary": summary,
            "per_digit": per_digit_html(metrics.mnist.per_class, metrics.drawn and metrics.drawn.per_class, lang),
            "confusion": confusion_html(metrics.mnist.confusion, lang), "mistakes": mistakes_html(metrics.mistakes, lang),
            "download": gr.DownloadButton(value=str(visitor.download(done.classifier)), interactive=True),
            "use": gr.Button(interactive=True), "save": gr.Button(interactive=True),
            **plots, "runs_table": runs_table_html(plots["runs"], lang), "visitor": visitor,
            "frames": [len(frames), time.monotonic_ns()]}


def session_name(request: gr.Request | None) -> str | None:
    """The run service's name for a page's session (apart from the visitors' keys: a caller names its
    own session), or None for a call without one."""
    session = getattr(request, "session_hash", None)
    return f"session:{session}" if session else None


async def stop_run(visitor: Visitor | None, lang: str = "en", request: gr.Request | None = None) -> str:
    """Ask the visitor's run to stop (it then shows what it stopped at): by the visitor's key, or by
    the session's name (a run just asked for, from a session that does not hold its visitor yet).
    A Stop sent right after Train can reach the server first (a script's client joins them on two
    threads): when there is no run yet, it waits up to OVERTAKEN seconds for the Train to come.
    Async: it reads Gradio's queue on the event loop, where Gradio changes it."""
    deadline = time.monotonic() + OVERTAKEN
    # (a Train of this session's in Gradio's queue, its handler not begun: stopped as it arrives)
    while not server.stop(visitor, session_name(request), coming=asked_for(request, "train")):
        if time.monotonic() > deadline:
            return progress_html(None, lang, text("nothing_to_stop", lang))
        await asyncio.sleep(0.05)
    return progress_html(None, lang, text("stopping", lang))


# --- one step at a time --------------------------------------------------------------------------


@user_messages
@expose(STEP_INPUTS, defaults={"preset": "fast", "lang": "en"})
def step_once(*, preset, device, lang, visitor, step_flow, **form) -> dict:
    """One optimiser step of the run the visitor looks at (the one they stopped, or the last to finish;
    a fresh network for the form's recipe when there is none, or when its shape is not the form's)."""
    report, visitor = server.step(visitor, preset, form, device)
    flow = curves.step_flow(step_flow, report.steps, report.gradient_norms)
    return {"step": step_html(report, lang), "visitor": visitor, "step_flow": flow}


def step_plot(flow: Curves | None) -> dict:
    """The Step plot (after each step): each layer's gradient length at every step taken so far on this network."""
    return {"step_gradient_plot": step_gradient_value(flow)}


def clear_runs() -> dict:
    loss, mnist, drawn = plot_values([])
    return {"runs": [], "loss_plot": loss, "mnist_plot": mnist, "drawn_plot": drawn, "gradient_plot": gradient_value([])}


# --- the finished run, and saved models ------------------------------------------------------------


@user_messages
def use_trained(visitor: Visitor | None, lang: str = "en") -> tuple:
    trained = None if visitor is None else visitor.get("trained")
    if trained is None:
        raise PageMessage("no_run")
    return activate(visitor, trained, lang)


@user_messages
def save_trained(name: str, visitor: Visitor | None, lang: str = "en") -> tuple:
    trained = None if visitor is None else visitor.get("trained")
    if trained is None:
        raise PageMessage("no_run")
    path = visitor.save(name, trained)
    return text("saved_as", lang, name=path.stem), saved_choices(visitor, value=path.stem), visitor


def saved_choices(visitor: Visitor | None, **update):
    """The model picker: everyone's models (the shipped ones named), then the visitor's own."""
    return gr.Dropdown(choices=model_choices(host_models() if visitor is None else visitor.choices()), **update)


@user_messages
def load_saved(name: str, visitor: Visitor | None, lang: str = "en") -> tuple:
    if name == "shipped":
        return activate(visitor, None, lang)
    if name == "shipped-cnn":  # one copy for all who pick it, named as shipped
        return activate(visitor, shipped_cnn(), lang)
    path = host_models().get(name) if visitor is None else visitor.find(name)
    if path is None:
        raise PageMessage("no_saved", name=name)
    return activate(visitor, Classifier.load(path, name=path.name), lang)


@user_messages
def load_uploaded(path: str | None, visitor: Visitor | None, lang: str = "en") -> tuple:
    if path is None:
        raise PageMessage("no_upload")
    return activate(visitor, Classifier.load(path, name=os.path.basename(path)), lang)


def reset_model(visitor: Visitor | None, lang: str = "en") -> tuple:
    return activate(visitor, None, lang)
