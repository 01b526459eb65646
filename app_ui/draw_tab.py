"""The Draw tab: the pad and the answer side by side; the network runs in the page while you draw.

The server is asked only for an uploaded photo, or after each stroke while the visitor's model is
too big to run in the page (components.MAX_PAGE_PARAMETERS).
"""

import gradio as gr

from mnist_model.preprocess import load_picture

from .components import Answer, DigitPad, PictureUpload, answer_value, drawing_picture, model_payload
from .page import I18N, SHIPPED, Page, active, user_messages


@user_messages
def predict_picture(path: str | None, classifier=None, lang: str = "en") -> dict:
    """A picture file (an upload, or a script's) -> the answer."""
    clf = active(classifier)
    return answer_value(clf, None if path is None else clf.preprocess(load_picture(path)), lang)


@user_messages
def predict_drawing(drawing: str | None, classifier=None, lang: str = "en") -> dict:
    """The pad's drawing (PNG data URL) -> the answer, for a model too big for the page."""
    clf = active(classifier)
    picture = drawing_picture(drawing)
    return answer_value(clf, None if picture is None else clf.preprocess(picture), lang)


def page_model(classifier) -> dict:
    """The pad's update that takes the visitor's active model into the page."""
    return gr.update(model=model_payload(active(classifier)))


def build(page: Page) -> None:
    with gr.Tab(I18N("tab_draw"), id="draw"), gr.Row(elem_id="draw-area", equal_height=False):
        with gr.Column(min_width=300):
            pad = DigitPad(model=model_payload(SHIPPED), elem_id="sketch")
            upload = PictureUpload(label=I18N("upload"), type="filepath", image_mode=None,
                                   sources=["upload", "clipboard"], height=180)
        with gr.Column(min_width=300, elem_id="answer-column"):
            answer = Answer(elem_id="prediction")

    upload.upload(predict_picture, inputs=[upload, page.classifier, page.lang], outputs=answer, api_name="predict",
                  show_progress="hidden", concurrency_limit=16)
    pad.change(predict_drawing, inputs=[pad, page.classifier, page.lang], outputs=answer, api_name=False,
               trigger_mode="always_last", show_progress="hidden", concurrency_limit=16)
    page.classifier.change(page_model, inputs=page.classifier, outputs=pad, api_name=False)
