"""Prefect's temporary local API: started early, one process at a time, stopped for sure.

Without PREFECT_API_URL, a `mediawatch` command that runs a flow needs a Prefect API. This
module starts the same server Prefect's "ephemeral mode" starts (uvicorn over
`prefect.server.api.server:create_app`, UI off, on 127.0.0.1) and points this process's
Prefect settings at it. Doing it here rather than leaving it to Prefect:
- the server starts before this process imports Prefect and the flow's modules, so the
  ~2.5 s it takes overlaps other start-up work;
  the flow waits only for what is left;
- this process never imports Prefect's server package (SQLAlchemy models, FastAPI routes:
  ~1.4 s of CPU and ~80 MB resident) just to launch a subprocess;
- two `mediawatch` processes starting at once would race to migrate the one SQLite database
  in PREFECT_HOME ("index ... already exists", a long ERROR traceback, then a retry on
  another port); a file lock makes the second wait for the first one's migrations instead;
- a watchdog stops the server if this process dies without stopping it (kill -9, the OOM
  killer): Prefect stops it from an atexit hook that then never runs.
"""

from __future__ import annotations

import atexit
import logging
import os
import socket
import subprocess
import sys
import time
from contextlib import AbstractContextManager, ExitStack, nullcontext
from pathlib import Path

from .locking import exclusive

LOGGER = logging.getLogger("mediawatch.prefect_api")
STARTUP_TIMEOUT_S = 60.0
STOP_TIMEOUT_S = 5.0

# Polls once a second; a separate process because nothing inside the killed one survives.
WATCHDOG = """
import os, signal, sys, time
owner, server = int(sys.argv[1]), int(sys.argv[2])
def alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass
    return True
while alive(server):
    if os.getppid() != owner:  # re-parented: the owner is gone
        os.kill(server, signal.SIGTERM)
        for _ in range(50):
            time.sleep(0.1)
            if not alive(server):
                sys.exit(0)
        os.kill(server, signal.SIGKILL)
        sys.exit(0)
    time.sleep(1)
"""


class LocalAPIError(RuntimeError):
    """The temporary Prefect server could not be started (the message says what to do)."""


def prefect_home() -> Path:
    """Return PREFECT_HOME as Prefect resolves it (without importing Prefect)."""
    return Path(os.environ.get("PREFECT_HOME") or Path.home() / ".prefect").expanduser()


