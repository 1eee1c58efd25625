"""Real alert receivers on 127.0.0.1: an SMTP server (aiosmtpd) and an HTTP webhook receiver.

The webhook receiver answers by path: /ok/* 200; /flaky/* 500 for the first three requests
to that path, then 200; /fail/* always 500; /hold/* holds its second request until `release`
is set, then answers 200 (a test kills the sender meanwhile). Every request is recorded with its
headers and JSON body.
"""

from __future__ import annotations

import json
import socket
import threading
from collections import Counter
from email import message_from_bytes
from email.policy import default as email_policy
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from aiosmtpd.controller import Controller


class SmtpSink:
    """An SMTP server on 127.0.0.1 that keeps every message it receives."""

    def __init__(self) -> None:
        self.messages: list = []
        with socket.socket() as probe:  # aiosmtpd checks its own port once started: pick one
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.controller = Controller(self, hostname="127.0.0.1", port=self.port)

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        self.messages.append(message_from_bytes(envelope.content, policy=email_policy))
        return "250 OK"

    def __enter__(self) -> "SmtpSink":
        self.controller.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.controller.stop()

    def keys(self) -> list[str]:
        """Return the alert key header of every message received, in order."""
        return [m["X-Mediawatch-Alert-Key"] for m in self.messages]


class Handler(BaseHTTPRequestHandler):
    server: "WebhookReceiver"

    def log_message(self, *args) -> None:
        pass

    def do_POST(self) -> None:  # noqa: N802 - http.server's hook name
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        path = self.path.split("?")[0]
        with self.server.lock:
            self.server.hits[path] += 1
            hit = self.server.hits[path]
            self.server.requests.append({"path": path, "headers": dict(self.headers),
                                         "body": json.loads(body or b"{}")})
        status = 200
        if path.startswith("/flaky/") and hit <= 3:
            status = 500
        elif path.startswith("/fail/"):
            status = 500
        elif path.startswith("/hold/") and hit == 2:
            self.server.holding.set()
            self.server.release.wait(60)
        self.send_response(status)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"ok")


class WebhookReceiver(ThreadingHTTPServer):
    """An HTTP server on 127.0.0.1 that records the webhooks posted to it."""

    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), Handler)
        self.hits: Counter = Counter()
        self.requests: list[dict] = []
        self.lock = threading.Lock()
        self.holding = threading.Event()
        self.release = threading.Event()

    @property
    def port(self) -> int:
        return self.server_address[1]

    def __enter__(self) -> "WebhookReceiver":
        threading.Thread(target=self.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.release.set()
        self.shutdown()
        self.server_close()

    def delivered(self, prefix: str) -> list[dict]:
        """Return the requests to paths under `prefix` that were answered 200 (not /flaky's
        first three), with their alert JSON decoded from the Apprise message."""
        out, seen = [], Counter()
        for r in self.requests:
            if not r["path"].startswith(prefix):
                continue
            seen[r["path"]] += 1
            if r["path"].startswith("/flaky/") and seen[r["path"]] <= 3:
                continue
            out.append({**r, "alert": json.loads(r["body"]["message"])})
        return out
