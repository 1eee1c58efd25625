"""A real Prefect server on 127.0.0.1 for the length of a `with` block.

Schedules need Prefect's scheduler service, which the ephemeral API that `mediawatch ingest`
uses does not run; `mediawatch serve` (and the integration tests) start `prefect server start`
as a child process instead, and stop its whole process group on the way out.
This module never imports prefect: it runs it as a subprocess, so the caller can point
PREFECT_API_URL at the server before its own first `import prefect`.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx


class ServerDidNotStart(RuntimeError):
    """`prefect server start` exited or did not answer /api/health in time."""


def free_port() -> int:
    """Return a TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_healthy(api_url: str, process: subprocess.Popen, timeout_s: float, log: Path) -> None:
    """Poll `<api_url>/health` until it answers 200; raise ServerDidNotStart otherwise."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise ServerDidNotStart(
                f"prefect server exited with status {process.returncode}; see {log}")
        try:
            if httpx.get(f"{api_url}/health", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass  # not listening yet
        time.sleep(0.5)
    raise ServerDidNotStart(f"prefect server did not answer {api_url}/health in "
                            f"{timeout_s:.0f} s; see {log}")


def stop_process_group(process: subprocess.Popen, grace_s: float = 10.0) -> None:
    """SIGTERM the process group led by `process`; SIGKILL it after `grace_s` seconds."""
    if process.poll() is not None:
        return
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=grace_s)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=grace_s)
    except ProcessLookupError:
        pass


@contextmanager
def local_prefect_server(port: int = 0, *, home: Path | None = None, log: Path | None = None,
                         timeout_s: float = 180.0) -> Iterator[str]:
    """Run `prefect server start` on 127.0.0.1:`port` (0: a free port); yields its API URL.

    `home` is its PREFECT_HOME (default: the caller's); the server's output goes to `log`
    (default `<home>/mediawatch-server.log`) so the console stays readable.
    """
    port = port or free_port()
    api_url = f"http://127.0.0.1:{port}/api"
    env = dict(os.environ)
    env.pop("PREFECT_API_URL", None)  # the server must not think it is a client of another
    env.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    if home is not None:
        env["PREFECT_HOME"] = str(home)
    home = Path(env.get("PREFECT_HOME") or Path.home() / ".prefect").expanduser()
    home.mkdir(parents=True, exist_ok=True)
    log = log or home / "mediawatch-server.log"
    with open(log, "ab") as sink:
        # A session of its own, so stopping it also stops the workers uvicorn may spawn,
        # and a Ctrl-C in the terminal reaches only the parent, which stops it in order.
        process = subprocess.Popen(
            [sys.executable, "-m", "prefect", "server", "start", "--host", "127.0.0.1",
             "--port", str(port)],
            env=env, stdin=subprocess.DEVNULL, stdout=sink, stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        wait_healthy(api_url, process, timeout_s, log)
        yield api_url
    finally:
        stop_process_group(process)
