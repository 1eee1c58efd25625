"""Network tasks retry transient failures (against a real local HTTP server), nothing else."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx
import pytest
from prefect import flow, task

from flows.local_server import free_port
from flows.retries import NETWORK_RETRIES, is_transient


class Flaky(BaseHTTPRequestHandler):
    """/flaky answers 503 twice then 200; /gone is always 404. Counts requests per path."""

    hits: dict[str, int] = {}

    def do_GET(self):  # noqa: N802 - the http.server API
        n = Flaky.hits[self.path] = Flaky.hits.get(self.path, 0) + 1
        status = 404 if self.path == "/gone" else (503 if n <= 2 else 200)
        self.send_response(status)
        self.end_headers()
        self.wfile.write(b"ok" if status == 200 else b"no")

    def log_message(self, *args):
        pass


@pytest.fixture
def http_server():
    Flaky.hits = {}
    server = ThreadingHTTPServer(("127.0.0.1", 0), Flaky)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


# The policy under test, with delays shortened so the test takes a second, not fourteen.
@task(**{**NETWORK_RETRIES, "retry_delay_seconds": [0.1, 0.2, 0.4]})
def fetch(url: str) -> str:
    response = httpx.get(url, timeout=5)
    response.raise_for_status()
    return response.text


@flow
def fetch_flow(url: str) -> tuple[str, object]:
    """Return the fetch task's final state type and its result (or exception)."""
    state = fetch(url, return_state=True)
    return state.type.value, state.result(raise_on_failure=False)


def test_transient_errors_are_retried_and_permanent_ones_are_not(http_server, prefect_harness):
    assert fetch_flow(f"{http_server}/flaky") == ("COMPLETED", "ok")
    assert Flaky.hits["/flaky"] == 3

    state, error = fetch_flow(f"{http_server}/gone")
    assert state == "FAILED" and "404" in str(error)
    assert Flaky.hits["/gone"] == 1


def test_connection_errors_are_transient():
    with pytest.raises(httpx.TransportError) as refused:
        httpx.get(f"http://127.0.0.1:{free_port()}/", timeout=5)
    assert is_transient(refused.value)
    assert not is_transient(ValueError("bad feed XML"))
