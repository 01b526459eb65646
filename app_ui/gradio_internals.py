"""Every reliance of the app on Gradio beyond its documented API, in one place, each explained.

tests/app/test_gradio_internals.py checks each of them against the installed Gradio, so that an
upgrade that changes one fails there, loudly, rather than silently somewhere in the app.

1. `unread_messages`: Gradio keeps the messages of a session's event streams that its client has
   not read yet in `Blocks._queue.pending_messages_per_session` (an LRU of asyncio queues by session
   hash), and a handler's gr.Request reaches the Blocks through its app (`request.app.get_blocks()`).
   A growing backlog is how the app notices a training run that nobody follows (an API client that
   never reads its stream) and ends it. A page that closes is noticed by Gradio itself.
2. `expose`: the API's parameter names come from `inspect.signature(handler)`, which honours a
   function's `__signature__`; Gradio passes a `gr.Request` only to a parameter whose annotation it
   finds to be gr.Request (it reads `__annotations__`), and streams a handler that is a generator
   function. The Train tab's form fields are declared once (mnist_model.config.FIELDS): a handler
   takes them by name (keyword-only, the form's in `**form`), and Gradio, which hands an event's
   values in the order of its inputs, calls a wrapper whose signature names them, so that API
   callers can pass `epochs=3`.
3. `same_front_end`: a component subclass is drawn by its parent's front end when its
   `get_block_name` returns the parent's name (else Gradio looks for a front end of its own); the
   page's raw form fields (components.py) rely on that.
4. `refuse_malformed_calls`: Gradio checks a request's values against the endpoint's inputs in
   `Blocks.preprocess_data` (their number, their shape, a file's path), before any handler runs,
   and prints a traceback for what it refuses, telling the caller nothing (`{"error": null}`). It
   raises a ValueError for each (ComponentProcessingError, also one, wraps a component's own failure:
   a bug, left as it is), and a component's own check (a dropdown's value outside its choices) raises
   a gr.Error that Gradio prints with its traceback; a gr.Error with print_exception=False is shown
   to the caller and not printed.
5. `limit_queue`: every event joins Gradio's queue through `Blocks._queue.push(body, request,
   username)` (`body.session_hash`; `request`, the joining HTTP request, has the caller's scope),
   which answers (False, message, "queue_full") to refuse (HTTP 503, the message as its detail).
   The events waiting are in `_queue.event_queue_per_concurrency_id[...].queue`, those running in
   `_queue.active_jobs` (lists of events, None for an idle worker), each with `.request`,
   `.session_hash` and `.fn` (its BlockFunction, `.fn.api_name` its endpoint's name). `asked_for`
   reads them too: a Stop sent right after Train finds the Train there before its handler has begun
   (`app.iterators`, keyed by `event._id`, holds a streaming handler's iterator once it has begun).
6. The page's language (app_ui/static/language.js): Gradio's Settings change the language by calling
   `changeLocale` of its front end's core module (templates/frontend/assets/core-<hash>.js, loaded by
   every page), and Gradio forgets the choice on a reload. The page gives a remembered choice back by
   importing that module (found among the page's loaded resources) and calling its `changeLocale`.
   (Gradio 6.31 also leaves some of its own words as they were after such a change, titles every
   error toast "Error", and announces to screen readers, in a live region no one sees
   (`.sr-only[role=status]`, its status tracker's), "In queue: {position} of {size}", which it has in
   English only, and "common.complete", a key it has no words for: static/gradio_texts.js and
   static/announcements.js (inlined in the page's head, so it runs before Gradio's first event) reword
   them; a browser test sees them in Chinese.)
7. `UploadedOnly`: Gradio copies a file input's value into its cache in the component's
   `async_move_resource_to_block_cache` (downloading a URL given instead of a file), before any
   handler; the page's file inputs override it to refuse URLs, and check in `preprocess` that the
   path is a file in the component's `GRADIO_CACHE` (`gradio.utils.is_in_or_equal`). Gradio's upload route
   is `UPLOAD_ROUTE`, which the page's upload guard (guards.py) stands in front of.
8. A tab's button in the page is `#<the tab's elem_id>-button` (`tab_button`): a class's link opens
   the Teach tab by clicking it (assets.OPEN_CLASS_JS; static/class_view.js and bench/teach_time.py
   write the same selector, "#teach-tab-button", themselves).
9. `BeforeTheApp`: Gradio's page (the HTML of a GET of the app's root) is its template, index.html:
   a head with the app's config (`<script>window.gradio_config = `, some 370 KB of JSON: 55 KB
   gzipped), then Gradio's scripts (some 300 KB, compressed), and a body holding one `<gradio-app`
   element, which those scripts fill once they have come. Even `launch(head=...)` is added by them.
   What must work before then (the pad before the page, the network that answers it) is inserted in
   the head, before Gradio's config: it runs at once (no stylesheet above it holds it back), and its
   pad goes into the body as soon as there is one; what is big (the shipped model's weights) at the
   end of the body, after the pad and before Gradio's scripts have come.
"""

