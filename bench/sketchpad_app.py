"""The Draw tab as it was before the live pad: Gradio's Sketchpad, the answer computed on the server
after each stroke. Kept only as bench/browser_latency.py's baseline; it is not part of the app.

    GRADIO_SERVER_PORT=7861 python -m bench.sketchpad_app
"""

import os

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")

import gradio as gr  # noqa: E402

from mnist_model import Classifier  # noqa: E402
from mnist_model.pen import BRUSH_RADIUS, PAD_SIZE  # noqa: E402

MODEL = Classifier.load()


def predict(sketch):
    """The Sketchpad's value (background, layers, composite): its drawing layer is the ink."""
    layers = (sketch or {}).get("layers") or []
    probabilities = MODEL.predict_proba(layers[0]) if layers else None
    if probabilities is None:
        return '<div class="prompt">Draw a digit</div>'
    return f'<div class="digit">{int(probabilities.argmax())}</div>'


with gr.Blocks() as demo:
    sketch = gr.Sketchpad(canvas_size=(PAD_SIZE, PAD_SIZE), fixed_canvas=True, type="numpy", image_mode="RGBA",
                          layers=False, transforms=(), elem_id="sketchpad",
                          brush=gr.Brush(default_size=BRUSH_RADIUS, colors=["#000000"], color_mode="fixed"))
    answer = gr.HTML('<div class="prompt">Draw a digit</div>', elem_id="prediction")
    sketch.change(predict, inputs=sketch, outputs=answer, trigger_mode="always_last", show_progress="hidden",
                  concurrency_limit=16)

if __name__ == "__main__":
    demo.launch()
