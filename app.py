"""Draw a digit, watch a small neural network classify it live, retrain it from the page.

    python app.py            # http://127.0.0.1:7860 (GRADIO_SERVER_NAME / GRADIO_SERVER_PORT to change)

Thin UI wiring: everything that is not UI lives in mnist_model/. Package errors become one-line
messages in one place, the `user_messages` decorator on the handlers.
"""

import base64
import functools
import hashlib
import inspect
import io
import os
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")  # no phoning home: the app runs offline

import gradio as gr  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import torch  # noqa: E402
from PIL import Image  # noqa: E402

from mnist_model import Classifier, MnistModelError, checkpoint  # noqa: E402
from mnist_model.data import load_mnist  # noqa: E402
from mnist_model.device import available_devices, resolve_device  # noqa: E402
from mnist_model.evaluate import Metrics, evaluate  # noqa: E402
from mnist_model.explain import first_layer_weights, look_inside  # noqa: E402
from mnist_model.i18n import TEXTS, text  # noqa: E402
from mnist_model.model import parse_hidden  # noqa: E402
from mnist_model.preprocess import load_picture, unreadable_picture  # noqa: E402
from mnist_model import visual  # noqa: E402
from mnist_model.train import (  # noqa: E402
    OPTIMIZERS, PRESETS, SCHEDULES, EpochEnd, Finished, Progress, estimate_seconds, preset, train,
)

try:  # Hugging Face ZeroGPU: a GPU only inside functions decorated with spaces.GPU
    import spaces
except ImportError:
    spaces = None

CANVAS = 280  # px; small canvases upload fast after every stroke (see the Gradio notes)
BRUSH_RADIUS = 12  # px; a digit drawn across the canvas ends with MNIST-like 2-3 px strokes
SAVE_DIR = os.environ.get("MNIST_APP_CHECKPOINT_DIR", str(checkpoint.SHIPPED.parent))
# Serving keeps a core: torch ops use all cores but one (one on a 2-core machine), so a CPU
# training run cannot starve the predictions of other visitors.
torch.set_num_threads(max(1, (os.cpu_count() or 2) - 1))
SHIPPED = Classifier.load()

CSS = """
#prediction .digit {font-size: 7rem; line-height: 1; font-weight: 700; text-align: center}
#prediction .caption {text-align: center; font-size: 1.1rem; opacity: 0.8}
#prediction .prompt {font-size: 2rem; text-align: center; padding: 2.5rem 0; opacity: 0.7}
.input-preview {position: relative; width: 280px; height: 280px; margin: auto}
.input-preview img {width: 100%; height: 100%; image-rendering: pixelated; display: block}
.input-preview::after {content: ""; position: absolute; inset: 0; pointer-events: none;
  background-image: linear-gradient(rgba(128,128,128,.35) 1px, transparent 1px),
                    linear-gradient(90deg, rgba(128,128,128,.35) 1px, transparent 1px);
  background-size: 10px 10px}
#train-progress progress {width: 100%; height: 1.2rem}
.confusion {border-collapse: collapse; margin: auto; font-variant-numeric: tabular-nums}
.confusion td, .confusion th {padding: 2px 6px; text-align: right; font-size: .85rem}
.centred {text-align: center}
.explore-img {display: inline-block; margin: 4px; image-rendering: pixelated}
.layers {display: flex; flex-wrap: wrap; gap: 16px; align-items: flex-start}
.layers figure {margin: 0; text-align: center}
.layers img {image-rendering: pixelated}
#weights img {image-rendering: pixelated}
#draw-area:fullscreen {background: var(--body-background-fill); padding: 1.5rem; overflow: auto}
#draw-area:fullscreen #sketch {height: 80vh !important}
body.projector .prose p, body.projector .prose li {font-size: 1.25rem !important}
body.projector #prediction .digit {font-size: 13rem !important}  /* beats Gradio's scoped copy of the rule above */
body.projector #probabilities {font-size: 1.6rem !important}
body.projector #probabilities * {font-size: inherit !important}
"""


def user_messages(handler):
    """The one place package errors become messages: a MnistModelError raised inside `handler`
    (a function or a generator) reaches the page as a one-line gr.Error."""
    if inspect.isgeneratorfunction(handler):
        @functools.wraps(handler)
        def stream(*args, **kwargs):
            try:
                yield from handler(*args, **kwargs)
            except MnistModelError as exc:
                raise gr.Error(str(exc)) from None
        return stream

    @functools.wraps(handler)
    def call(*args, **kwargs):
        try:
            return handler(*args, **kwargs)
        except MnistModelError as exc:
            raise gr.Error(str(exc)) from None
    return call


