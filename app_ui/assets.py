"""The page's static files: JavaScript and CSS served by Gradio from app_ui/static, HTML templates read here.

Every component of ours names the scripts in its `head`: Gradio loads them once (by URL), in order,
and runs a component's `js_on_load` (which only calls into them) after they have loaded. URLs are
relative to the page (so a root path or proxy works) and carry a content hash, so a browser never
keeps an outdated copy.
"""

import functools
import hashlib
from pathlib import Path

import gradio as gr

STATIC = Path(__file__).resolve().parent / "static"
SCRIPTS = ("language.js", "preprocess.js", "mlp.js", "live.js", "pad.js", "views.js")  # in dependency order
STYLESHEET = STATIC / "app.css"

gr.set_static_paths([STATIC])


def url(name: str) -> str:
    path = STATIC / name
    version = hashlib.sha256(path.read_bytes()).hexdigest()[:12]
    return f"gradio_api/file={path}?v={version}"


@functools.cache
def head() -> str:
    """The <script> tags of the page's scripts."""
    return "\n".join(f'<script src="{url(name)}"></script>' for name in SCRIPTS)


@functools.cache
def text(name: str) -> str:
    """A template or stylesheet from app_ui/static, as text."""
    return (STATIC / name).read_text(encoding="utf-8")
