"""Draw a digit, watch a small neural network classify it live, retrain it from the page.

    python app.py            # http://127.0.0.1:7860 (GRADIO_SERVER_NAME / GRADIO_SERVER_PORT to change)

Layout and launch only: the tabs are built in app_ui/ (each by a function that creates its
components, then wires its handlers), everything that is not UI lives in mnist_model/. Importing
this module builds the page and nothing else: the app's folder, torch's threads, the sweeper, the
static files and teaching's data (read in the background) are set up by `launch()`, which
`python app.py` (and Gradio's reload mode, and Hugging Face Spaces) calls.
"""

import atexit
import logging
import os
import signal
import sys
import threading

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")  # no phoning home: the app runs offline

try:  # on Hugging Face ZeroGPU, `spaces` must come before torch and Gradio (it patches both)
    import spaces  # noqa: F401
except ImportError:
    pass

import gradio as gr  # noqa: E402

from app_server import hosting  # noqa: E402

# a setting, read as Gradio makes each component: its cache goes into the app's folder (after Gradio's
# import, which would make a folder of its own there: importing the app writes nothing)
hosting.gradio_cache()

import torch  # noqa: E402
from starlette.middleware import Middleware  # noqa: E402
from starlette.middleware.gzip import DEFAULT_EXCLUDED_CONTENT_TYPES, GZipMiddleware  # noqa: E402

from app_server import classes, memory  # noqa: E402
from app_server.visitors import STORE  # noqa: E402
from app_ui import (  # noqa: E402
    assets,
    draw_tab,
    explore_tab,
    gradio_internals,
    guards,
    teach_tab,
    teaching,
    train_tab,
)
from app_ui.components import GradioTexts, before_the_app, page_head  # noqa: E402
from app_ui.page import Page, describe_model, shipped  # noqa: E402
from app_ui.texts import I18N, TEXTS  # noqa: E402

THEME = gr.themes.Soft(font=["ui-sans-serif", "system-ui", "sans-serif"],
                       font_mono=["ui-monospace", "monospace"])  # system fonts: nothing fetched


def shipped_model_info() -> str:
    """Which model the app ships. Also the cheapest endpoint there is: the protocol's own cost.
    (gr.api reads the outputs from the return annotation: without one, it would answer nothing.)"""
    return describe_model(None)


def _before_the_app(query: str) -> tuple[str, str]:
    """The page's HTML besides Gradio's app (components.before_the_app), for the page's address's query:
    a class's link stands in for the Teach tab's pad, any other page for the Draw tab's."""
    class_link = classes.by_link(query)
    return before_the_app(teach_tab.PAD if class_link else draw_tab.PAD, shipped(), class_link=class_link)


# Gradio's cache (uploads, downloads) is emptied of files older than the host keeps
KEEP = int(hosting.LIMITS.keep_seconds)
# (the browser tab's title is worded in the page's language by static/gradio_texts.js)
with gr.Blocks(title=TEXTS["en"]["page_title"], delete_cache=(max(60, KEEP // 4), KEEP)) as demo:
    with gr.Row(elem_id="page-title"):
        gr.Markdown(I18N("title"))
        projector = gr.Checkbox(label=I18N("projector"), scale=0, elem_id="projector")
    model_info = gr.Markdown(I18N("model_loading"), elem_id="model-info")
    # Gradio shows this in the page's language: language.js reads it to know which that is
    gr.Markdown(I18N("lang_code"), visible="hidden", elem_id="page-language-code")
    page = Page(
        blocks=demo,
        visitor=gr.State(None, delete_callback=lambda visitor: visitor is not None and visitor.delete()),
        model=gr.State(None),
        model_info=model_info,
        lang=gr.Textbox("en", visible="hidden", elem_id="page-language"),
        frames=gr.State(None),
    )
    GradioTexts(visible="hidden")
    draw_tab.build(page)
    train_tab.build(page)
    explore_tab.build(page)
    teach_tab.build(page)

    # the model line names the active model whatever made it so (a class's published model too), in the
    # language Gradio shows (the hidden `lang` box follows it: app_ui/static/language.js); Gradio's
    # progress ("queue: 1/1", "processing") never flashes over it
    for trigger in (page.lang.change, page.model.change, demo.load):
        trigger(describe_model, inputs=[page.visitor, page.lang], outputs=page.model_info, api_name=False,
                show_progress="hidden", js=assets.MODEL_LINE_JS)
    projector.change(None, inputs=projector, js=assets.PROJECTOR_JS, api_name=False)
    demo.load(None, outputs=projector, js=assets.PROJECTOR_REMEMBERED_JS, api_name=False)
    gr.api(shipped_model_info, api_name="model_info")


def launch(**kwargs):
    """Serve the app; keyword arguments go to `Blocks.launch` (the server address comes from the
    GRADIO_SERVER_NAME / GRADIO_SERVER_PORT environment variables, default 127.0.0.1:7860)."""
    hosting.prepare()  # every file the app writes goes under its own folder, emptied now ...
    atexit.register(hosting.remove)  # ... and removed when the app stops: nothing in it outlives the server
    if threading.current_thread() is threading.main_thread():  # `kill` (a host stopping the app) exits cleanly
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    # Serving keeps a core: torch ops use all cores but one (one on a 2-core machine), so a CPU
    # training run cannot starve the predictions of other visitors.
    torch.set_num_threads(max(1, (os.cpu_count() or 2) - 1))
    assets.serve()
    memory.return_freed_memory()
    hosting.start_sweeping(also=[STORE.expire, classes.expire, memory.trim])
    teaching.prepare_in_background()
    gradio_internals.refuse_malformed_calls(demo)
    # more waiting requests are told to come back later; an event that names no limit of its own runs
    # up to 8 at once (Gradio's default of 1 would make a class's page loads wait in single file)
    demo.queue(max_size=hosting.LIMITS.queue, default_concurrency_limit=8)
    gradio_internals.limit_queue(demo, guards.queue_refusal)  # one caller never fills it for everyone
    # run_history=False: Gradio's history of calls would keep visitors' drawings in a shared
    # classroom browser, and its footer link ("Runs") has no words but English
    return demo.launch(theme=THEME, css_paths=[assets.STYLESHEET], head=page_head(), i18n=I18N, run_history=False,
                       max_file_size=f"{hosting.LIMITS.upload_mb:g}mb",
                       # the page's HTML (Gradio's config with both languages' texts: 384 KB) gzipped, for
                       # a class's phones sharing one Wi-Fi (bench/page_load.py); Gradio's own scripts come
                       # compressed already, and event streams are left as they are
                       app_kwargs={"middleware": [Middleware(GZipMiddleware, minimum_size=1024, compresslevel=6,
                                                             # (a model's weights hardly compress: not worth a core)
                                                             exclude_content_types=(*DEFAULT_EXCLUDED_CONTENT_TYPES,
                                                                                    "application/octet-stream")),
                                                  Middleware(guards.UploadGuard),
                                                  # a pad to draw on, and the network to answer it, before
                                                  # Gradio's scripts have come
                                                  Middleware(gradio_internals.BeforeTheApp, html=_before_the_app)]},
                       **kwargs)


if __name__ == "__main__":
    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(name)s %(message)s")
    logging.getLogger("mnist_app").setLevel(logging.INFO)  # a refused request: one line each
    launch()
