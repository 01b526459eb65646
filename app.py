"""Draw a digit, watch a small neural network classify it live, retrain it from the page.

    python app.py            # http://127.0.0.1:7860 (GRADIO_SERVER_NAME / GRADIO_SERVER_PORT to change)

Thin UI wiring: everything that is not UI lives in mnist_model/. Package errors become one-line
messages here (gr.Error) and nowhere else.
"""

import base64
import io
import os
import tempfile
import time
from dataclasses import dataclass

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
from mnist_model.model import parse_hidden  # noqa: E402
from mnist_model.preprocess import load_picture  # noqa: E402
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
.input-caption {text-align: center; font-weight: 600; margin-bottom: .4rem}
.input-preview {position: relative; width: 280px; height: 280px; margin: auto}
.input-preview img {width: 100%; height: 100%; image-rendering: pixelated; display: block}
.input-preview::after {content: ""; position: absolute; inset: 0; pointer-events: none;
  background-image: linear-gradient(rgba(128,128,128,.35) 1px, transparent 1px),
                    linear-gradient(90deg, rgba(128,128,128,.35) 1px, transparent 1px);
  background-size: 10px 10px}
#train-progress progress {width: 100%; height: 1.2rem}
.confusion {border-collapse: collapse; margin: auto; font-variant-numeric: tabular-nums}
.confusion td, .confusion th {padding: 2px 6px; text-align: right; font-size: .85rem}
"""


# --- Draw tab ---------------------------------------------------------------------------------


def describe_model(model: Classifier | None) -> str:
    clf = model or SHIPPED
    shape = " → ".join(map(str, (784, *clf.hidden, 10)))
    who = "your trained model (this session only)" if model is not None else "the shipped model"
    accuracy = f", {clf.test_accuracy:.2%} on the MNIST test set" if clf.test_accuracy is not None else ""
    return f"**Active model:** {who}: MLP {shape}{accuracy}."


def shipped_model_info() -> str:
    """Which model the app ships. Also the cheapest endpoint there is: the protocol's own cost."""
    return describe_model(None)


def preview_html(digit: np.ndarray) -> str:
    """The 28x28 input as an inline PNG, drawn large with crisp pixels and a grid (no file to fetch)."""
    png = io.BytesIO()
    Image.fromarray((digit * 255).round().astype(np.uint8)).save(png, format="PNG")
    data = base64.b64encode(png.getvalue()).decode()
    return (f'<div class="input-caption">What the network sees: 28 × 28 pixels</div>'
            f'<div class="input-preview"><img alt="the 28 x 28 input" src="data:image/png;base64,{data}"></div>')


def show_prediction(clf: Classifier, digit: np.ndarray | None):
    if digit is None:
        return '<div class="prompt">Draw a digit</div>', None, None
    probs = clf.probabilities(digit)
    best = int(probs.argmax())
    html = f'<div class="digit">{best}</div><div class="caption">{probs[best]:.0%} sure</div>'
    return html, {str(d): float(p) for d, p in enumerate(probs)}, preview_html(digit)


def classify(load, value, model: Classifier | None):
    """Open `value` with `load`, preprocess and classify it; package errors become one-line messages."""
    clf = model or SHIPPED
    try:
        digit = None if value is None else clf.preprocess(load(value))
    except MnistModelError as exc:
        raise gr.Error(str(exc)) from None
    return show_prediction(clf, digit)


def predict(sketch: dict | None, model: Classifier | None = None):
    """Sketchpad value -> (prediction, probabilities of 0..9, the 28x28 input the network sees)."""
    return classify(lambda value: value, sketch, model)


def predict_upload(path: str | None, model: Classifier | None = None):
    """An uploaded picture (file path) -> the same outputs as `predict`."""
    return classify(load_picture, path, model)


