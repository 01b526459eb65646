"""The Draw tab: the pad and the answer side by side; the network runs in the page while you draw.

The server is asked only for an uploaded photo, or after each stroke while the visitor's model is
too big to run in the page (components.MAX_PAGE_PARAMETERS).
"""

import gradio as gr

from mnist_model.preprocess import load_picture

from . import assets
from .binding import Wiring
from .components import Answer, DigitPad, PictureUpload, RawTextbox, answer_value, drawing_picture, model_payload
from .page import Page, active, user_messages
from .texts import I18N

PAD = "sketch"  # the Draw tab's pad (its elem_id): a drawing made before the page came is its


@user_messages
def predict_picture(path: str | None, visitor=None, lang: str = "en") -> dict:
    """A picture file (an upload, or a script's) -> the answer."""
    clf = active(visitor)
    return answer_value(clf, None if path is None else clf.preprocess(load_picture(path)), lang)


@user_messages
def predict_drawing(drawing: str | None, visitor=None, lang: str = "en") -> dict:
    """The pad's drawing (PNG data URL) -> the answer, for a model too big for the page."""
    clf = active(visitor)
    picture = drawing_picture(drawing)
    return answer_value(clf, None if picture is None else clf.preprocess(picture), lang)


@user_messages
def page_model(visitor, held="", lang: str = "en") -> dict:
    """The visitor's active model, as the pad takes it into the page; `held`: the digest of the model the
    page holds already (its HTML's: components.before_the_app), whose weights are not sent again."""
    return model_payload(active(visitor), page_holds=held if isinstance(held, str) else "")


def build(page: Page) -> None:
    c = {"visitor": page.visitor, "lang": page.lang, "model": page.model}
    with gr.Tab(I18N("tab_draw"), id="draw"), gr.Row(elem_id="draw-area", equal_height=False):
        with gr.Column(min_width=300):
            c["pad"] = DigitPad(carries_model=True, elem_id=PAD)
            c["upload"] = PictureUpload(label=I18N("upload"), type="filepath", image_mode=None,
                                        sources=["upload", "clipboard"], height=180, elem_id="upload")
        with gr.Column(min_width=300, elem_id="answer-column"):
            c["answer"] = Answer(elem_id="prediction")
            # (inside the tab: a component between two tabs would split the page's tabs in two)
            c["held"] = RawTextbox(visible=False)  # the model the page holds (assets.HELD_JS)
    _wire(page, c)


def _wire(page: Page, c: dict) -> None:
    w = Wiring(c)
    predicted = w.on(c["upload"].upload, predict_picture, ("upload", "visitor", "lang"), ("answer",),
                     api_name="predict", show_progress="hidden", concurrency_limit=16, concurrency_id="light")
    # a failed upload leaves the box empty, ready for the next file: a file that was no picture stayed in
    # it as a broken picture, to be taken out by hand. (Whatever failed: a busy server's refusal too, and
    # its message asks for the file again; the event cannot tell a refused file from other failures.)
    predicted.failure(None, outputs=c["upload"], js="() => null", api_name=False, show_progress="hidden")
    w.on(c["pad"].change, predict_drawing, ("pad", "visitor", "lang"), ("answer",), api_name=False,
         trigger_mode="always_last", show_progress="hidden", concurrency_limit=16, concurrency_id="light")
    # the page gets the model when it opens, and again whenever the visitor's active model changes
    for trigger in (page.blocks.load, c["model"].change):  # (no progress flashing over the pad)
        w.on(trigger, c["pad"].updating(page_model, "model"), ("visitor", "held", "lang"), ("pad",), api_name=False,
             show_progress="hidden", js=assets.HELD_JS)
