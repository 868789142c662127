"""HTTP for metadata look-ups: polite, bounded in time and size, every failure one line.

Only the standard library's ``urllib``. A request waits at most :data:`REQUEST_TIMEOUT`
seconds for the server, one look-up (all its requests and retries) at most
:data:`LOOKUP_BUDGET`; ``429`` and ``503`` are retried as ``Retry-After`` asks while the budget
lasts; a body over :data:`MAX_RESPONSE_BYTES` is refused while it is read, never read whole.
"""

from __future__ import annotations

import email.utils
import http.client
import os
import socket
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from typing import Callable

from generator.errors import LookupFailed, printable

REQUEST_TIMEOUT = 10.0
"""Seconds one request may wait for the server (to connect, or between two reads)."""

LOOKUP_BUDGET = 30.0
"""Seconds one look-up may take in all, retries and waits included."""

MAX_RESPONSE_BYTES = 5 * 1024 * 1024
"""Largest response body accepted."""

MAX_ATTEMPTS = 4
"""Requests made for one URL at most, the first included, when the server asks to retry."""

RETRY_STATUSES = (429, 503)
"""Statuses that mean "come back later"."""

_CHUNK = 64 * 1024


class RateLimiter:
    """At most one request every ``interval`` seconds, on a monotonic clock.

    The clock and the sleep are arguments so that tests can run without waiting.
    """

    def __init__(self, interval: float, clock: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], None] = time.sleep):
        self.interval = interval
        self.clock = clock
        self.sleep = sleep
        self._last: float | None = None
        self._lock = threading.Lock()

    def wait(self) -> None:
        """Sleep until a request may be sent, and count it as sent."""
        with self._lock:
            if self._last is not None:
                due = self._last + self.interval - self.clock()
                if due > 0:
                    self.sleep(due)
            self._last = self.clock()


@dataclass
class Session:
    """One look-up: its deadline, its per-request timeout and the sleep used between retries."""

    budget: float = LOOKUP_BUDGET
    timeout: float = REQUEST_TIMEOUT
    clock: Callable[[], float] = time.monotonic
    sleep: Callable[[float], None] = time.sleep
    started: float = field(default=-1.0)

    def __post_init__(self):
        if self.started < 0:
            self.started = self.clock()

    def remaining(self) -> float:
        """Seconds left of the look-up's budget."""
        return self.started + self.budget - self.clock()


@dataclass
class Response:
    """A response that was read whole: status, headers and body (at most the size limit)."""

    status: int
    headers: dict
    body: bytes
    url: str

    def text(self, what: str) -> str:
        """The body as UTF-8 text; raises :class:`LookupFailed` when it is not."""
        try:
            return self.body.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise LookupFailed(f"{what}: the answer is not UTF-8 text (byte {exc.start})") from None


def user_agent() -> str:
    """The User-Agent the atlas sends: its name and version, and ``ATLAS_MAILTO`` when set
    (Crossref's "polite pool" asks for a contact address)."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        number = version("alignment-atlas")
    except PackageNotFoundError:
        number = "0"
    mailto = printable(os.environ.get("ATLAS_MAILTO", "").strip())
    contact = f"; mailto:{mailto}" if mailto and " " not in mailto else ""
    return f"alignment-atlas/{number} (paper records by identifier{contact})"


class _HttpOnlyRedirects(urllib.request.HTTPRedirectHandler):
    """Follows redirects to http(s) URLs only."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        if not newurl.lower().startswith(("http://", "https://")):
            raise urllib.error.HTTPError(newurl, code, "redirect to a URL that is not http(s)", headers, fp)
        return super().redirect_request(req, fp, code, msg, headers, newurl)


_OPENER = urllib.request.build_opener(_HttpOnlyRedirects())