def free_port() -> int:
    """Return a TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class LocalAPI:
    """A temporary Prefect server being started by (and for) this process."""

    def __init__(self) -> None:
        self._locks = ExitStack()
        self.process: subprocess.Popen | None = None
        self.port = 0
        self.ready = False

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/api"

    def launch(self) -> LocalAPI:
        """Start the server process (under the start-up lock); do not wait for it."""
        home = prefect_home()
        home.mkdir(parents=True, exist_ok=True)
        self._locks.enter_context(exclusive(home / "mediawatch-api-start.lock"))
        self._spawn()
        atexit.register(self.stop)
        self._point_prefect_here()
        return self

    def _point_prefect_here(self) -> None:
        # Every Prefect client of this process (flow engine, log and event workers, in
        # any thread) reads the API URL from the environment through Prefect's settings.
        os.environ["PREFECT_API_URL"] = self.url
        if "prefect.context" in sys.modules:  # settings already read: read them again
            from prefect.context import refresh_global_settings_context

            refresh_global_settings_context()

    def _spawn(self) -> None:
        self.port = free_port()
        env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"}
        env.update(PREFECT_UI_ENABLED="0", PREFECT__SERVER_EPHEMERAL="1",
                   PREFECT__SERVER_FINAL="1")
        LOGGER.info("Starting temporary Prefect server on http://127.0.0.1:%s", self.port)
        self.process = subprocess.Popen(
            [sys.executable, "-m", "uvicorn", "--factory",
             "prefect.server.api.server:create_app", "--host", "127.0.0.1",
             "--port", str(self.port), "--log-level", "error", "--lifespan", "on"],
            # Its own session: Ctrl-C in a terminal signals the whole foreground process
            # group, and a server stopped by it leaves the flow engine retrying to report
            # the interrupted run to nobody (the command hung). We stop it ourselves.
            env=env, stdin=subprocess.DEVNULL, start_new_session=True)
        # Not on our stdout/stderr: it outlives this process by up to its 1 s poll, and a
        # reader of our output (a pipe, a scheduler capturing logs) waits for every holder.
        subprocess.Popen([sys.executable, "-c", WATCHDOG, str(os.getpid()),
                          str(self.process.pid)], stdin=subprocess.DEVNULL,
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                         start_new_session=True)

    def wait(self) -> str:
        """Wait until the server answers its health check; return its API URL."""
        import httpx

        if self.ready:
            return self.url
        deadline = time.monotonic() + STARTUP_TIMEOUT_S
        respawned = False
        try:
            with httpx.Client(timeout=2.0) as client:
                while True:
                    if self.process.poll() is not None:
                        if respawned:  # twice: not a lost race for the port
                            raise LocalAPIError(
                                f"the temporary Prefect server exited (code "
                                f"{self.process.returncode}); see its messages above, or set "
                                "PREFECT_API_URL to a running Prefect server")
                        respawned = True  # another process took the port: once more
                        self._spawn()
                        self._point_prefect_here()
                    try:
                        if client.get(f"{self.url}/health").status_code == 200:
                            break
                    except httpx.TransportError:
                        pass
                    if time.monotonic() > deadline:
                        raise LocalAPIError(
                            f"the temporary Prefect server did not start within "
                            f"{STARTUP_TIMEOUT_S:.0f} s; set PREFECT_API_URL to a running "
                            "Prefect server")
                    time.sleep(0.05)
        finally:
            self._locks.close()  # migrations are done (or failed): others may start
        self.ready = True
        return self.url

    def stop(self) -> None:
        """Stop the server (SIGTERM, then SIGKILL after a grace period)."""
        process, self.process = self.process, None
        if process is None or process.poll() is not None:
            return
        LOGGER.info("Stopping temporary Prefect server on http://127.0.0.1:%s", self.port)
        process.terminate()
        try:
            process.wait(timeout=STOP_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


_API: LocalAPI | None = None


def launch_local_api() -> LocalAPI | None:
    """Start the temporary local Prefect API in the background (once per process).

    Returns None when PREFECT_API_URL names a server (nothing to start). Call `.wait()`
    on the result (or `start_local_api()`) before running a flow.
    """
    global _API
    if _API is None:
        if os.environ.get("PREFECT_API_URL") or _profile_api_url():
            return None
        _API = LocalAPI().launch()
    return _API


def start_local_api() -> str | None:
    """Start the temporary local Prefect API and wait for it; return its URL (None when
    PREFECT_API_URL names a server)."""
    api = launch_local_api()
    return api.wait() if api is not None else None


def flow_run_settings() -> AbstractContextManager:
    """Return the Prefect settings to run a flow under in this process.

    On our temporary API, flow-run heartbeats are off. They let a lasting server mark a
    run whose process died as crashed; this server stops with the command (the warehouse's
    `runs` table marks an abandoned run crashed at the next ingest), and when a flow ends
    Prefect waits for the heartbeat thread's current 1 s sleep: up to a second a command.
    """
    if _API is None:
        return nullcontext()
    from prefect.settings import PREFECT_FLOWS_HEARTBEAT_FREQUENCY, temporary_settings

    return temporary_settings(updates={PREFECT_FLOWS_HEARTBEAT_FREQUENCY: None})


def _profile_api_url() -> str | None:
    """Return the API URL set in the active Prefect profile, if any (profiles.toml)."""
    path = Path(os.environ.get("PREFECT_PROFILES_PATH") or prefect_home() / "profiles.toml")
    if not path.is_file():
        return None
    import tomllib

    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError):
        return None
    active = os.environ.get("PREFECT_PROFILE") or data.get("active", "ephemeral")
    return (data.get("profiles", {}).get(active, {}) or {}).get("PREFECT_API_URL")
