"""A real HTTP server on 127.0.0.1 serving tests/fixtures/web, with the web's bad habits.

Routes: /feeds/* (ETag + Last-Modified, answers conditional GETs with 304; `{BASE}` in a
feed becomes the server's address), /news/*, /ru/* (windows-1251, declared in the header),
/ru-meta/* (the same bytes, charset only in <meta>), /flaky/X (500, then X), /busy/X (429
with Retry-After: 1, then X), /down/X (always 503), /r/N/X (a chain of N redirects to /news/X), /loop (redirects
to itself), /gz/X (X gzip-encoded), /big (a 300 KB page), /file.pdf, /slow (stalls),
/robots.txt (disallows /private/). Every request is logged for assertions.
"""

from __future__ import annotations

import gzip
import hashlib
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

WEB = Path(__file__).resolve().parent / "fixtures" / "web"
LAST_MODIFIED = "Fri, 12 Jul 2024 10:00:00 GMT"


class Handler(BaseHTTPRequestHandler):
    server: "WebServer"

    def log_message(self, *args) -> None:  # keep pytest output clean
        pass

    def send(self, status: int, body: bytes = b"", content_type: str = "text/html; charset=utf-8",
             headers: dict | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:  # noqa: C901 - one branch per route reads best here
        path = self.path.split("?")[0].split("#")[0]
        self.server.log.append((path, dict(self.headers)))
        hits = self.server.hits
        hits[path] += 1
        if path == "/robots.txt":
            return self.send(200, b"User-agent: *\nDisallow: /private/\n", "text/plain")
        if path.startswith("/feeds/"):
            return self.feed(WEB / path.lstrip("/"))
        if path.startswith("/news/"):
            return self.file(WEB / path.lstrip("/"))
        if path.startswith("/ru/"):
            return self.file(WEB / path.lstrip("/"), "text/html; charset=windows-1251")
        if path.startswith("/ru-meta/"):
            return self.file(WEB / "ru" / path.split("/", 2)[2], "text/html")
        if path.startswith("/flaky/") and hits[path] == 1:
            return self.send(500, b"<h1>Internal Server Error</h1>")
        if path.startswith("/busy/") and hits[path] == 1:
            return self.send(429, b"slow down", headers={"Retry-After": "1"})
        if path.startswith(("/flaky/", "/busy/")):
            return self.file(WEB / "news" / path.split("/", 2)[2])
        if path.startswith("/r/"):
            _, _, n, name = path.split("/", 3)
            target = f"/r/{int(n) - 1}/{name}" if int(n) > 1 else f"/news/{name}"
            return self.send(301 if int(n) % 2 else 302, headers={"Location": target})
        if path.startswith("/down/"):
            return self.send(503, b"<h1>Service Unavailable</h1>")
        if path == "/loop":
            return self.send(302, headers={"Location": "/loop"})
        if path.startswith("/gz/"):
            body = gzip.compress((WEB / "news" / path.split("/", 2)[2]).read_bytes())
            return self.send(200, body, headers={"Content-Encoding": "gzip"})
        if path == "/big":
            return self.send(200, b"<html><body>" + b"<p>filler text</p>" * 20_000 + b"</body></html>")
        if path == "/file.pdf":
            return self.send(200, b"%PDF-1.4 fake", "application/pdf")
        if path == "/slow":
            time.sleep(3)
            return self.send(200, b"<p>late</p>")
        return self.send(404, b"<h1>Not Found</h1>")

    def file(self, path: Path, content_type: str = "text/html; charset=utf-8") -> None:
        if not path.is_file():
            return self.send(404, b"<h1>Not Found</h1>")
        self.send(200, path.read_bytes(), content_type)

    def feed(self, path: Path) -> None:
        if not path.is_file():
            return self.send(404, b"no such feed")
        base = f"http://127.0.0.1:{self.server.server_port}"
        body = path.read_bytes().replace(b"{BASE}", base.encode())
        etag = '"' + hashlib.sha256(body).hexdigest()[:16] + '"'
        if self.headers.get("If-None-Match") == etag or (
            self.headers.get("If-None-Match") is None
            and self.headers.get("If-Modified-Since") == LAST_MODIFIED
        ):
            return self.send(304, headers={"ETag": etag})
        self.send(200, body, "application/rss+xml; charset=utf-8",
                  {"ETag": etag, "Last-Modified": LAST_MODIFIED})


class WebServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), Handler)
        self.log: list[tuple[str, dict]] = []
        self.hits: Counter = Counter()

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.server_port}"


@contextmanager
def serve_web() -> Iterator[WebServer]:
    """Run a fresh loopback web server (fresh hit counters) for the `with` block."""
    server = WebServer()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def web():
    """A fresh loopback web server (fresh hit counters) for one test."""
    with serve_web() as server:
        yield server