def retry_after(value: str | None, now: Callable[[], float] = time.time) -> float | None:
    """Seconds a ``Retry-After`` header asks to wait (a number of seconds or an HTTP date)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when is None or when.tzinfo is None:
        return None
    return max(0.0, when.timestamp() - now())


def _read_limited(handle, what: str, session: Session) -> bytes:
    """The body of an open response, refused once it passes the size limit or the deadline."""
    length = handle.headers.get("Content-Length", "")
    if length.isdigit() and int(length) > MAX_RESPONSE_BYTES:
        raise LookupFailed(f"{what}: the answer is {int(length):,} bytes, over the {MAX_RESPONSE_BYTES // (1024 * 1024)} MB limit")
    parts, size = [], 0
    while True:
        chunk = handle.read1(_CHUNK) if hasattr(handle, "read1") else handle.read(_CHUNK)
        if not chunk:
            return b"".join(parts)
        size += len(chunk)
        if size > MAX_RESPONSE_BYTES:
            raise LookupFailed(f"{what}: the answer is over the {MAX_RESPONSE_BYTES // (1024 * 1024)} MB limit; refused")
        if session.remaining() <= 0:
            raise LookupFailed(f"{what}: gave up after {session.budget:g} s (the answer was still arriving)")
        parts.append(chunk)


def _network_failure(what: str, url: str, reason: object, session: Session) -> LookupFailed:
    if isinstance(reason, (TimeoutError, socket.timeout)):
        return LookupFailed(f"{what}: no answer from {_host(url)} within {min(session.timeout, session.budget):g} s")
    if isinstance(reason, socket.gaierror):
        return LookupFailed(f"{what}: cannot find the host {_host(url)} (no network, or no such name)")
    if isinstance(reason, ConnectionRefusedError):
        return LookupFailed(f"{what}: {_host(url)} refused the connection")
    text = getattr(reason, "strerror", None) or str(reason)
    return LookupFailed(f"{what}: cannot reach {_host(url)} ({printable(str(text))})")


def _host(url: str) -> str:
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    return printable(parts.netloc or url)


def get(url: str, what: str, session: Session, accept: str, limiter: RateLimiter | None = None,
        answers: tuple[int, ...] = (404,)) -> Response:
    """GET ``url`` within the session's budget; returns the response (one with a status in
    ``answers`` included: for APIs that answer "not found" with an error status).

    ``what`` names the look-up in messages (``arXiv API, 2305.18290``). Retries 429 and 503 as
    ``Retry-After`` asks (or after 1, 2, 4 s) while the budget lasts. Raises
    :class:`LookupFailed` for every other failure, in one line.
    """
    headers = {"User-Agent": user_agent(), "Accept": accept}
    for attempt in range(1, MAX_ATTEMPTS + 1):
        if limiter is not None:
            limiter.wait()
        left = session.remaining()
        if left <= 0:
            raise LookupFailed(f"{what}: gave up after {session.budget:g} s")
        try:
            with _OPENER.open(urllib.request.Request(url, headers=headers), timeout=min(session.timeout, left)) as handle:
                return Response(handle.status, dict(handle.headers), _read_limited(handle, what, session), handle.url)
        except urllib.error.HTTPError as exc:
            status, reply_headers = exc.code, exc.headers or {}
            if status not in RETRY_STATUSES:
                body = _read_limited(exc, what, session) if exc.fp is not None else b""
                if status in answers:
                    return Response(status, dict(reply_headers), body, url)
                raise LookupFailed(f"{what}: the server answered HTTP {status} {printable(str(exc.reason or ''))}".rstrip()) from None
            wait = retry_after(reply_headers.get("Retry-After"))
            wait = 2.0 ** (attempt - 1) if wait is None else wait
            if attempt == MAX_ATTEMPTS:
                raise LookupFailed(f"{what}: the server answered HTTP {status} (busy) {attempt} times; try again later") from None
            if wait >= session.remaining():
                raise LookupFailed(f"{what}: the server answered HTTP {status} and asks to wait {wait:.0f} s, "
                                   f"beyond the {session.budget:g} s a look-up may take; try again later") from None
            session.sleep(wait)
        except urllib.error.URLError as exc:
            raise _network_failure(what, url, exc.reason, session) from None
        except (TimeoutError, socket.timeout) as exc:
            raise _network_failure(what, url, exc, session) from None
        except (http.client.HTTPException, OSError) as exc:
            raise LookupFailed(f"{what}: broken answer from {_host(url)} ({printable(type(exc).__name__)})") from None
    raise AssertionError("unreachable")  # pragma: no cover - the loop returns or raises
