"""A local HTTP server on 127.0.0.1 that plays recorded API answers, for the look-up tests.

Routes map a request path with its query (``/api/query?id_list=2305.18290``) to a list of
answers played in turn (the last one repeats). An answer is ``(status, headers, body)``, or one
of the behaviours ``HANG`` (never answers) and ``BIG`` (streams 50 MB, no length given).
"""

from __future__ import annotations

import contextlib
import http.server
import threading
import time
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data" / "lookup"
ATOM = {"Content-Type": "application/atom+xml; charset=utf-8"}
JSON = {"Content-Type": "application/json"}
TEXT = {"Content-Type": "text/plain"}
HANG = "hang"
BIG = "big"
DRIP = "drip"
BIG_BYTES = 50 * 1024 * 1024


def recorded(name: str) -> bytes:
    """A recorded answer's bytes."""
    return (DATA / name).read_bytes()


class LookupServer(http.server.ThreadingHTTPServer):
    """The server: its routes, the requests it got (path and headers) and a stop event."""

    daemon_threads = True

    def __init__(self, routes: dict):
        super().__init__(("127.0.0.1", 0), _Handler)
        self.routes = {k: list(v) for k, v in routes.items()}
        self.requests: list[tuple[str, dict]] = []
        self.stopping = threading.Event()
        self.sent_bytes = 0

    @property
    def url(self) -> str:
        """The server's base URL, without a final slash."""
        return f"http://127.0.0.1:{self.server_port}"


class _Handler(http.server.BaseHTTPRequestHandler):
    server: LookupServer

    def log_message(self, *args):
        pass

    def do_GET(self):  # noqa: N802 - http.server's naming
        self.server.requests.append((self.path, dict(self.headers)))
        answers = self.server.routes.get(self.path)
        if not answers:
            self.send_response(404)
            self.end_headers()
            return
        answer = answers.pop(0) if len(answers) > 1 else answers[0]
        if answer == HANG:
            self.server.stopping.wait(30)
            return
        if answer == BIG:
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            chunk = b" " * (256 * 1024)
            with contextlib.suppress(OSError):
                for _ in range(BIG_BYTES // len(chunk)):
                    self.wfile.write(chunk)
                    self.server.sent_bytes += len(chunk)
            return
        if answer == DRIP:
            self.send_response(200)
            self.end_headers()
            with contextlib.suppress(OSError):
                while not self.server.stopping.wait(0.2):
                    self.wfile.write(b" ")
                    self.wfile.flush()
            return
        status, headers, body = answer
        self.send_response(status)
        for key, value in headers.items():
            self.send_header(key, value)
        if "Content-Length" not in headers:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@contextlib.contextmanager
def serve(routes: dict):
    """Run a :class:`LookupServer` in a thread; yields it."""
    server = LookupServer(routes)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.stopping.set()
        server.shutdown()
        server.server_close()
        thread.join(5)
        time.sleep(0)
