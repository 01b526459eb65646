"""What the app relies on in Gradio beyond its documented API (app_ui/gradio_internals.py), checked
against the installed Gradio: an upgrade that changes one of them fails here, by name."""

import inspect
import re
import time
from pathlib import Path

import gradio as gr
import pytest
from gradio_client import Client

from app_ui.components import RawCheckbox, RawDropdown, RawNumber, RawRadio, RawSlider, RawTextbox
from app_ui.gradio_internals import asked_for, expose, unread_messages
from support.apprunner import join_without_reading


@pytest.fixture(scope="module")
def tiny_app():
    """A Blocks with one handler exposed as the app exposes its training handler, and one stream."""
    seen = {}

    @expose(("first", "second", "lang"), defaults={"lang": "en"}, request=True)
    def handler(*, first, second, lang, request):
        seen["request"] = request
        seen["unread"] = unread_messages(request)
        seen["streaming"] = asked_for(request, "stream")
        seen["known"] = request.session_hash in request.app.get_blocks()._queue.pending_messages_per_session
        return " ".join((first, second, lang))

    def stream(n):
        for i in range(int(n)):
            yield str(i)
            time.sleep(0.05)

    with gr.Blocks() as demo:
        first, second, lang, out = gr.Textbox(), gr.Textbox(), gr.Textbox("en"), gr.Textbox()
        gr.Button().click(handler, inputs=[first, second, lang], outputs=out, api_name="exposed")
        gr.Button().click(stream, inputs=first, outputs=out, api_name="stream")
    demo.queue()
    _, url, _ = demo.launch(prevent_thread_lock=True, quiet=True)
    yield demo, url, seen
    demo.close()


def test_the_api_names_an_exposed_handlers_values_and_hands_it_the_request(tiny_app):
    _, url, seen = tiny_app
    client = Client(url, verbose=False)
    parameters = client.view_api(print_info=False, return_format="dict")["named_endpoints"]["/exposed"]["parameters"]
    assert [p["parameter_name"] for p in parameters] == ["first", "second", "lang"]
    assert client.predict(second="b", first="a", api_name="/exposed") == "a b en"
    assert isinstance(seen["request"], gr.Request) and seen["request"].session_hash


def test_a_request_leads_to_its_sessions_unread_messages(tiny_app):
    demo, _, seen = tiny_app
    assert seen["request"].app.get_blocks() is demo
    assert seen["known"]  # the session's backlog is where unread_messages looks
    assert isinstance(seen["unread"], int) and 0 <= seen["unread"] < 10  # a client that reads keeps it short


def test_a_session_that_never_reads_its_stream_has_its_messages_counted_unread(tiny_app):
    """What the app's runs rely on to end a run nobody follows: a stream's messages pile up, unread,
    in its session's backlog, and a handler of that session sees them counted."""
    _, url, seen = tiny_app
    seen.clear()
    join_without_reading(url, "stream", "40", session_hash="nobody-reads")  # 40 messages within 2 s
    time.sleep(3)
    join_without_reading(url, "exposed", "a", "b", session_hash="nobody-reads")
    deadline = time.monotonic() + 30
    while "unread" not in seen:
        assert time.monotonic() < deadline, "the exposed handler did not run"
        time.sleep(0.1)
    assert seen["unread"] >= 40


def test_a_handler_sees_whether_its_session_has_asked_for_another_endpoint_not_begun_yet(tiny_app):
    """How a Stop sent right after Train finds the Train before its handler has begun, and only then
    (a Stop as a run was ending left a stop that withdrew the next run)."""
    _, url, seen = tiny_app

    def streaming_as_seen_by(session: str) -> bool:
        seen.clear()
        join_without_reading(url, "exposed", "a", "b", session_hash=session)
        deadline = time.monotonic() + 30
        while "streaming" not in seen:
            assert time.monotonic() < deadline, "the exposed handler did not run"
            time.sleep(0.1)
        return seen["streaming"]

    join_without_reading(url, "stream", "100", session_hash="streaming")  # its handler runs for 5 s ...
    join_without_reading(url, "stream", "100", session_hash="asking")  # ... this one waits its turn
    seen.clear()
    Client(url, verbose=False).predict("a", "b", api_name="/exposed")  # another session
    assert seen["streaming"] is False
    assert streaming_as_seen_by("asking") is True
    assert streaming_as_seen_by("streaming") is False  # (begun)


