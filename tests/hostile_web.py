"""A real HTTP server on 127.0.0.1 that misbehaves in every way the issue lists (issue 9).

Good pages: /good/<file> (tests/fixtures/hostile), /news/<file> (tests/fixtures/web/news),
/once500/<file> and /once503/<file> (an error first, then the news page; the 503 says
Retry-After: 1), /cp1251/<file> (the Russian page, its charset declared nowhere),
/badutf8/<file> (a news page with invalid UTF-8 bytes in it, declared UTF-8).
Faults: /gone/404, /gone/410, /down (always 503, Retry-After: 1), /hang (never answers),
/trickle (headers, then one byte every 0.2 s), /trickle-head (the status line a byte at a
time), /huge (20 MB streamed without Content-Length), /gzbomb (200 MB of zeros gzipped to
~200 KB), /pdf, /png, /pdf-as-html (PDF bytes labelled text/html), /empty, /loop,
/to/<n> (a redirect to the address in REDIRECTS[n]), /sjis (Shift-JIS, no charset).
Feeds: /feeds/<name> from `server.feeds` ({BASE} and {CANARY} filled in), with the content
type in `server.feed_types` (default application/rss+xml). Every path is counted in `hits`.
"""

from __future__ import annotations

import zlib
import threading
import time
from collections import Counter
from functools import lru_cache
from http.server import ThreadingHTTPServer

import pytest

from tests.webserver import WEB
from tests.webserver import Handler as WebHandler

HOSTILE = WEB.parent / "hostile"
REDIRECTS = {"metadata": "http://169.254.169.254/latest/meta-data/iam/",
             "ten": "http://10.20.30.40/admin", "canary": "{CANARY}/secret"}
JAPANESE = ("<html><head><title>インドとロシアの関係</title></head><body><article><p>"
            "インドとロシアは防衛とエネルギーの分野で協力を深めている。"
            "モディ首相はモスクワでプーチン大統領と会談した。</p></article></body></html>")


@lru_cache(maxsize=1)
def gzip_bomb() -> bytes:
    """Return 200 MB of zeros, gzip-compressed (about 200 KB on the wire)."""
    packer = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    zeros = b"\0" * 1_000_000
    return b"".join(packer.compress(zeros) for _ in range(200)) + packer.flush()