# --- Draw tab ---------------------------------------------------------------------------------


def describe_model(model: Classifier | None, lang: str = "en") -> str:
    clf = model or SHIPPED
    shape = " → ".join(map(str, (784, *clf.hidden, 10)))
    accuracy = "" if clf.test_accuracy is None else text("model_accuracy", lang, accuracy=f"{clf.test_accuracy:.2%}")
    return text("model_shipped" if model is None else "model_yours", lang, shape=shape, accuracy=accuracy)


def shipped_model_info() -> str:
    """Which model the app ships. Also the cheapest endpoint there is: the protocol's own cost."""
    return describe_model(None)


def png_bytes(pixels: np.ndarray) -> bytes:
    out = io.BytesIO()
    Image.fromarray(pixels).save(out, format="PNG")
    return out.getvalue()


def inline_png(pixels: np.ndarray, alt: str, css_class: str = "") -> str:
    """An <img> carrying its PNG inline: no file for Gradio to cache, none to fetch."""
    data = base64.b64encode(png_bytes(pixels)).decode()
    return f'<img class="{css_class}" alt="{alt}" src="data:image/png;base64,{data}">'


IMAGE_DIR = Path(tempfile.gettempdir()) / "mnist-app-images"


def png_file(pixels: np.ndarray) -> str:
    """A PNG file named by its content, written once and atomically, for components that take files."""
    data = png_bytes(pixels)
    path = IMAGE_DIR / f"{hashlib.sha1(data).hexdigest()}.png"
    if not path.exists():
        IMAGE_DIR.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(f".{os.getpid()}.{time.monotonic_ns()}.partial")
        partial.write_bytes(data)
        os.replace(partial, path)
    return str(path)


def preview_html(digit: np.ndarray) -> str:
    """The 28x28 input, drawn large with crisp pixels and a grid."""
    return f'<div class="input-preview">{inline_png(visual.gray(digit)[:, :, 0], "the 28 x 28 input")}</div>'


def prompt_html(lang: str = "en") -> str:
    return f'<div class="prompt">{text("draw_prompt", lang)}</div>'


def show_prediction(clf: Classifier, digit: np.ndarray | None, lang: str):
    if digit is None:
        return prompt_html(lang), None, None
    probs = clf.probabilities(digit)
    best = int(probs.argmax())
    html = f'<div class="digit">{best}</div><div class="caption">{probs[best]:.0%}</div>'
    return html, {str(d): float(p) for d, p in enumerate(probs)}, preview_html(digit)


def preprocessed(clf: Classifier, value, load=lambda value: value) -> np.ndarray | None:
    """Open `value` with `load` and preprocess it; None for no value."""
    return None if value is None else clf.preprocess(load(value))


@user_messages
def predict(sketch: dict | None, model: Classifier | None = None, lang: str = "en"):
    """Sketchpad value -> (prediction, probabilities of 0..9, the 28x28 input the network sees)."""
    clf = model or SHIPPED
    return show_prediction(clf, preprocessed(clf, sketch), lang)


@user_messages
def predict_upload(path: str | None, model: Classifier | None = None, lang: str = "en"):
    """An uploaded picture (file path) -> the same outputs as `predict`."""
    clf = model or SHIPPED
    return show_prediction(clf, preprocessed(clf, path, load_picture), lang)


class ReadableUpload:
    """Mixin for picture inputs: a file Gradio cannot decode becomes a one-line message, not a server error."""

    def preprocess(self, payload):
        try:
            return super().preprocess(payload)
        except gr.Error:
            raise
        except Exception as exc:  # whatever the decoder raised: the user only needs to know it failed
            raise gr.Error(str(unreadable_picture(exc))) from None


class DrawingPad(ReadableUpload, gr.Sketchpad):
    def get_block_name(self) -> str:
        return "imageeditor"  # Gradio's front end for sketchpads


class PictureUpload(ReadableUpload, gr.Image):
    def get_block_name(self) -> str:
        return "image"


# --- Train tab --------------------------------------------------------------------------------

DEVICES = available_devices()  # [(device string, label)], fastest first