def test_a_decorated_handler_keeps_the_exposed_signature():
    import functools

    @expose(("a", "b"), request=True)
    def handler(*, a, b, request):
        return a, b, request

    @functools.wraps(handler)
    def wrapper(*args):
        return handler(*args)

    assert list(inspect.signature(wrapper).parameters) == ["a", "b", "request"]
    assert wrapper.__annotations__ == {"request": gr.Request}


def test_an_exposed_handler_is_called_by_name_with_its_defaults_and_a_generator_stays_one():
    @expose(("first", "second", "lang"), defaults={"lang": "en"}, request=True)
    def plain(*, first, second, lang, request):
        return first, second, lang, request

    @expose(("n", "lang"), defaults={"lang": "en"})
    def counting(*, n, lang):
        yield from (f"{i} {lang}" for i in range(n))

    assert plain("a", "b") == ("a", "b", "en", None)
    assert plain("a", "b", "zh-CN", "the request") == ("a", "b", "zh-CN", "the request")
    assert plain(second="b", first="a") == ("a", "b", "en", None)
    assert inspect.isgeneratorfunction(counting) and list(counting(2)) == ["0 en", "1 en"]


@pytest.mark.parametrize("raw, parent", [(RawTextbox, gr.Textbox), (RawNumber, gr.Number), (RawDropdown, gr.Dropdown),
                                          (RawCheckbox, gr.Checkbox), (RawSlider, gr.Slider), (RawRadio, gr.Radio)])
def test_the_forms_raw_fields_are_drawn_by_their_parents_front_end(raw, parent):
    with gr.Blocks():
        field = raw(label="x", choices=["a"]) if parent in (gr.Dropdown, gr.Radio) else raw(label="x")
        plain = parent(label="x", choices=["a"]) if parent in (gr.Dropdown, gr.Radio) else parent(label="x")
    assert field.get_block_name() == plain.get_block_name()
    assert field.preprocess("abc") == "abc"  # handed over as sent, for mnist_model.config to judge


def test_gradio_checks_a_calls_values_before_the_handler_in_an_async_preprocess_data_raising_value_errors():
    from gradio.exceptions import ComponentProcessingError, InvalidPathError

    assert inspect.iscoroutinefunction(gr.Blocks.preprocess_data)  # (refuse_malformed_calls wraps it)
    assert issubclass(InvalidPathError, ValueError) and issubclass(ComponentProcessingError, ValueError)
    assert not issubclass(gr.Error, ComponentProcessingError)


@pytest.mark.slow  # (launches a Gradio app of its own)
def test_the_queue_asks_before_each_event_joins_and_a_refusal_turns_it_away():
    import threading

    from gradio_client.utils import QueueError

    from app_ui.gradio_internals import limit_queue

    release, asked = threading.Event(), []

    def slow(x):
        release.wait(30)
        return x

    def refusal(scope, session, running):
        asked.append((scope["client"][0], len(running)))
        return "busy" if sum(other == session for _, other in running) >= 2 else None

    with gr.Blocks() as demo:
        box = gr.Textbox()
        gr.Button().click(slow, inputs=box, outputs=box, api_name="slow", concurrency_limit=1)
    demo.queue()
    limit_queue(demo, refusal)
    _, url, _ = demo.launch(prevent_thread_lock=True, quiet=True)
    try:
        client = Client(url, verbose=False)
        first = client.submit("a", api_name="/slow")
        deadline = time.monotonic() + 30
        while not asked:
            assert time.monotonic() < deadline, "the first event was never asked about"
            time.sleep(0.05)
        second = client.submit("b", api_name="/slow")
        while len(asked) < 2:
            assert time.monotonic() < deadline, "the second event was never asked about"
            time.sleep(0.05)
        with pytest.raises(QueueError):  # one running, one waiting: this session's third is turned away
            client.predict("c", api_name="/slow")
        other = Client(url, verbose=False).submit("d", api_name="/slow")  # another session still joins
        release.set()
        assert (first.result(timeout=30), second.result(timeout=30), other.result(timeout=30)) == ("a", "b", "d")
        assert asked[0] == ("127.0.0.1", 0) and asked[1][1] == 1  # (the caller's scope; the events ahead)
    finally:
        release.set()
        demo.close()


def test_gradios_front_end_core_module_exports_change_locale_for_the_remembered_language():
    """language.js finds the page's loaded core-<hash>.js and calls its changeLocale."""
    assets = Path(gr.__file__).parent / "templates" / "frontend" / "assets"
    cores = [p for p in assets.glob("core-*.js") if re.fullmatch(r"core-[\w-]+\.js", p.name)]
    assert cores, "Gradio's front end has no core-<hash>.js module any more"
    assert any(re.search(r"export\{[^}]*\bas changeLocale\b", p.read_text(encoding="utf-8")) for p in cores), \
        "Gradio's core module no longer exports changeLocale (language.js gives a remembered language back with it)"


