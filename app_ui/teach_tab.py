"""The Teach tab: a person, or a class of phones, builds a collection of their own digits and teaches
the network their writing in seconds; a teacher's screen shows the class's code as a QR code.

Layout and wiring only: the handlers are teaching.py's, the work app_server.classes'. The API's class
endpoints (/class_start, /class_join, /class_add, /class_teach, /class_publish, and the teacher's
/class_status, /class_drawings, /class_delete, /class_remove, /class_end) are wired here to hidden
components, so that each answers with one dict.
"""

import functools

import gradio as gr

from mnist_model.not_digits import NOT_A_DIGIT

from . import assets, teaching
from .binding import ALL_PROPS, Wiring
from .components import (
    CollectionGallery,
    DigitAsked,
    DigitPad,
    FileUpload,
    OneChoice,
    PictureUpload,
    RawNumber,
    RawRadio,
    RawTextbox,
)
from .page import Page
from .render import answer_text
from .texts import I18N

PAD = "teach-sketch"  # the Teach tab's pad (its elem_id): a class's link has a pad before the page that is its
PROPS = {"collection": "collection", "ask": ALL_PROPS}  # outputs that are a page component's prop(s)


def build(page: Page) -> None:
    c: dict = {"lang": page.lang, "visitor": page.visitor, "model": page.model, "model_info": page.model_info,
               **page.for_trained}  # (the Train tab is built first)
    with gr.Tab(I18N("tab_teach"), id="teach", elem_id="teach-tab") as c["tab"]:
        gr.Markdown(I18N("teach_intro"), elem_id="teach-intro")
        # a class's way in, first (a teacher at a projector finds it without scrolling); hidden in a class
        with gr.Row(equal_height=True, elem_id="class-entry") as c["own_tools"]:
            c["start"] = gr.Button(I18N("start_class"), scale=0, min_width=200, elem_id="start-class")
            c["join_code"] = gr.Textbox(label=I18N("join_code"), max_length=40, elem_id="join-code")
            c["join"] = gr.Button(I18N("join"), scale=0)
        with gr.Row(equal_height=False, elem_id="teach-area"):
            with gr.Column(scale=1, min_width=300):
                c["ask"] = DigitAsked(DigitAsked.FIRST, picker="digit-pick", elem_id="ask")
                # (✗: something that is not a digit, which a network with the 11th answer learns as that)
                c["digit"] = RawRadio([(answer_text(d), d) for d in range(NOT_A_DIGIT + 1)],
                                      value=DigitAsked.FIRST,
                                      label=I18N("digit_pick"),
                                      elem_id="digit-pick")
                DigitPad(send="never", fullscreen_target="#teach-area", elem_id=PAD)
                c["add"] = gr.Button(I18N("add"), variant="primary", elem_id="add-button")
                c["status"] = gr.HTML(elem_id="teach-status")
                c["counts"] = gr.HTML(elem_id="class-counts")
            with gr.Column(scale=2, min_width=320):
                c["class_card"] = gr.HTML(elem_id="class-card")
                with gr.Column() as c["teacher_tools"]:
                    c["teach"] = gr.Button(I18N("teach"), variant="primary", elem_id="teach-button")
                    c["teach_progress"] = gr.HTML(elem_id="teach-progress")
                    c["results"] = gr.HTML(elem_id="teach-results")
                    c["download_taught"] = gr.DownloadButton(I18N("download"), interactive=False)
                    with gr.Column(visible=False) as c["class_tools"]:
                        c["publish"] = gr.Button(I18N("publish"), variant="primary", elem_id="publish")
                        with gr.Row():
                            c["students"] = OneChoice([], label=I18N("student_pick"), elem_id="student-pick")
                            c["remove"] = gr.Button(I18N("remove_student"), scale=0)
                        # Ending deletes every drawing and the class's model: away from Publish, and asked
                        # in the page (a browser's dialog is dismissed by phones and automation alike)
                        c["end"] = gr.Button(I18N("end_class"), variant="stop", elem_id="end-class")
                        with gr.Column(visible=False, elem_id="end-confirm") as c["end_confirm"]:
                            gr.Markdown(I18N("end_class_ask"), elem_id="end-confirm-question")
                            with gr.Row():
                                c["end_yes"] = gr.Button(I18N("end_class_yes"), variant="stop", elem_id="end-class-yes")
                                c["end_no"] = gr.Button(I18N("end_class_no"), elem_id="end-class-no")
                    with gr.Accordion(I18N("keep_collection"), open=False):
                        with gr.Row():
                            c["export"] = gr.Button(I18N("export"))
                            c["export_file"] = gr.File(visible=False, interactive=False)
                            c["import_file"] = FileUpload(label=I18N("import"), file_types=[".gz"], type="filepath",
                                                          elem_id="collection-import")
                c["collection"] = CollectionGallery(elem_id="collection")
    # outside the tab, whose content Gradio draws only once the tab is selected: a student's page whose
    # Teach tab never opened (the scripts that open it came after its load) still hears of its class's end
    c["key"] = gr.Textbox("", visible="hidden", elem_id="member-key")
    c["remembered"] = gr.Textbox("", visible="hidden", elem_id="member-class")
    c["role"] = gr.Textbox("", visible="hidden", elem_id="member-role")
    c["drawing"] = RawTextbox(visible=False)
    c["strokes"] = RawTextbox(visible=False)
    c["timer"] = gr.Timer(teaching.POLL_SECONDS, active=False)
    _api(c)
    _wire(page, c)


