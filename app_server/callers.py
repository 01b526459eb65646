"""Who sent a request (its address; behind trusted proxies, the address the first of them saw), and
how often one caller may do something (Allowance)."""

import collections
import threading
import time

from . import hosting


def caller_of(scope) -> str:
    """Who sent a request: its address; behind hosting.LIMITS.trusted_proxies proxies, the address the first
    of them saw (X-Forwarded-For's entry that many from its end: those before it, anyone can write)."""
    address = (scope.get("client") or ("?",))[0]
    if hosting.LIMITS.trusted_proxies <= 0:
        return address
    forwarded = [a.strip() for h, v in scope.get("headers") or [] if h == b"x-forwarded-for"
                 for a in v.decode("latin-1").split(",") if a.strip()]
    return forwarded[-hosting.LIMITS.trusted_proxies] if len(forwarded) >= hosting.LIMITS.trusted_proxies else address


def caller(request) -> str:
    """Who sent a handler's request (a gr.Request: its documented client and headers), as caller_of
    tells it; "" when unknown (no request: a call from Python)."""
    host = getattr(getattr(request, "client", None), "host", None)
    if not host:
        return ""
    forwarded = dict(request.headers).get("x-forwarded-for")
    return caller_of({"client": (host,), "headers": [(b"x-forwarded-for", forwarded.encode("latin-1"))]
                      if forwarded else []})


class Allowance:
    """At most `count` of something (joining a class, starting one, adding a drawing, an upload) per
    caller in any `seconds`; with `total`, also at most that much of it in all (an upload's bytes).
    The server's one rate limiter."""

    def __init__(self, count: int, seconds: float, total: float | None = None):
        self.count, self.seconds, self.total = count, seconds, total
        self.recent: dict[str, collections.deque] = {}  # a caller's (time, amount) within the window
        self._lock = threading.Lock()

    def _window(self, caller: str, now: float) -> collections.deque:
        recent = self.recent.setdefault(caller, collections.deque())
        while recent and now - recent[0][0] > self.seconds:
            recent.popleft()
        return recent

    def spent(self, caller: str) -> bool:
        """Whether `caller` has used up their allowance (counting nothing)."""
        with self._lock:
            return len(self._window(caller, time.monotonic())) >= self.count

    def take(self, caller: str, amount: float = 0) -> bool:
        """Count one (of `amount`) for `caller`; whether it was within their allowance (one refused is
        not counted)."""
        now = time.monotonic()
        with self._lock:
            recent = self._window(caller, now)
            if len(recent) >= self.count or (self.total is not None and sum(a for _, a in recent) + amount > self.total):
                return False
            recent.append((now, amount))
            if len(self.recent) > 10_000:  # callers that went quiet
                for key in [k for k, t in self.recent.items() if not t or now - t[-1][0] > self.seconds]:
                    del self.recent[key]
            return True