def test_gradios_screen_reader_announcements_are_the_words_announcements_js_rewords():
    """announcements.js rewords what Gradio's status tracker announces in its live region: a place in
    the queue (its English template) and the end of an event (a key without words)."""
    assets = Path(gr.__file__).parent / "templates" / "frontend" / "assets"
    cores = "".join(p.read_text(encoding="utf-8") for p in assets.glob("core-*.js"))
    trackers = "".join(p.read_text(encoding="utf-8") for p in assets.glob("statustracker-*.js"))
    assert "queue_position:`In queue: {position} of {size}`" in cores, "Gradio words a place in the queue otherwise"
    assert 'class="sr-only" role="status"' in trackers, "Gradio's status tracker announces elsewhere"
    assert "i18n(`common.complete`)" in trackers, "Gradio announces an event's end otherwise"


def test_gradio_copies_a_file_inputs_value_where_uploaded_only_refuses_urls_and_its_upload_route_is_known(tiny_app):
    import httpx

    from app_ui.gradio_internals import UPLOAD_ROUTE, UploadedOnly

    _, url, _ = tiny_app
    for component in (gr.File, gr.Image):
        assert inspect.iscoroutinefunction(getattr(component, UploadedOnly.async_move_resource_to_block_cache.__name__))
        assert hasattr(component(), "GRADIO_CACHE")
    answer = httpx.post(url.rstrip("/") + UPLOAD_ROUTE, files={"files": ("a.txt", b"a")}, timeout=30)
    assert answer.status_code == 200 and answer.json()[0].endswith("a.txt")


def test_gradios_page_is_its_template_its_config_before_its_scripts_and_before_the_app_inserts_around_them():
    """Gradio's page holds its config in its head, before its scripts, and no `head` of launch's (its
    scripts add that), so what must come first (components.before_the_app) goes into the HTML by
    BeforeTheApp, before the config, in the head, and what is big at the end of the body."""
    import httpx
    from starlette.middleware import Middleware

    from app_ui.gradio_internals import BeforeTheApp

    with gr.Blocks() as demo:
        gr.Textbox()
    inserted, last = '<script id="before">/* here first */</script>', '<script id="last">/* at the end */</script>'
    queries = []
    _, url, _ = demo.launch(prevent_thread_lock=True, quiet=True, head='<meta name="ours">',
                            app_kwargs={"middleware": [Middleware(
                                BeforeTheApp, html=lambda query: queries.append(query) or (inserted, last))]})
    try:
        page = httpx.get(url + "?class=ABC", timeout=30)
        head = httpx.head(url, timeout=30)
        config = httpx.get(url.rstrip("/") + "/config", timeout=30)
    finally:
        demo.close()
    assert page.headers["content-type"].startswith("text/html")
    assert int(page.headers["content-length"]) == len(page.content) == int(head.headers["content-length"])
    head_html = page.text.split("</head>", 1)[0]
    mark = BeforeTheApp.MARK.decode()
    assert page.text.count(mark) == 1, "Gradio's page no longer holds its config as one <script>window.gradio_config"
    assert inserted + mark in head_html
    assert head_html.index(mark) < head_html.index('<script type="module"'), "Gradio's scripts now come first"
    assert page.text.split("<body", 1)[1].count(last + "</body>") == 1
    assert "class=ABC" in queries  # (what decides a class link's page)
    assert '<meta name="ours">' not in page.text, \
        "Gradio now writes launch's head into its HTML: what comes first could go there"
    assert config.status_code == 200 and inserted not in config.text  # another route passes as it is


def test_a_handler_by_name_that_changes_nothing_leaves_the_events_outputs_as_they_are():
    """Gradio takes an empty dict for one value ("didn't return enough output values": a model's change
    failed so while Explore was unopened); Wiring says it as the outputs skipped."""
    from app_ui.binding import Wiring

    def nothing() -> dict:
        return {}

    with gr.Blocks() as demo:
        c = {"a": gr.Textbox("x"), "b": gr.Textbox("y"), "go": gr.Button()}
        Wiring(c).on(c["go"].click, nothing, (), ("a", "b"), by_name=True, api_name="nothing")
    _, url, _ = demo.launch(prevent_thread_lock=True, quiet=True)
    try:
        Client(url, verbose=False).predict(api_name="/nothing")  # (an AppError if Gradio refused the answer)
    finally:
        demo.close()
