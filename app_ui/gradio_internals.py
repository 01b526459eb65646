"""Every reliance of the app on Gradio beyond its documented API, in one place, each explained.

tests/app/test_gradio_internals.py checks each of them against the installed Gradio, so that an
upgrade that changes one fails there, loudly, rather than silently somewhere in the app.

1. `unread_messages`: Gradio keeps the messages of a session's event streams that its client has
   not read yet in `Blocks._queue.pending_messages_per_session` (an LRU of asyncio queues by session
   hash), and a handler's gr.Request reaches the Blocks through its app (`request.app.get_blocks()`).
   A growing backlog is how the app notices a training run that nobody follows (an API client that
   never reads its stream) and ends it. A page that closes is noticed by Gradio itself.
2. `expose`: the API's parameter names come from `inspect.signature(handler)`, which honours a
   handler's `__signature__`; Gradio passes a `gr.Request` only to a parameter whose annotation it
   finds to be gr.Request (it reads `__annotations__`). The Train tab's handlers take the form's
   fields as `*values` (they are declared once, in mnist_model.config.FIELDS) and are given a
   signature that names them, so that API callers can pass `epochs=3`.
3. `same_front_end`: a component subclass is drawn by its parent's front end when its
   `get_block_name` returns the parent's name (else Gradio looks for a front end of its own); the
   page's raw form fields (components.py) rely on that.
"""

import inspect
from collections.abc import Callable

import gradio as gr


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
    """A decorator giving a handler that takes `*values` the signature the API shows: `names`, each
    optional (None, or its entry in `defaults`). With `request`, Gradio also passes the gr.Request,
    last among the values. Decorators over it (functools.wraps) keep both."""
    defaults = defaults or {}
    parameters = [inspect.Parameter(name, inspect.Parameter.POSITIONAL_OR_KEYWORD, default=defaults.get(name))
                  for name in names]
    if request:
        parameters.append(inspect.Parameter("request", inspect.Parameter.POSITIONAL_OR_KEYWORD, default=None,
                                            annotation=gr.Request))

    def decorate(handler: Callable) -> Callable:
        handler.__signature__ = inspect.Signature(parameters)
        handler.__annotations__ = {"request": gr.Request} if request else {}
        return handler
    return decorate


def same_front_end(parent: type[gr.components.Component]) -> Callable[[object], str]:
    """A `get_block_name` for a subclass of `parent` that Gradio's front end draws as `parent`."""
    name = parent.__name__.lower()
    return lambda self: name