class Handler(WebHandler):
    """The misbehaving routes; quiet logging and `send` come from the loopback web's handler."""

    server: HostileServer
    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:  # noqa: C901, PLR0911, PLR0912 - one branch per route
        path = self.path.split("?")[0]
        hits = self.server.hits
        hits[path] += 1
        name = path.rsplit("/", 1)[-1]
        if path.startswith("/feeds/"):
            body = self.server.feeds.get(name)
            if body is None:
                return self.send(404, b"no such feed")
            body = body.replace("{BASE}", self.server.base).replace("{CANARY}", self.server.canary)
            return self.send(200, body.encode(), self.server.feed_types.get(
                name, "application/rss+xml; charset=utf-8"))
        if path.startswith("/good/"):
            return self.send(200, (HOSTILE / name).read_bytes())
        if path.startswith("/news/"):
            return self.send(200, (WEB / "news" / name).read_bytes())
        if path.startswith("/once500/") and hits[path] == 1:
            return self.send(500, b"<h1>Internal Server Error</h1>")
        if path.startswith("/once503/") and hits[path] == 1:
            return self.send(503, b"<h1>Busy</h1>", headers={"Retry-After": "1"})
        if path.startswith(("/once500/", "/once503/")):
            return self.send(200, (WEB / "news" / name).read_bytes())
        if path.startswith("/cp1251/"):
            html = (WEB / "ru" / name).read_bytes()
            html = html.replace(b'<meta charset="windows-1251">', b"")
            return self.send(200, html, "text/html")
        if path.startswith("/badutf8/"):
            html = (WEB / "news" / name).read_bytes().replace(b"</h1>", b"\xff\xfe\xc3(</h1>")
            return self.send(200, html)
        if path == "/gone/404":
            return self.send(404, b"<h1>Not Found</h1>")
        if path == "/gone/410":
            return self.send(410, b"<h1>Gone</h1>")
        if path == "/down":
            return self.send(503, b"<h1>Service Unavailable</h1>", headers={"Retry-After": "1"})
        if path == "/hang":
            self.server.stopping.wait(30)
            return None
        if path == "/trickle":
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            return self.drip(b"<html><body><p>" + b"slow " * 1000)
        if path == "/trickle-head":
            return self.drip(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nX-Pad: " + b"a" * 1000)
        if path == "/huge":
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Connection", "close")
            self.end_headers()
            chunk = b"<p>" + b"filler " * 9_000 + b"</p>\n"
            try:
                for _ in range(20_000_000 // len(chunk)):
                    self.wfile.write(chunk)
            except OSError:
                pass  # the client hung up at its cap, as it should
            self.close_connection = True
            return None
        if path == "/gzbomb":
            return self.send(200, gzip_bomb(), headers={"Content-Encoding": "gzip"})
        if path == "/pdf":
            return self.send(200, b"%PDF-1.7\n" + b"0" * 5000, "application/pdf")
        if path == "/png":
            return self.send(200, b"\x89PNG\r\n\x1a\n" + b"0" * 5000, "image/png")
        if path == "/pdf-as-html":
            return self.send(200, b"%PDF-1.7\n" + b"0" * 5000, "text/html")
        if path == "/empty":
            return self.send(200, b"")
        if path == "/loop":
            return self.send(302, headers={"Location": "/loop"})
        if path.startswith("/to/"):
            target = REDIRECTS[name].replace("{CANARY}", self.server.canary)
            return self.send(302, headers={"Location": target})
        if path == "/sjis":
            return self.send(200, JAPANESE.encode("shift_jis"), "text/html")
        return self.send(404, b"<h1>Not Found</h1>")

    def drip(self, data: bytes) -> None:
        """Send `data` a byte every 0.2 s until done, the client leaves or the server stops."""
        try:
            for i in range(len(data)):
                if self.server.stopping.is_set():
                    break
                self.wfile.write(data[i:i + 1])
                time.sleep(0.2)
        except OSError:
            pass
        self.close_connection = True


class HostileServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address) -> None:
        pass  # clients hanging up mid-body (at their size cap or deadline) is the point

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), Handler)
        self.hits: Counter = Counter()
        self.feeds: dict[str, str] = {}
        self.feed_types: dict[str, str] = {}
        self.canary = "http://127.0.0.1:9"  # replaced by the canary server's address
        self.stopping = threading.Event()

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.server_port}"


def serve() -> tuple[HostileServer, threading.Thread]:
    server = HostileServer()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    return server, thread


def stop(server: HostileServer) -> None:
    server.stopping.set()
    server.shutdown()
    server.server_close()


@pytest.fixture
def hostile():
    """The hostile server, and a second loopback server (`hostile.canary_server`) that no
    request may ever reach: links to it must be refused before connecting."""
    server, _ = serve()
    canary, _ = serve()
    server.canary = canary.base
    server.canary_server = canary
    yield server
    stop(server)
    stop(canary)


def hostile_settings(server: HostileServer) -> dict[str, str]:
    """Return the MEDIAWATCH_* settings of an ingest against the hostile server: private
    addresses refused but for its own host:port, and the same small limits as
    tests/fetching.py's policy_for (a 2 s total deadline, a 2 MB cap, one retry)."""
    return {f"MEDIAWATCH_{name}": value for name, value in {
        "ALLOW_PRIVATE_ADDRESSES": "0", "ALLOWED_PRIVATE_HOSTS": f"127.0.0.1:{server.server_port}",
        "HOST_DELAY_S": "0", "FETCH_BACKOFF_S": "0.05", "TOTAL_TIMEOUT_S": "2",
        "READ_TIMEOUT_S": "1", "CONNECT_TIMEOUT_S": "1", "FETCH_RETRIES": "1",
        "PER_HOST_CONCURRENCY": "8", "MAX_PAGE_BYTES": "2000000", "EXTRACT_WORKERS": "1"}.items()}