def preset_fields(name: str):
    cfg = PRESETS[name]
    return (",".join(map(str, cfg.hidden)), cfg.epochs, cfg.batch_size, cfg.lr, cfg.optimizer,
            cfg.schedule, cfg.augment, cfg.seed)


def progress_html(p: Progress | None, lang: str, note: str = "") -> str:
    if p is None:
        return f"<div>{note}</div>"
    left = time.strftime("%M:%S", time.gmtime(p.eta)) if p.eta == p.eta else "…"
    line = text("progress", lang, epoch=p.epoch, epochs=p.epochs, step=p.step, steps=p.steps_per_epoch,
                rate=f"{p.samples_per_s:,.0f}", left=left)
    return f'<progress max="1" value="{p.fraction:.4f}"></progress><div>{line} {note}</div>'


def confusion_html(confusion: list[list[int]], lang: str) -> str:
    """The confusion matrix as a heatmap table: rows are true digits, columns predicted ones."""
    top = max(max(row) for row in confusion) or 1
    head = "".join(f"<th>{d}</th>" for d in range(10))
    rows = []
    for true, row in enumerate(confusion):
        cells = "".join(
            f'<td style="background: rgba({"46,125,50" if true == pred else "198,40,40"},'
            f'{(count / top) ** 0.5 if count else 0:.2f})">{count}</td>'
            for pred, count in enumerate(row))
        rows.append(f"<tr><th>{true}</th>{cells}</tr>")
    return (f'<table class="confusion"><caption>{text("confusion", lang)}</caption>'
            f"<tr><th></th>{head}</tr>{''.join(rows)}</table>")


def read_config(preset_name, hidden, epochs, batch_size, lr, optimizer, schedule, augment, seed):
    """The run's TrainConfig from the form; an impossible value raises ConfigError naming the field."""
    return preset(preset_name, hidden=parse_hidden(str(hidden or "")), epochs=epochs, batch_size=batch_size,
                  lr=lr, optimizer=optimizer, schedule=schedule, augment=bool(augment), seed=seed)


@dataclass
class Report:
    """A finished run with its test-set evaluation and the images of its first mistakes."""

    done: Finished
    metrics: Metrics
    mistake_images: list[np.ndarray]


def _train_run(cfg, device_name):
    """Training events, then a Report; on ZeroGPU this runs inside a GPU lease sized to the run."""
    device = resolve_device(device_name)
    data = load_mnist(None, device)  # $MNIST_DATA_DIR or ./data; downloaded (with progress) if missing
    for event in train(cfg, data, device):
        if isinstance(event, Finished):  # the model is back on the CPU: evaluate it there
            test_x, test_y = data.test_x.cpu(), data.test_y.cpu()
            metrics = evaluate(event.model, test_x, test_y)
            images = [(test_x[i].numpy() * 255).astype(np.uint8) for i, _, _ in metrics.mistakes]
            event = Report(event, metrics, images)
        yield event


if spaces is not None:
    _train_run = spaces.GPU(duration=lambda cfg, *args: estimate_seconds(cfg))(_train_run)


@user_messages
def train_model(preset_name, hidden, epochs, batch_size, lr, optimizer, schedule, augment, seed, device_name,
                lang="en", progress=gr.Progress(track_tqdm=True)):
    """Train a fresh network and stream its progress; the finished model is kept for this visitor.

    Stop cancels this generator: training runs only while it is iterated, so it ends at once,
    before the run finishes, and nothing the visitor had (active model, saved files) changes."""
    cfg = read_config(preset_name, hidden, epochs, batch_size, lr, optimizer, schedule, augment, seed)
    resolve_device(device_name)  # refuse a missing device before anything starts
    losses, accuracies, snapshots, last = [], [], [], None
    yield {progress_out: progress_html(None, lang, text("loading", lang)), loss_plot: None, accuracy_plot: None}
    for event in _train_run(cfg, device_name):
        if isinstance(event, Progress):
            last = event
            losses.append({"step": (event.epoch - 1) * event.steps_per_epoch + event.step, "loss": event.loss})
            yield {progress_out: progress_html(event, lang), loss_plot: pd.DataFrame(losses)}
        elif isinstance(event, EpochEnd):
            accuracies.append({"epoch": event.epoch, "test accuracy": event.test_accuracy})
            snapshots.append(event.first_layer)
            note = text("epoch_accuracy", lang, accuracy=f"{event.test_accuracy:.2%}")
            yield {accuracy_plot: pd.DataFrame(accuracies), progress_out: progress_html(last, lang, note)}
        elif isinstance(event, Report):
            yield {**finished_outputs(event, lang), snapshots_state: snapshots,
                   epoch_slider: gr.Slider(1, max(2, len(snapshots)), value=len(snapshots), step=1, interactive=True)}


