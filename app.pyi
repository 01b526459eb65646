"""Draw a digit, watch a small neural network classify it live.

    python app.py            # http://127.0.0.1:7860 (GRADIO_SERVER_NAME / GRADIO_SERVER_PORT to change)

Thin UI wiring: everything that is not UI lives in mnist_model/.
"""

import base64
import io
import os

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")  # no phoning home: the app runs offline

import gradio as gr  # noqa: E402
import numpy as np  # noqa: E402
from PIL import Image  # noqa: E402

from mnist_model import Classifier, MnistModelError  # noqa: E402
from mnist_model.preprocess import load_picture  # noqa: E402

CANVAS = 280  # px; small canvases upload fast after every stroke (see shared Gradio notes)
BRUSH_RADIUS = 12  # px; a digit drawn across the canvas ends with MNIST-like 2-3 px strokes
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
"""


# --- handlers --------------------------------------------------------------------------------


def describe_model(model: Classifier | None) -> str:
    clf = model or SHIPPED
    shape = " → ".join(map(str, (784, *clf.hidden, 10)))
    who = "your trained model (this session only)" if model is not None else "the shipped model"
    accuracy = f", {clf.test_accuracy:.2%} on the MNIST test set" if clf.test_accuracy is not None else ""
    return f"**Active model:** {who}: MLP {shape}{accuracy}."


def preview_html(digit: np.ndarray) -> str:
    """The 28x28 input as an inline PNG, drawn large with crisp pixels and a grid (no file to fetch)."""
    png = io.BytesIO()
    Image.fromarray((digit * 255).round().astype(np.uint8)).save(png, format="PNG")
    data = base64.b64encode(png.getvalue()).decode()
    return f'<div class="input-preview"><img alt="the 28 x 28 input" src="data:image/png;base64,{data}"></div>'


class ReadableUpload:
    """Mixin for picture inputs: a file Gradio cannot decode becomes a one-line message, not a server error."""

    def preprocess(self, payload):
        try:
            return super().preprocess(payload)
        except gr.Error:
            raise
        except Exception as exc:  # whatever the decoder raised: the user only needs to know it failed
            raise gr.Error(f"cannot read this file as an image ({type(exc).__name__})") from None

from gradio.events import Dependency

class DrawingPad(ReadableUpload, gr.Sketchpad):
    def get_block_name(self) -> str:
        return "imageeditor"
    from typing import Callable, Literal, Sequence, Any, TYPE_CHECKING
    from gradio.blocks import Block
    if TYPE_CHECKING:
        from gradio.components import Timer
        from gradio.components.base import Component  # Gradio's front end for sketchpads


class PictureUpload(ReadableUpload, gr.Image):
    def get_block_name(self) -> str:
        return "image"
    from typing import Callable, Literal, Sequence, Any, TYPE_CHECKING
    from gradio.blocks import Block
    if TYPE_CHECKING:
        from gradio.components import Timer
        from gradio.components.base import Component


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


# --- layout ----------------------------------------------------------------------------------

THEME = gr.themes.Soft(font=["ui-sans-serif", "system-ui", "sans-serif"],
                       font_mono=["ui-monospace", "monospace"])  # system fonts: nothing fetched

with gr.Blocks(title="Draw a digit — MNIST MLP") as demo:
    model_state = gr.State(None)  # this visitor's trained model; None = the shipped one
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
                preview = gr.HTML(label="What the network sees: 28 × 28 pixels", show_label=True)

    outputs = [prediction, probabilities, preview]
    sketch.change(predict, inputs=[sketch, model_state], outputs=outputs, api_name="predict",
                  trigger_mode="always_last", show_progress="hidden", concurrency_limit=16)
    upload.change(predict_upload, inputs=[upload, model_state], outputs=outputs, api_name="predict_upload",
                  show_progress="hidden", concurrency_limit=16)
    clear.click(lambda: None, outputs=sketch, api_name=False)
    model_state.change(describe_model, inputs=model_state, outputs=model_info, api_name=False)


def launch(**kwargs):
    """Serve the app; keyword arguments go to `Blocks.launch` (the server address comes from the
    GRADIO_SERVER_NAME / GRADIO_SERVER_PORT environment variables, default 127.0.0.1:7860)."""
    return demo.launch(theme=THEME, css=CSS, **kwargs)


if __name__ == "__main__":
    launch()