import functools
import inspect
import logging
from collections.abc import Callable

import gradio as gr
from gradio.exceptions import ComponentProcessingError
from gradio.utils import abspath, is_in_or_equal
from gradio_client.utils import is_http_url_like

from .texts import text

LOG = logging.getLogger("mnist_app")


def unread_messages(request: gr.Request | None) -> int:
    """How many messages of this request's session wait for its client to read them (0 if none or
    unknown). The Blocks are found through the request: its app (Gradio's FastAPI App) serves them."""
    session = getattr(request, "session_hash", None)
    if not session:
        return 0
    blocks = request.app.get_blocks()
    pending = getattr(getattr(blocks, "_queue", None), "pending_messages_per_session", None)
    queue = None if pending is None else pending.get(session)
    return 0 if queue is None else queue.qsize()


def expose(names: tuple[str, ...], defaults: dict | None = None, request: bool = False) -> Callable:
    """A decorator for a handler whose parameters are named (keyword-only): Gradio and API callers
    see a function of `names`, in order, each optional (None, or its entry in `defaults`), and the
    handler is called with each by its name. With `request`, Gradio also passes the gr.Request, as
    `request`. A generator handler stays a generator (a stream). Decorators over it
    (functools.wraps) keep the signature."""
    defaults = defaults or {}
    parameters = [inspect.Parameter(name, inspect.Parameter.POSITIONAL_OR_KEYWORD, default=defaults.get(name))
                  for name in names]
    if request:
        parameters.append(inspect.Parameter("request", inspect.Parameter.POSITIONAL_OR_KEYWORD, default=None,
                                            annotation=gr.Request))
    signature = inspect.Signature(parameters)

    def decorate(handler: Callable) -> Callable:
        def named(values, kwargs) -> dict:
            bound = signature.bind(*values, **kwargs)
            bound.apply_defaults()
            return bound.arguments

        if inspect.isgeneratorfunction(handler):
            @functools.wraps(handler)
            def exposed(*values, **kwargs):
                yield from handler(**named(values, kwargs))
        else:
            @functools.wraps(handler)
            def exposed(*values, **kwargs):
                return handler(**named(values, kwargs))
        exposed.__signature__ = signature
        exposed.__annotations__ = {"request": gr.Request} if request else {}
        return exposed
    return decorate


def same_front_end(parent: type[gr.components.Component]) -> Callable[[object], str]:
    """A `get_block_name` for a subclass of `parent` that Gradio's front end draws as `parent`."""
    name = parent.__name__.lower()
    return lambda self: name


def refuse_malformed_calls(blocks: gr.Blocks) -> None:
    """Values that do not fit an endpoint (too few, the wrong shape, a path that was not uploaded)
    are refused in one line, to the caller and in the log, instead of Gradio's traceback."""
    preprocess = blocks.preprocess_data

    def caller_language(block_fn, inputs) -> str:
        """The language the call names (the page's hidden language box, an endpoint's `lang`), else English."""
        for block, value in zip(getattr(block_fn, "inputs", ()), inputs or ()):
            if getattr(block, "elem_id", None) == "page-language" and isinstance(value, str):
                return value
        return "en"

    async def checked(block_fn, inputs, *args, **kwargs):
        try:
            return await preprocess(block_fn, inputs, *args, **kwargs)
        except gr.Error as exc:
            if not exc.print_exception:  # (the app's own refusals: already one line)
                raise
            LOG.info("refused a malformed call: %.120s", str(exc).splitlines()[0] if str(exc) else "gr.Error")
            raise gr.Error(text("malformed_call", caller_language(block_fn, inputs)), print_exception=False) from None
        except ComponentProcessingError:  # (a component's bug)
            raise
        except ValueError as exc:
            LOG.info("refused a malformed call: %.120s", str(exc).splitlines()[0] if str(exc) else type(exc).__name__)
            raise gr.Error(text("malformed_call", caller_language(block_fn, inputs)), print_exception=False) from None

    blocks.preprocess_data = checked


def _queued_events(blocks: gr.Blocks) -> list:
    """Every event in Gradio's queue: those waiting, and those running."""
    queue = blocks._queue
    return [*(e for line in queue.event_queue_per_concurrency_id.values() for e in line.queue),
            *(e for job in queue.active_jobs if job for e in job)]