def finished_outputs(report: Report, lang: str) -> dict:
    r, metrics = report.done.result, report.metrics
    meta = {"test_accuracy": r.test_accuracy, "recipe": r.config.to_dict(), "device": r.device}
    clf = Classifier(report.done.model, {**meta, "hidden": list(r.config.hidden)})
    gallery = [(png_file(image), text("mistake", lang, true=t, predicted=p))
               for image, (_, t, p) in zip(report.mistake_images, metrics.mistakes)]
    download = os.path.join(tempfile.mkdtemp(prefix="mnist-mlp-"), "mnist_mlp_trained.safetensors")
    checkpoint.save(download, clf.model, **meta)
    per_class = pd.DataFrame({"digit": [str(d) for d in range(10)], "accuracy": metrics.per_class})
    summary = text("summary", lang, accuracy=f"{r.test_accuracy:.2%}", epochs=r.config.epochs,
                   seconds=f"{r.elapsed:.1f}", device=r.device, rate=f"{r.samples_per_s:,.0f}")
    return {progress_out: progress_html(None, lang, text("finished", lang)), results_md: summary, per_class_plot: per_class,
            confusion_out: confusion_html(metrics.confusion, lang), mistakes: gallery, trained_state: clf,
            download_btn: gr.DownloadButton(value=download, interactive=True)}


def activate(model: Classifier | None, lang: str = "en"):
    """Make `model` (None: the shipped one) this visitor's active model; everything that shows it follows."""
    return model, describe_model(model, lang), active_weights(model)


def use_trained(trained: Classifier | None, lang: str = "en"):
    if trained is None:
        raise gr.Error(text("no_run", lang))
    return activate(trained, lang)


@user_messages
def save_trained(trained: Classifier | None, name: str, lang: str = "en"):
    if trained is None:
        raise gr.Error(text("no_run", lang))
    path = checkpoint.save_named(SAVE_DIR, name, trained.model, test_accuracy=trained.test_accuracy,
                                 recipe=trained.meta.get("recipe", {}))
    return text("saved_as", lang, name=path.name), gr.Dropdown(choices=list(checkpoint.list_named(SAVE_DIR)), value=path.stem)


@user_messages
def load_saved(name: str, lang: str = "en"):
    if name == "shipped":
        return activate(None, lang)
    path = checkpoint.list_named(SAVE_DIR).get(name)
    if path is None:
        raise gr.Error(text("no_saved", lang, name=repr(name)))
    return activate(Classifier.load(path), lang)


@user_messages
def load_uploaded(path: str | None, lang: str = "en"):
    if path is None:
        raise gr.Error(text("no_upload", lang))
    return activate(Classifier.load(path), lang)


def refresh_saved():
    return gr.Dropdown(choices=list(checkpoint.list_named(SAVE_DIR)))


# --- Explore tab ------------------------------------------------------------------------------

CELL = 22  # px per unit in the hidden-layer heat maps


def layer_picture(activations: np.ndarray, selected: int | None = None) -> np.ndarray:
    """One hidden layer's activations as a heat-map grid, the selected unit outlined in white."""
    grid = visual.as_grid(activations)
    pixels = visual.enlarge(visual.heat(np.nan_to_num(grid, nan=0.0)), CELL)
    empty = visual.enlarge(np.isnan(grid), CELL)
    pixels[empty] = 90  # cells past the last unit: grey, not "off"
    if selected is not None and selected < len(activations):
        row, col = divmod(selected, grid.shape[1])
        box = pixels[row * CELL:(row + 1) * CELL, col * CELL:(col + 1) * CELL]
        box[:2], box[-2:], box[:, :2], box[:, -2:] = 255, 255, 255, 255
    return pixels


