"""Draw a digit, watch a small neural network classify it live, retrain it from the page.

    python app.py            # http://127.0.0.1:7860 (GRADIO_SERVER_NAME / GRADIO_SERVER_PORT to change)

Layout and launch only: the tabs are built in app_ui/ (each by a function that creates its
components, then wires its handlers), everything that is not UI lives in mnist_model/.
"""

import logging
import os

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")  # no phoning home: the app runs offline

try:  # on Hugging Face ZeroGPU, `spaces` must come before torch and Gradio (it patches both)
    import spaces  # noqa: F401
except ImportError:
    pass

from app_ui import hosting  # noqa: E402

hosting.prepare()  # every file the app writes goes under its own folder, emptied now (before Gradio starts)

import gradio as gr  # noqa: E402
import torch  # noqa: E402

from app_ui import assets, draw_tab, explore_tab, train_tab  # noqa: E402
from app_ui.page import I18N, Page, describe_model  # noqa: E402

# Serving keeps a core: torch ops use all cores but one (one on a 2-core machine), so a CPU
# training run cannot starve the predictions of other visitors.
torch.set_num_threads(max(1, (os.cpu_count() or 2) - 1))

THEME = gr.themes.Soft(font=["ui-sans-serif", "system-ui", "sans-serif"],
                       font_mono=["ui-monospace", "monospace"])  # system fonts: nothing fetched
PROJECTOR_JS = "(on) => { document.body.classList.toggle('projector', on); return on; }"

def shipped_model_info() -> str:
    """Which model the app ships. Also the cheapest endpoint there is: the protocol's own cost.
    (gr.api reads the outputs from the return annotation: without one, it would answer nothing.)"""
    return describe_model(None)


# Gradio's cache (uploads, files handed to the page) is emptied of files older than the host keeps
KEEP = int(hosting.LIMITS.keep_seconds)
with gr.Blocks(title="Draw a digit — MNIST MLP", delete_cache=(max(60, KEEP // 4), KEEP)) as demo:
    with gr.Row(elem_id="page-title"):
        gr.Markdown(I18N("title"))
        projector = gr.Checkbox(label=I18N("projector"), scale=0, elem_id="projector")
    page = Page(
        blocks=demo,
        classifier=gr.State(None),
        model_info=gr.Markdown(describe_model(None), elem_id="model-info"),
        lang=gr.Textbox("en", visible="hidden", elem_id="page-language"),
        snapshots=gr.State(None),
    )
    draw_tab.build(page)
    train_tab.build(page)
    explore_tab.build(page)

    # the hidden `lang` box follows the language Gradio shows (app_ui/static/language.js)
    page.lang.change(describe_model, inputs=[page.classifier, page.lang], outputs=page.model_info, api_name=False)
    projector.change(None, inputs=projector, js=PROJECTOR_JS, api_name=False)
    gr.api(shipped_model_info, api_name="model_info")


def launch(**kwargs):
    """Serve the app; keyword arguments go to `Blocks.launch` (the server address comes from the
    GRADIO_SERVER_NAME / GRADIO_SERVER_PORT environment variables, default 127.0.0.1:7860)."""
    hosting.start_sweeping()
    demo.queue(max_size=hosting.LIMITS.queue)  # more waiting visitors are told to come back later
    return demo.launch(theme=THEME, css_paths=[assets.STYLESHEET], i18n=I18N,
                       max_file_size=f"{hosting.LIMITS.upload_mb:g}mb", **kwargs)


if __name__ == "__main__":
    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(name)s %(message)s")
    logging.getLogger("mnist_app").setLevel(logging.INFO)  # a refused request: one line each
    launch()
