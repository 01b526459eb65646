"""The page's HTTP edge, in front of Gradio: its queue and its upload route, each refusing in one line in
the caller's language (Accept-Language) before Gradio takes anything, by the host's limits
(app_server.hosting): the queue's share per caller and per session, and an upload's size, room and
rate per caller."""

from starlette.requests import ClientDisconnect

from app_server import hosting
from app_server.callers import Allowance, caller_of
from mnist_model.messages import language

from .gradio_internals import UPLOAD_ROUTE
from .texts import text


def queue_refusal(scope, session: str, running: list[tuple[dict, str]]) -> str | None:
    """Why a request may not join Gradio's queue now (in its caller's language), or None: its caller
    (address) has hosting.LIMITS.queue_per_address requests, or its session hosting.LIMITS.queue_per_session, waiting
    or running already (`running`: the scope and session of each), so that one caller cannot fill the
    queue that everyone shares. A class's phones, each adding at a hand's pace, have a few at a time."""
    lang = language(dict(scope.get("headers") or []).get(b"accept-language", b"").decode("latin-1"))
    who = caller_of(scope)
    if sum(caller_of(other) == who for other, _ in running) >= hosting.LIMITS.queue_per_address:
        return text("queue_per_address", lang, count=hosting.LIMITS.queue_per_address)
    if sum(other == session for _, other in running) >= hosting.LIMITS.queue_per_session:
        return text("queue_per_session", lang, count=hosting.LIMITS.queue_per_session)
    return None


class UploadGuard:
    """ASGI middleware in front of Gradio's upload route (POST .../gradio_api/upload), which takes
    files from anyone: an upload must say its size (Content-Length), fit in the app's folder's budget
    and keep its caller (by IP address: a class behind one address shares it) within
    hosting.LIMITS.uploads_per_minute and hosting.LIMITS.upload_bytes_per_minute; otherwise it is refused with a
    one-line reason in the caller's language (Accept-Language) and a fitting status, before a byte
    of it is read."""

    def __init__(self, app):
        self.app = app
        self.uploads = Allowance(hosting.LIMITS.uploads_per_minute, 60, total=hosting.LIMITS.upload_bytes_per_minute)

    async def __call__(self, scope, receive, send):
        if scope["type"] == "http" and scope["method"] == "POST" and scope["path"].endswith(UPLOAD_ROUTE):
            refusal = self.refusal(scope)
            if refusal is not None:
                status, message = refusal
                hosting.LOG.info("refused upload from %s: %d %s", caller_of(scope), status, message)
                await send({"type": "http.response.start", "status": status,
                            "headers": [(b"content-type", b"text/plain; charset=utf-8")]})
                await send({"type": "http.response.body", "body": message.encode()})
                return
            try:
                await self.app(scope, receive, send)
            except ClientDisconnect:  # (a phone off the Wi-Fi mid-upload: nobody to answer, no error of ours)
                hosting.LOG.info("upload from %s ended by its caller before it was whole", caller_of(scope))
            return
        await self.app(scope, receive, send)

    def refusal(self, scope) -> tuple[int, str] | None:
        headers = dict(scope.get("headers") or [])
        lang = language(headers.get(b"accept-language", b"").decode("latin-1"))
        length = headers.get(b"content-length", b"")
        if not length.isdigit():
            return 411, text("upload_no_length", lang)
        caller, size = caller_of(scope), int(length)
        if size > hosting.LIMITS.disk_bytes:  # (said at once: no sweep, no measuring)
            return 507, text("upload_no_room", lang)
        if not self.uploads.take(caller, size):  # (one taken counts, though the disk then refuses it)
            return 429, text("upload_rate", lang, count=self.uploads.count, mb=f"{self.uploads.total / hosting.MB:g}")
        if not hosting.DISK.room_for(size):
            return 507, text("upload_no_room", lang)
        hosting.DISK.wrote(size)
        return None