@user_messages
def explore(sketch: dict | None, model: Classifier | None, unit: int | None, lang: str = "en"):
    """Inside the active model for the current drawing: input and saliency, hidden activations,
    scores before and after softmax, and the selected first-layer unit."""
    clf = model or SHIPPED
    digit = preprocessed(clf, sketch)
    if digit is None:
        return prompt_html(lang), "", None, None, ""
    inside = look_inside(clf.model, digit)
    pictures = (inline_png(visual.enlarge(visual.gray(inside.input), 8), "input", "explore-img")
                + inline_png(visual.enlarge(visual.saliency_overlay(inside.input, inside.saliency), 8), "saliency",
                             "explore-img"))
    layers = "".join(
        f'<figure class="layer">{inline_png(layer_picture(a, unit if i == 0 else None), f"layer {i + 1}")}'
        f"<figcaption>{text('layer', lang, layer=i + 1, active=int((a > 0).sum()), units=len(a))}</figcaption></figure>"
        for i, a in enumerate(inside.activations))
    digits = [str(d) for d in range(10)]
    scores = pd.DataFrame({"digit": digits, "score": inside.logits})
    probabilities = pd.DataFrame({"digit": digits, "probability": inside.probabilities})
    return pictures, f'<div class="layers">{layers}</div>', scores, probabilities, unit_html(clf, inside, unit, lang)


def unit_html(clf: Classifier, inside, unit: int | None, lang: str) -> str:
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


def weight_gallery(weights: np.ndarray) -> list[str]:
    """First-layer weights (units, 28, 28) as one picture file per unit, one colour scale for all."""
    limit = float(np.abs(weights).max()) or 1.0
    return [png_file(visual.enlarge(visual.diverging(w, limit), 3)) for w in weights]


def active_weights(model: Classifier | None):
    return weight_gallery(first_layer_weights((model or SHIPPED).model))


def pick_unit(evt: gr.SelectData) -> int:
    return evt.index


def epoch_weights(snapshots: list | None, epoch: int, lang: str = "en"):
    if not snapshots:
        raise gr.Error(text("no_run", lang))
    epoch = int(min(max(epoch or 1, 1), len(snapshots)))
    return weight_gallery(first_layer_weights(snapshots[epoch - 1]))


# --- layout ----------------------------------------------------------------------------------

I18N = gr.I18n(**TEXTS)  # English and Simplified Chinese; follows the browser, switchable in Settings
THEME = gr.themes.Soft(font=["ui-sans-serif", "system-ui", "sans-serif"],
                       font_mono=["ui-monospace", "monospace"])  # system fonts: nothing fetched
PROJECTOR_JS = "(on) => { document.body.classList.toggle('projector', on); return on; }"
# the canvas and the prediction on the whole screen (Esc leaves); the editor re-fits its zoom
FULLSCREEN_JS = "() => { document.querySelector('#draw-area')?.requestFullscreen?.(); }"
# Gradio translates labels in the browser; this reads which language it shows (from the Draw tab's
# title) and copies it into the hidden `lang` box whenever it changes, so server messages follow.
FOLLOW_LANGUAGE_JS = """() => {
  const chinese = %r;
  const detect = () => [...document.querySelectorAll('button[role="tab"]')]
      .some((tab) => tab.textContent.trim() === chinese) ? 'zh-CN' : 'en';
  const sync = () => {
    const box = document.querySelector('#page-language textarea, #page-language input');
    const language = detect();
    if (box && box.value !== language) {
      box.value = language;
      box.dispatchEvent(new Event('input', {bubbles: true}));
    }
  };
  new MutationObserver(sync).observe(document.body, {subtree: true, childList: true, characterData: true});
  return detect();
}""" % TEXTS["zh-CN"]["tab_draw"]