def asked_for(request: gr.Request | None, api_name: str) -> bool:
    """Whether this request's session has an event of the endpoint `api_name` in Gradio's queue whose
    handler has not begun: waiting, or taken from the line with no iterator yet (a streaming handler's
    iterator is kept in `app.iterators` from its first output until its event has left the queue:
    an event that is ending is not one asked for). Read on the event loop (async handlers), where
    Gradio changes the queue."""
    session = getattr(request, "session_hash", None)
    if not session:
        return False
    begun = request.app.iterators
    return any(e.session_hash == session and e.fn.api_name == api_name and e._id not in begun
               for e in _queued_events(request.app.get_blocks()))


def limit_queue(blocks: gr.Blocks, refusal: Callable) -> None:
    """Ask `refusal(scope, session, running)` before each event joins the queue (`running`: the
    (scope, session) of each event waiting or running); a message refuses it, in one line."""
    queue = blocks._queue
    push = queue.push

    async def checked(body, request, username):
        events = _queued_events(blocks)
        message = refusal(request.scope, body.session_hash, [(e.request.scope, e.session_hash) for e in events])
        if message is not None:
            LOG.info("refused a request of session %.8s: %s", body.session_hash, message)
            return False, message, "queue_full"
        return await push(body, request, username)

    queue.push = checked


UPLOAD_ROUTE = "/gradio_api/upload"  # Gradio's upload route, under the app's root path


def tab_button(elem_id: str) -> str:
    """The CSS selector of the button that opens the tab whose elem_id is `elem_id`."""
    return f"#{elem_id}-button"


class UploadedOnly:
    """A file input that takes only a file uploaded to this server (Gradio's upload route, under the
    app's disk budget and upload rate). Gradio itself would download a URL given instead (any size,
    past every budget), and hand on the path of any file on the server given without its `meta`
    (whatever the handler then opens): both are refused, in one line, before a byte is read."""

    async def async_move_resource_to_block_cache(self, url_or_file_path):
        if url_or_file_path is not None and is_http_url_like(str(url_or_file_path)):
            raise not_uploaded(url_or_file_path)
        return await super().async_move_resource_to_block_cache(url_or_file_path)

    def preprocess(self, payload) -> str | None:
        """The uploaded file's path (None if there is none)."""
        if payload is None:
            return None
        path = getattr(payload, "path", None)  # (a list of files, sent to a one-file input, has none)
        # (a file in the cache: the cache's own folder, or one of its folders, is none)
        if not isinstance(path, str) or not is_in_or_equal(abspath(path), self.GRADIO_CACHE) or \
                not abspath(path).is_file():
            raise not_uploaded(path)
        return path


def not_uploaded(path) -> gr.Error:
    LOG.info("refused a file that was not uploaded: %.80r", path)  # (repr: a caller's line break stays in its line)
    return gr.Error(text("not_uploaded", "en"), print_exception=False)


class BeforeTheApp:
    """ASGI middleware that inserts `html(query)` (two pieces of HTML, for the request's query string)
    into Gradio's page (9): the first before its config, in its head (it comes, and its scripts run,
    before Gradio's config and scripts), the second at the end of its body. A HEAD of the page says
    the same length as its GET. Every other response passes as it is."""

    MARK = b"<script>window.gradio_config = "
    END = b"</body>"

    def __init__(self, app, html: Callable[[str], tuple[str, str]]):
        self.app, self.html = app, html

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or scope["method"] not in ("GET", "HEAD") or not scope["path"].endswith("/"):
            await self.app(scope, receive, send)
            return
        start, body = None, []

        async def send_page(message):
            nonlocal start
            if message["type"] == "http.response.start":
                headers = dict(message.get("headers") or [])
                if not headers.get(b"content-type", b"").startswith(b"text/html") or b"content-encoding" in headers:
                    start = False  # not the page: passed on as it is
                    await send(message)
                else:
                    start = message  # held until the body is whole
                return
            if start is False:
                await send(message)
                return
            body.append(message.get("body", b""))
            if message.get("more_body"):
                return
            page = b"".join(body)
            if self.MARK not in page:  # (not Gradio's page)
                await send(start)
                await send({"type": "http.response.body", "body": page})
                return
            first, last = (part.encode() for part in self.html(scope.get("query_string", b"").decode("latin-1")))
            page = page.replace(self.MARK, first + self.MARK, 1)
            end = page.rfind(self.END)  # (the body's own: the last; without one, none of it is inserted)
            if end >= 0:
                page = page[:end] + last + page[end:]
            headers = [(k, v) for k, v in start.get("headers") or [] if k != b"content-length"]
            await send({**start, "headers": [*headers, (b"content-length", str(len(page)).encode())]})
            await send({"type": "http.response.body", "body": page})

        await self.app(scope, receive, send_page)
