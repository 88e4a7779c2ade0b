"""A local HTTP server on 127.0.0.1 that plays the calendar host in feed tests.

Paths it answers:
- ``/feeds/<name>``: the fixture file tests/fixtures/feeds/<name>;
- anything put with ``server.put(path, body)`` (a test swaps a feed's content),
  or ``server.redirect(path, location)``;
- ``/slow``: headers at once, then one byte every 0.2 s for a minute;
- ``/slow-headers``: the status line and headers, one byte every 0.2 s;
- ``/stall``: headers, then nothing for 4 s, then the busy fixture;
- ``/huge``: 10 MB with no Content-Length (only a streaming limit stops it);
- ``/huge-declared``: a Content-Length of 10 MB, and the bytes;
- ``/redirect/<n>``: ``n`` redirects, then ``/feeds/busy.ics``;
- ``/status/<code>``: that status.
"""

from __future__ import annotations

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "feeds"
HUGE = 10 * 1024 * 1024
DRIP_SECONDS = 0.2


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002  (quiet)
        return

    def do_GET(self) -> None:  # noqa: N802  (http.server's name)
        self.server.hits.append(self.path)
        try:
            self._answer()
        except (BrokenPipeError, ConnectionResetError):
            return  # the client gave up, as it should

    def _answer(self) -> None:
        path = self.path
        if path in self.server.bodies:
            return self._send(200, self.server.bodies[path])
        if path in self.server.redirects:
            return self._redirect(self.server.redirects[path])
        if path.startswith("/feeds/") and (FIXTURES / path.removeprefix("/feeds/")).is_file():
            return self._send(200, (FIXTURES / path.removeprefix("/feeds/")).read_bytes())
        if path == "/slow":
            self.send_response(200)
            self.send_header("Content-Type", "text/calendar")
            self.end_headers()
            return self._drip(b"BEGIN:VCALENDAR\r\n" * 20)
        if path == "/stall":
            self.send_response(200)
            self.end_headers()
            self.wfile.flush()
            self.server.stopping.wait(4.0)
            self.wfile.write((FIXTURES / "busy.ics").read_bytes())
            return None
        if path == "/slow-headers":
            return self._drip(b"HTTP/1.1 200 OK\r\nContent-Type: text/calendar\r\nX-Pad: " + b"x" * 400)
        if path in ("/huge", "/huge-declared"):
            self.send_response(200)
            if path == "/huge-declared":
                self.send_header("Content-Length", str(HUGE))
            self.send_header("Connection", "close")
            self.end_headers()
            chunk = b"X" * 65536
            for _ in range(HUGE // len(chunk)):
                self.wfile.write(chunk)
            return None
        if path.startswith("/redirect/"):
            left = int(path.removeprefix("/redirect/"))
            return self._redirect(f"/redirect/{left - 1}" if left > 1 else "/feeds/busy.ics")
        if path.startswith("/status/"):
            return self._send(int(path.removeprefix("/status/")), b"no")
        return self._send(404, b"not found")

    def _send(self, status: int, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", "text/calendar; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _redirect(self, location: str) -> None:
        self.send_response(302)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def _drip(self, data: bytes) -> None:
        for byte in data:
            if self.server.stopping.is_set():
                return
            self.wfile.write(bytes([byte]))
            self.wfile.flush()
            time.sleep(DRIP_SECONDS)


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.bodies: dict[str, bytes] = {}
        self.redirects: dict[str, str] = {}
        self.hits: list[str] = []
        self.stopping = threading.Event()


class FeedServer:
    def __init__(self) -> None:
        self._server = _Server()
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def __enter__(self) -> FeedServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.stopping.set()
        self._server.shutdown()
        self._server.server_close()

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}{path}"

    def put(self, path: str, body: bytes) -> None:
        self._server.bodies[path] = body

    def redirect(self, path: str, location: str) -> None:
        self._server.redirects[path] = location

    @property
    def hits(self) -> list[str]:
        return self._server.hits