with gr.Blocks(title="Draw a digit — MNIST MLP") as demo:
    model_state = gr.State(None)  # this visitor's active model; None = the shipped one
    trained_state = gr.State(None)  # this visitor's last finished training run
    snapshots_state = gr.State(None)  # its first-layer weights at the end of each epoch
    unit_state = gr.State(None)  # the first-layer unit picked in Explore
    # the page's language (Gradio's: the browser's, or the one picked in Settings), for messages made
    # on the server; kept in step by FOLLOW_LANGUAGE_JS
    lang = gr.Textbox("en", visible="hidden", elem_id="page-language")
    with gr.Row():
        gr.Markdown(I18N("title"))
        projector = gr.Checkbox(label=I18N("projector"), scale=0)
    model_info = gr.Markdown(describe_model(None))

    with gr.Tab(I18N("tab_draw"), id="draw"):
        with gr.Row(elem_id="draw-area"):
            with gr.Column():
                sketch = DrawingPad(
                    label=I18N("sketch"), canvas_size=(CANVAS, CANVAS), fixed_canvas=True, type="pil",
                    image_mode="RGBA", format="png", layers=False, transforms=(), elem_id="sketch",
                    brush=gr.Brush(default_size=BRUSH_RADIUS, colors=["#000000"], color_mode="fixed"),
                )
                with gr.Row():
                    clear = gr.Button(I18N("clear"), variant="secondary")
                    fullscreen = gr.Button(I18N("fullscreen"), variant="secondary")
                upload = PictureUpload(label=I18N("upload"), type="filepath", sources=["upload", "clipboard"], height=200)
            with gr.Column():
                prediction = gr.HTML(prompt_html(), label=I18N("prediction"),
                                     elem_id="prediction")
                probabilities = gr.Label(label=I18N("probabilities"), num_top_classes=10, elem_id="probabilities")
                gr.Markdown(I18N("preview"), elem_classes="centred")
                preview = gr.HTML()

    with gr.Tab(I18N("tab_train"), id="train"):
        gr.Markdown(I18N("train_intro"))
        with gr.Row():
            with gr.Column(scale=1):
                preset_in = gr.Radio(list(PRESETS), value="fast", label=I18N("preset"))
                hidden_in = gr.Textbox(label=I18N("hidden"))
                with gr.Row():
                    epochs_in = gr.Number(label=I18N("epochs"), precision=0)
                    batch_in = gr.Number(label=I18N("batch"), precision=0)
                    lr_in = gr.Number(label=I18N("lr"))
                with gr.Row():
                    optimizer_in = gr.Dropdown(list(OPTIMIZERS), label=I18N("optimizer"))
                    schedule_in = gr.Dropdown(list(SCHEDULES), label=I18N("schedule"))
                with gr.Row():
                    augment_in = gr.Checkbox(label=I18N("augment"))
                    seed_in = gr.Number(label=I18N("seed"), precision=0)
                device_in = gr.Dropdown([(label, name) for name, label in DEVICES], value=DEVICES[0][0], label=I18N("device"))
                with gr.Row():
                    train_btn = gr.Button(I18N("train"), variant="primary")
                    stop_btn = gr.Button(I18N("stop"), variant="stop")
            with gr.Column(scale=2):
                progress_out = gr.HTML(elem_id="train-progress")
                with gr.Row():
                    loss_plot = gr.LinePlot(x="step", y="loss", label=I18N("loss_plot"), height=250)
                    accuracy_plot = gr.LinePlot(x="epoch", y="test accuracy", label=I18N("accuracy_plot"), height=250)
                results_md = gr.Markdown()
                with gr.Row():
                    per_class_plot = gr.BarPlot(x="digit", y="accuracy", label=I18N("per_class_plot"), y_lim=[0.8, 1.0],
                                                height=250)
                    confusion_out = gr.HTML()
                mistakes = gr.Gallery(label=I18N("mistakes"), columns=8, height=260)
                with gr.Row():
                    use_btn = gr.Button(I18N("use"), variant="primary")
                    download_btn = gr.DownloadButton(I18N("download"), interactive=False)
                with gr.Row():
                    name_in = gr.Textbox(label=I18N("save_name"), placeholder="my-model")
                    save_btn = gr.Button(I18N("save"))
                save_msg = gr.Markdown()
        with gr.Accordion(I18N("saved_models"), open=False):
            with gr.Row():
                saved_in = gr.Dropdown(list(checkpoint.list_named(SAVE_DIR)), value="shipped", label=I18N("saved_list"))
                load_btn = gr.Button(I18N("load"))
                reset_btn = gr.Button(I18N("reset"))
                ckpt_upload = gr.File(label=I18N("upload_checkpoint"), file_types=[".safetensors"], type="filepath")

    with gr.Tab(I18N("tab_explore"), id="explore") as explore_tab:
        gr.Markdown(I18N("explore_intro"))
        with gr.Accordion(I18N("lesson_title"), open=False):
            gr.Markdown(I18N("lesson"))
        gr.Markdown(I18N("inside_input"))
        inside_out = gr.HTML(elem_id="inside")
        gr.Markdown(I18N("hidden_layers"))
        layers_out = gr.HTML(elem_id="layers")
        with gr.Row():
            scores_plot = gr.BarPlot(x="digit", y="score", label=I18N("scores"), height=220)
            softmax_plot = gr.BarPlot(x="digit", y="probability", label=I18N("softmax"), y_lim=[0, 1], height=220)
        with gr.Row():
            weights_out = gr.Gallery(active_weights(None), label=I18N("weights"), columns=16, height=420,
                                     allow_preview=False, elem_id="weights", scale=3)
            with gr.Column(scale=1):
                gr.Markdown(I18N("unit"))
                unit_out = gr.HTML(elem_id="unit")
        epoch_slider = gr.Slider(1, 2, value=1, step=1, label=I18N("weights_epoch"), interactive=False)
        gr.Markdown(I18N("language_hint"))

    # --- events ---
    demo.load(None, js=FOLLOW_LANGUAGE_JS, outputs=lang, api_name=False).then(
        lambda lang: (prompt_html(lang), describe_model(None, lang)), inputs=lang, outputs=[prediction, model_info],
        api_name=False)
    projector.change(None, inputs=projector, js=PROJECTOR_JS, api_name=False)
    fullscreen.click(None, js=FULLSCREEN_JS, api_name=False)
    draw_outputs = [prediction, probabilities, preview]
    explore_inputs = [sketch, model_state, unit_state, lang]
    explore_outputs = [inside_out, layers_out, scores_plot, softmax_plot, unit_out]
    sketch.change(predict, inputs=[sketch, model_state, lang], outputs=draw_outputs, api_name="predict",
                  trigger_mode="always_last", show_progress="hidden", concurrency_limit=16)
    upload.change(predict_upload, inputs=[upload, model_state, lang], outputs=draw_outputs, api_name="predict_upload",
                  show_progress="hidden", concurrency_limit=16)
    clear.click(lambda: None, outputs=sketch, api_name=False)
    # the drawing is made on the Draw tab, so Explore is computed when its tab opens, not per stroke
    explore_tab.select(explore, inputs=explore_inputs, outputs=explore_outputs, api_name="look_inside",
                       show_progress="hidden", concurrency_limit=16)
    weights_out.select(pick_unit, outputs=unit_state, api_name=False).then(
        explore, inputs=explore_inputs, outputs=explore_outputs, api_name=False)
    epoch_slider.release(epoch_weights, inputs=[snapshots_state, epoch_slider, lang], outputs=weights_out, api_name=False)

    form = [hidden_in, epochs_in, batch_in, lr_in, optimizer_in, schedule_in, augment_in, seed_in]
    preset_in.change(preset_fields, inputs=preset_in, outputs=form, api_name=False)
    demo.load(preset_fields, inputs=preset_in, outputs=form, api_name=False)
    training = train_btn.click(
        train_model, inputs=[preset_in, *form, device_in, lang], api_name="train", concurrency_limit=1, concurrency_id="train",
        outputs=[progress_out, loss_plot, accuracy_plot, results_md, per_class_plot, confusion_out, mistakes,
                 trained_state, download_btn, snapshots_state, epoch_slider])
    stop_btn.click(lambda lang: progress_html(None, lang, text("stopped", lang)), inputs=lang, outputs=progress_out,
                   cancels=[training], api_name=False)
    # every change of the active model refreshes what the page says about it
    model_changed = [model_state, model_info, weights_out]
    use_btn.click(use_trained, inputs=[trained_state, lang], outputs=model_changed, api_name="use_trained")
    save_btn.click(save_trained, inputs=[trained_state, name_in, lang], outputs=[save_msg, saved_in], api_name="save")
    saved_in.focus(refresh_saved, outputs=saved_in, api_name=False)
    load_btn.click(load_saved, inputs=[saved_in, lang], outputs=model_changed, api_name="load_checkpoint")
    reset_btn.click(lambda lang: activate(None, lang), inputs=lang, outputs=model_changed, api_name="reset_model")
    ckpt_upload.upload(load_uploaded, inputs=[ckpt_upload, lang], outputs=model_changed, api_name="upload_checkpoint")
    gr.api(shipped_model_info, api_name="model_info")


def launch(**kwargs):
    """Serve the app; keyword arguments go to `Blocks.launch` (the server address comes from the
    GRADIO_SERVER_NAME / GRADIO_SERVER_PORT environment variables, default 127.0.0.1:7860)."""
    return demo.launch(theme=THEME, css=CSS, i18n=I18N, **kwargs)


if __name__ == "__main__":
    launch()
