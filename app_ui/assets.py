"""The page's static files: JavaScript and CSS served by Gradio from app_ui/static, HTML templates read here.

Every component of ours names the scripts in its `head`: Gradio loads them once (by URL), in order,
and runs a component's `js_on_load` (which only calls into them) after they have loaded. URLs are
relative to the page (so a root path or proxy works) and carry a content hash, so a browser never
keeps an outdated copy. `serve()` lets Gradio serve the folder (app.launch calls it).
"""

import functools
import hashlib
from pathlib import Path

import gradio as gr

from .gradio_internals import tab_button

STATIC = Path(__file__).resolve().parent / "static"
# the drawing, inking, the pad's surface, preprocessing, the forward passes and the pipeline come with the
# page's HTML, before these (components.before_the_app: EARLY_SCRIPTS)
SCRIPTS = (  # in dependency order; all of them share one namespace, window.mnistDemo
    "language.js",    # the page's language, as Gradio shows it
    "pad.js",         # a pad: pointer input, its toolbar, handing the drawing to Python
    "bars.js",        # ten bars, one per digit
    "answer.js",      # the answer: the digit, ten probabilities, the 28 x 28 input
    "neuron.js",      # Explore's neuron: one unit's sum, bias, activation and output, live; dead units
    "layers.js",      # Explore's live hidden layers and scores
    "plot.js",        # the Train tab's curves
    "weights.js",     # the first layer's weights, one tile per unit
    "collection.js",  # a class's drawings, by digit, with the network's guesses
    "ask.js",         # the Teach tab's prompt: the digit the next Add stores
    "class_view.js",  # a page in a class: its role's look, and what comes into view
    "gradio_texts.js",  # Gradio's own words, in the page's language
    "scrolls.js",     # a table wider than its box fades at the edge that has more
    "start.js",       # the page's start-up, once, before any component mounts
)
STYLESHEET = STATIC / "app.css"
PROJECTOR_KEY = "mnist-demo-projector"  # localStorage: projector mode, remembered by the browser
PROJECTOR_JS = (f"(on) => {{ document.body.classList.toggle('projector', !!on); "
                f"try {{ localStorage.setItem('{PROJECTOR_KEY}', on ? '1' : ''); }} catch (e) {{}} return on; }}")
PROJECTOR_REMEMBERED_JS = f"() => {{ try {{ return localStorage.getItem('{PROJECTOR_KEY}') === '1'; }} catch (e) {{ return false; }} }}"


def serve() -> None:
    """Let Gradio serve app_ui/static (a setting of Gradio's, made when the app launches)."""
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


# The page's load (and a model's change) tells the server which model the page holds already, its
# HTML's (components.before_the_app; none when the HTML came without it)
HELD_JS = "(visitor, held, lang) => [visitor, window.mnistDemo?.pipeline?.holds?.() ?? '', lang]"
# A page's key and class, and the language its handlers answer in: static/sign_in.js, inlined in the
# page's head (components.page_head), so that it is there for the page's first event
# The model line is worded in the language the page shows when its event leaves, not the hidden box's:
# at the page's load the box may still say "en", and on a busy server that answer can come after the
# language change's (a Chinese phone of a class showed the line in English)
MODEL_LINE_JS = "(visitor, lang) => [visitor, mnistDemo.signIn.language() || lang]"
IDENTITY_JS = "(...values) => mnistDemo.signIn.identity(...values)"
ENTERED_JS = "(...values) => mnistDemo.signIn.entered(...values)"
REMEMBER_CLASS_JS = "(...values) => mnistDemo.signIn.remember(...values)"
# Add takes the drawing as the page has it: its picture (inked as the network is given it) and strokes
ADD_JS = """(drawing, strokes, ...rest) => [mnistDemo.pipeline.picture(),
  mnistDemo.drawing.state.strokes.length ? JSON.stringify(mnistDemo.drawing.state.strokes) : "", ...rest]"""
CLEAR_PAD_JS = "() => { mnistDemo.drawing.clear(); }"
# The digit picker's change words the Teach tab's prompt again, in the page (static/ask.js; what the
# prompt says until its script has come)
ASK_REWORD_JS = "(digit, shown) => window.mnistDemo?.ask?.worded(digit, shown) ?? shown"
SAME_JS = "(value) => value"  # an event that copies its input to its output, in the page
EMPTY_JS = "() => ''"  # an event that empties its output, in the page
# The Teach tab opens: a drawing made on another tab is not added as the digit asked for
TEACH_PAD_JS = "() => { mnistDemo.drawing.claim('teach-sketch'); }"
# A class's link opens the Teach tab (Gradio names a tab's button after the tab's elem_id)
OPEN_CLASS_JS = f"""() => {{ if (new URLSearchParams(location.search).get("class"))
  document.querySelector("{tab_button('teach-tab')}")?.click(); }}"""