def _wire(page: Page, c: dict) -> None:
    w = Wiring(c, PROPS)
    # Gradio's own progress ("queue: 1/1", "processing", timers) stays off a class's phones: each
    # event says its outcome in the status line (and teaching shows its own progress)
    on = functools.partial(w.on, by_name=True, api_name=False, show_progress="hidden")

    view = ("class_card", "counts", "collection", "teacher_tools", "class_tools", "own_tools", "timer", "students",
            "remembered", "role", "visitor", "status")
    identity = ("visitor", "key", "lang")
    remember = {"fn": None, "inputs": w.named("remembered", "role", "key"), "js": assets.REMEMBER_CLASS_JS}
    on(page.blocks.load, teaching.enter, teaching.ENTER_INPUTS, (*view, "key", "model", "ask"),
       js=assets.IDENTITY_JS).then(**remember).then(None, js=assets.OPEN_CLASS_JS)
    c["tab"].select(None, js=assets.TEACH_PAD_JS)
    added = on(c["add"].click, teaching.add_drawing, teaching.ADD_INPUTS,
               ("status", "counts", "digit", "ask", "visitor", "collection", "timer", "remembered", "role"),
               js=assets.ADD_JS, concurrency_limit=16, concurrency_id="light")
    added.success(None, js=assets.CLEAR_PAD_JS)
    added.then(**remember)  # (a class that is over)
    # the prompt follows the picker in the page, at once (see DigitAsked): no answer from the server
    # can show a digit other than the one the next Add stores
    w.on(c["digit"].change, None, ("digit", "ask"), ("ask",), js=assets.ASK_REWORD_JS, api_name=False,
         show_progress="hidden")
    on(c["start"].click, teaching.start_class, identity, (*view, "end", "end_confirm"),
       js=assets.ENTERED_JS).then(**remember)
    on(c["join"].click, teaching.join_class, ("join_code", *identity), view, js=assets.ENTERED_JS).then(**remember)
    for button, asked in ((c["end"], True), (c["end_no"], False)):
        w.on(button.click, functools.partial(_asking_to_end, asked), (), ("end", "end_confirm"), api_name=False,
             show_progress="hidden", concurrency_limit=None)  # (not behind a class's adds)
    on(c["end_yes"].click, teaching.end_class, identity, (*view, "end", "end_confirm")).then(**remember)
    on(c["teach"].click, teaching.teach_stream, identity,
       ("teach_progress", "results", "visitor", "model", "model_info", "download_taught", "collection", "use", "save"),
       concurrency_limit=None)  # (the run service's line decides who teaches when, and tells the others)
    on(c["publish"].click, teaching.publish_model, identity, ("status", "model_info"))
    on(c["remove"].click, teaching.remove_student, ("students", *identity), view)
    on(c["collection"].change, teaching.delete_drawing, ("collection", *identity), view)
    on(c["timer"].tick, teaching.poll, identity, (*view, "model"),
       concurrency_limit=16, concurrency_id="light").then(**remember)
    on(c["export"].click, teaching.export_collection, identity, ("export_file",))
    on(c["import_file"].upload, teaching.import_collection, ("import_file", *identity), view,
       concurrency_limit=1, concurrency_id="import")  # (a collection parsed takes memory: one at a time)


def _asking_to_end(asked: bool) -> tuple:
    """End the class, pressed (asked: its question shows in its place) or answered No (End is back)."""
    return gr.update(visible=not asked), gr.update(visible=asked)


def _api(c: dict) -> None:
    """The class endpoints of the API: each one dict out (`result`), on a trigger the page never shows."""
    result = gr.JSON(visible=False)
    code, digit, number = RawTextbox(visible=False), RawNumber(visible=False), RawNumber(visible=False)
    picture = PictureUpload(visible=False, type="filepath")
    trigger = gr.Button(visible=False)
    identity = [c["visitor"], c["key"], c["lang"]]
    endpoints = {
        "class_start": (teaching.api_start, []), "class_join": (teaching.api_join, [code]),
        "class_add": (teaching.api_add, [picture, digit]), "class_teach": (teaching.api_teach, []),
        "class_publish": (teaching.api_publish, []), "class_status": (teaching.api_status, []),
        "class_drawings": (teaching.api_drawings, []), "class_delete": (teaching.api_delete, [number]),
        "class_remove": (teaching.api_remove, [number]), "class_end": (teaching.api_end, []),
    }
    groups = {"class_add": ("light", 16), "class_teach": ("teach", None)}  # the others: 4 at once each
    # (teaching waits in the run service's line, which bounds it and tells each caller their place)
    for name, (handler, inputs) in endpoints.items():
        group, limit = groups.get(name, (name, 4))
        trigger.click(handler, inputs=[*inputs, *identity], outputs=[result, c["visitor"]], api_name=name,
                      concurrency_limit=limit, concurrency_id=group)