class ReadableUpload:
    """Mixin for picture inputs: a file Gradio cannot decode becomes a one-line message, not a server error."""

    def preprocess(self, payload):
        try:
            return super().preprocess(payload)
        except gr.Error:
            raise
        except Exception as exc:  # whatever the decoder raised: the user only needs to know it failed
            raise gr.Error(f"cannot read this file as an image ({type(exc).__name__})") from None


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


def progress_html(p: Progress | None, note: str = "") -> str:
    if p is None:
        return f"<div>{note}</div>"
    left = time.strftime("%M:%S", time.gmtime(p.eta)) if p.eta == p.eta else "…"
    return (f'<progress max="1" value="{p.fraction:.4f}"></progress>'
            f"<div>epoch {p.epoch}/{p.epochs} · step {p.step}/{p.steps_per_epoch} · "
            f"{p.samples_per_s:,.0f} samples/s · {left} left {note}</div>")


def confusion_html(confusion: list[list[int]]) -> str:
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
    return (f'<table class="confusion"><caption>Confusion matrix: rows = true digit, columns = predicted</caption>'
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


def train_model(preset_name, hidden, epochs, batch_size, lr, optimizer, schedule, augment, seed, device_name,
                progress=gr.Progress(track_tqdm=True)):
    """Train a fresh network and stream its progress; the finished model is kept for this visitor.

    Stop cancels this generator: training runs only while it is iterated, so it ends at once,
    before the run finishes, and nothing the visitor had (active model, saved files) changes."""
    try:
        cfg = read_config(preset_name, hidden, epochs, batch_size, lr, optimizer, schedule, augment, seed)
        resolve_device(device_name)
    except MnistModelError as exc:
        raise gr.Error(str(exc)) from None
    losses, accuracies, last = [], [], None
    yield {progress_out: progress_html(None, "loading MNIST…"), loss_plot: None, accuracy_plot: None}
    try:
        for event in _train_run(cfg, device_name):
            if isinstance(event, Progress):
                last = event
                losses.append({"step": (event.epoch - 1) * event.steps_per_epoch + event.step, "loss": event.loss})
                yield {progress_out: progress_html(event), loss_plot: pd.DataFrame(losses)}
            elif isinstance(event, EpochEnd):
                accuracies.append({"epoch": event.epoch, "test accuracy": event.test_accuracy})
                yield {accuracy_plot: pd.DataFrame(accuracies),
                       progress_out: progress_html(last, f"· test accuracy {event.test_accuracy:.2%}")}
            elif isinstance(event, Report):
                yield finished_outputs(event)
    except MnistModelError as exc:
        raise gr.Error(str(exc)) from None


def finished_outputs(report: Report) -> dict:
    r, metrics = report.done.result, report.metrics
    meta = {"test_accuracy": r.test_accuracy, "recipe": r.config.to_dict(), "device": r.device}
    clf = Classifier(report.done.model, {**meta, "hidden": list(r.config.hidden)})
    gallery = [(image, f"true {t} → predicted {p}") for image, (_, t, p) in zip(report.mistake_images, metrics.mistakes)]
    download = os.path.join(tempfile.mkdtemp(prefix="mnist-mlp-"), "mnist_mlp_trained.safetensors")
    checkpoint.save(download, clf.model, **meta)
    per_class = pd.DataFrame({"digit": [str(d) for d in range(10)], "accuracy": metrics.per_class})
    summary = (f"**Test accuracy {r.test_accuracy:.2%}** after {r.config.epochs} epoch(s) in {r.elapsed:.1f} s "
               f"on {r.device} ({r.samples_per_s:,.0f} samples/s). Press *Use this model* to draw with it.")
    return {progress_out: progress_html(None, "Finished."), results_md: summary, per_class_plot: per_class,
            confusion_out: confusion_html(metrics.confusion), mistakes: gallery, trained_state: clf,
            download_btn: gr.DownloadButton(value=download, interactive=True)}


def use_trained(trained: Classifier | None):
    if trained is None:
        raise gr.Error("train a model first: there is no finished run in this session")
    return trained, describe_model(trained)


def save_trained(trained: Classifier | None, name: str):
    if trained is None:
        raise gr.Error("train a model first: there is no finished run in this session")
    try:
        path = checkpoint.save_named(SAVE_DIR, name, trained.model, test_accuracy=trained.test_accuracy,
                                     recipe=trained.meta.get("recipe", {}))
    except MnistModelError as exc:
        raise gr.Error(str(exc)) from None
    return f"Saved as `{path.name}`.", gr.Dropdown(choices=list(checkpoint.list_named(SAVE_DIR)), value=path.stem)


def load_saved(name: str):
    if name == "shipped":
        return None, describe_model(None)
    path = checkpoint.list_named(SAVE_DIR).get(name)
    if path is None:
        raise gr.Error(f"there is no saved checkpoint named {name!r}")
    try:
        clf = Classifier.load(path)
    except MnistModelError as exc:
        raise gr.Error(str(exc)) from None
    return clf, describe_model(clf)


def load_uploaded(path: str | None):
    if path is None:
        raise gr.Error("choose a .safetensors checkpoint file to upload")
    try:
        clf = Classifier.load(path)
    except MnistModelError as exc:
        raise gr.Error(str(exc)) from None
    return clf, describe_model(clf)


def refresh_saved():
    return gr.Dropdown(choices=list(checkpoint.list_named(SAVE_DIR)))


# --- layout ----------------------------------------------------------------------------------

THEME = gr.themes.Soft(font=["ui-sans-serif", "system-ui", "sans-serif"],
                       font_mono=["ui-monospace", "monospace"])  # system fonts: nothing fetched

with gr.Blocks(title="Draw a digit — MNIST MLP") as demo:
    model_state = gr.State(None)  # this visitor's active model; None = the shipped one
    trained_state = gr.State(None)  # this visitor's last finished training run
    gr.Markdown("# Draw a digit\nA small neural network (the classic MNIST multilayer perceptron) guesses it as you draw.")
    model_info = gr.Markdown(describe_model(None))

    with gr.Tab("Draw", id="draw"):
        with gr.Row():
            with gr.Column():
                sketch = DrawingPad(
                    label="Draw one digit, large, in the middle",
                    canvas_size=(CANVAS, CANVAS), fixed_canvas=True, type="pil", image_mode="RGBA",
                    format="png", layers=False, transforms=(),
                    brush=gr.Brush(default_size=BRUSH_RADIUS, colors=["#000000"], color_mode="fixed"),
                )
                clear = gr.Button("Clear", variant="secondary")
                upload = PictureUpload(label="…or upload a photo of a digit written on paper", type="filepath",
                                       sources=["upload", "clipboard"], height=200)
            with gr.Column():
                prediction = gr.HTML('<div class="prompt">Draw a digit</div>', label="Prediction", elem_id="prediction")
                probabilities = gr.Label(label="Probability of each digit", num_top_classes=10)
                preview = gr.HTML(label="What the network sees")

    with gr.Tab("Train", id="train"):
        gr.Markdown("Change the network or the recipe, press **Train**, and watch it learn. "
                    "*seed* is the tutorial's recipe, *fast* gets above 96.7% in seconds, *best* made the shipped model.")
        with gr.Row():
            with gr.Column(scale=1):
                preset_in = gr.Radio(list(PRESETS), value="fast", label="Recipe (preset)")
                hidden_in = gr.Textbox(label="Hidden layers: units per layer, comma-separated")
                with gr.Row():
                    epochs_in = gr.Number(label="Epochs", precision=0)
                    batch_in = gr.Number(label="Batch size", precision=0)
                    lr_in = gr.Number(label="Learning rate")
                with gr.Row():
                    optimizer_in = gr.Dropdown(list(OPTIMIZERS), label="Optimiser")
                    schedule_in = gr.Dropdown(list(SCHEDULES), label="Learning-rate schedule")
                with gr.Row():
                    augment_in = gr.Checkbox(label="Augmentation (shifts, rotations, sizes, stroke widths)")
                    seed_in = gr.Number(label="Random seed", precision=0)
                device_in = gr.Dropdown([(label, name) for name, label in DEVICES], value=DEVICES[0][0], label="Device")
                with gr.Row():
                    train_btn = gr.Button("Train", variant="primary")
                    stop_btn = gr.Button("Stop", variant="stop")
            with gr.Column(scale=2):
                progress_out = gr.HTML(elem_id="train-progress")
                with gr.Row():
                    loss_plot = gr.LinePlot(x="step", y="loss", label="Training loss", height=250)
                    accuracy_plot = gr.LinePlot(x="epoch", y="test accuracy", label="Test accuracy per epoch", height=250)
                results_md = gr.Markdown()
                with gr.Row():
                    per_class_plot = gr.BarPlot(x="digit", y="accuracy", label="Test accuracy per digit", y_lim=[0.8, 1.0], height=250)
                    confusion_out = gr.HTML()
                mistakes = gr.Gallery(label="Misclassified test digits", columns=8, height=260)
                with gr.Row():
                    use_btn = gr.Button("Use this model", variant="primary")
                    download_btn = gr.DownloadButton("Download", interactive=False)
                with gr.Row():
                    name_in = gr.Textbox(label="Save as (letters, digits, - and _)", placeholder="my-model")
                    save_btn = gr.Button("Save")
                save_msg = gr.Markdown()
        with gr.Accordion("Saved models", open=False):
            with gr.Row():
                saved_in = gr.Dropdown(list(checkpoint.list_named(SAVE_DIR)), value="shipped", label="Saved checkpoints")
                load_btn = gr.Button("Use selected")
                ckpt_upload = gr.File(label="…or upload a .safetensors checkpoint", file_types=[".safetensors"], type="filepath")

    # --- events ---
    draw_outputs = [prediction, probabilities, preview]
    sketch.change(predict, inputs=[sketch, model_state], outputs=draw_outputs, api_name="predict",
                  trigger_mode="always_last", show_progress="hidden", concurrency_limit=16)
    upload.change(predict_upload, inputs=[upload, model_state], outputs=draw_outputs, api_name="predict_upload",
                  show_progress="hidden", concurrency_limit=16)
    clear.click(lambda: None, outputs=sketch, api_name=False)

    form = [hidden_in, epochs_in, batch_in, lr_in, optimizer_in, schedule_in, augment_in, seed_in]
    preset_in.change(preset_fields, inputs=preset_in, outputs=form, api_name=False)
    demo.load(preset_fields, inputs=preset_in, outputs=form, api_name=False)
    training = train_btn.click(
        train_model, inputs=[preset_in, *form, device_in], api_name="train", concurrency_limit=1, concurrency_id="train",
        outputs=[progress_out, loss_plot, accuracy_plot, results_md, per_class_plot, confusion_out, mistakes,
                 trained_state, download_btn])
    stop_btn.click(lambda: progress_html(None, "Stopped: the previous model stays active."), outputs=progress_out,
                   cancels=[training], api_name=False)
    use_btn.click(use_trained, inputs=trained_state, outputs=[model_state, model_info], api_name="use_trained")
    save_btn.click(save_trained, inputs=[trained_state, name_in], outputs=[save_msg, saved_in], api_name="save")
    saved_in.focus(refresh_saved, outputs=saved_in, api_name=False)
    load_btn.click(load_saved, inputs=saved_in, outputs=[model_state, model_info], api_name="load_checkpoint")
    gr.api(shipped_model_info, api_name="model_info")
    ckpt_upload.upload(load_uploaded, inputs=ckpt_upload, outputs=[model_state, model_info], api_name="upload_checkpoint")


def launch(**kwargs):
    """Serve the app; keyword arguments go to `Blocks.launch` (the server address comes from the
    GRADIO_SERVER_NAME / GRADIO_SERVER_PORT environment variables, default 127.0.0.1:7860)."""
    return demo.launch(theme=THEME, css=CSS, **kwargs)


if __name__ == "__main__":
    launch()
