"""A Prefect server on 127.0.0.1, started by mediawatch when no PREFECT_API_URL names one.

Two uses, one launcher (`prefect server start`, configured by Prefect's public settings only):
- the temporary API of a command that runs a flow (`ingest`, `digest`, `retag`): API only,
  no UI and no background services, as Prefect's own ephemeral mode runs it; started first
  thing in the command and stopped with it (`launch_local_api`);
- a whole server with the UI and the scheduler, for `mediawatch serve` and the tests'
  fixtures (`local_prefect_server`).

Doing it here rather than leaving the temporary API to Prefect's ephemeral mode:
- the server starts before this process imports Prefect and the flow's modules, so the
  ~2.5 s it takes overlaps other start-up work; the flow waits only for what is left;
- this process never imports Prefect's server package (SQLAlchemy models, FastAPI routes:
  ~1.4 s of CPU and ~80 MB resident) just to launch a subprocess;
- two processes starting servers at once would race to migrate the one SQLite database in
  PREFECT_HOME ("index ... already exists", a long ERROR traceback, then a retry on another
  port); a file lock makes the second wait for the first one's migrations instead;
- a watchdog (flows/server_watchdog.py) stops the server if this process dies without
  stopping it (kill -9, the OOM killer): an atexit hook never runs then.
"""

from __future__ import annotations

import atexit
import logging
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import AbstractContextManager, ExitStack, contextmanager, nullcontext
from pathlib import Path

from .locking import exclusive

LOGGER = logging.getLogger("mediawatch.prefect_server")
STARTUP_TIMEOUT_S = 60.0
STOP_GRACE_S = 10.0

# What Prefect's ephemeral mode leaves off, by its public settings: the UI, and the services
# that act on runs over time (scheduling deployments, late runs, worker health, cancellation
# and pause clean-up, lease expiry) or stream events out. A command's own flow run needs
# none of them; the event persister and task-run recorder stay on, as in ephemeral mode.
API_ONLY = {
    "PREFECT_SERVER_UI_ENABLED": "false",
    "PREFECT_SERVER_SERVICES_SCHEDULER_ENABLED": "false",
    "PREFECT_SERVER_SERVICES_LATE_RUNS_ENABLED": "false",
    "PREFECT_SERVER_SERVICES_FOREMAN_ENABLED": "false",
    "PREFECT_SERVER_SERVICES_CANCELLATION_CLEANUP_ENABLED": "false",
    "PREFECT_SERVER_SERVICES_PAUSE_EXPIRATIONS_ENABLED": "false",
    "PREFECT_SERVER_SERVICES_REPOSSESSOR_ENABLED": "false",
    "PREFECT_SERVER_SERVICES_CLEANUP_RECONCILER_ENABLED": "false",
    "PREFECT_SERVER_EVENTS_STREAM_OUT_ENABLED": "false",
}


class ServerDidNotStart(RuntimeError):
    """The Prefect server exited or did not answer in time (the message says what to do)."""


def prefect_home() -> Path:
    """Return PREFECT_HOME as Prefect resolves it (without importing Prefect)."""
    return Path(os.environ.get("PREFECT_HOME") or Path.home() / ".prefect").expanduser()


def free_port() -> int:
    """Return a TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class PrefectServer:
    """`prefect server start` on 127.0.0.1, run by (and for) this process.

    `port` 0 picks a free one (and another, once, if a process takes it first); `home` is
    its PREFECT_HOME (default the caller's); `api_only` leaves the UI and the background
    services off. Its output goes to `<home>/mediawatch-server.log`.
    """

    def __init__(self, port: int = 0, *, home: Path | None = None, api_only: bool = False,
                 timeout_s: float | None = None) -> None:
        self.fixed_port, self.port = port, port
        self.home = Path(home).expanduser() if home is not None else prefect_home()
        self.log = self.home / "mediawatch-server.log"
        self.api_only = api_only
        self.name = "the temporary Prefect server" if api_only else "the Prefect server"
        self.timeout_s = timeout_s or STARTUP_TIMEOUT_S  # read now: a benchmark raises it
        self.process: subprocess.Popen | None = None
        self.log_start = 0  # where the current server's output begins in self.log
        self.ready = False
        self._locks = ExitStack()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/api"

    def launch(self) -> PrefectServer:
        """Start the server process (under the start-up lock); do not wait for it."""
        self.home.mkdir(parents=True, exist_ok=True)
        self._locks.enter_context(exclusive(self.home / "mediawatch-api-start.lock"))
        self._spawn()
        atexit.register(self.stop)
        return self

    def _spawn(self) -> None:
        self.port = self.fixed_port or free_port()
        env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"}
        env.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
        env.update(PREFECT_HOME=str(self.home), PREFECT_SERVER_API_HOST="127.0.0.1",
                   PREFECT_SERVER_API_PORT=str(self.port), **(API_ONLY if self.api_only else {}))
        LOGGER.info("Starting %s on http://127.0.0.1:%s", self.name, self.port)
        with open(self.log, "ab") as sink:
            # one line a start: the log says which output is whose
            sink.write(f"mediawatch: starting {self.name} on 127.0.0.1:{self.port}\n".encode())
            sink.flush()
            self.log_start = sink.tell()
            self.process = subprocess.Popen(
                [sys.executable, "-m", "prefect", "server", "start"],
                # Its own session: Ctrl-C in a terminal signals the whole foreground process
                # group, and a server stopped by it leaves the flow engine retrying to report
                # the interrupted run to nobody (the command hung). We stop it ourselves.
                env=env, stdin=subprocess.DEVNULL, stdout=sink, stderr=subprocess.STDOUT,
                start_new_session=True)
        # Not on our stdout/stderr: it outlives this process by up to its 1 s poll, and a
        # reader of our output (a pipe, a scheduler capturing logs) waits for every holder.
        subprocess.Popen([sys.executable, "-m", "flows.server_watchdog", str(os.getpid()),
                          str(self.process.pid)], stdin=subprocess.DEVNULL,
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                         start_new_session=True)

    def wait(self) -> str:
        """Wait until the server answers its health check; return its API URL."""
        import httpx

        if self.ready:
            return self.url
        deadline = time.monotonic() + self.timeout_s
        respawned = False
        try:
            with httpx.Client(timeout=2.0) as client:
                while True:
                    if self.process.poll() is not None:
                        if respawned or self.fixed_port or not self.lost_port():
                            raise ServerDidNotStart(
                                f"{self.name} exited (status {self.process.returncode}); "
                                f"see {self.log}, or set PREFECT_API_URL to a running server")
                        respawned = True  # another process took the port: once more
                        self._spawn()
                        self.on_respawn()
                    try:
                        if client.get(f"{self.url}/health").status_code == 200:
                            break
                    except httpx.TransportError:
                        pass
                    if time.monotonic() > deadline:
                        raise ServerDidNotStart(
                            f"{self.name} did not answer {self.url}/health within "
                            f"{self.timeout_s:.0f} s; see {self.log}, or set PREFECT_API_URL "
                            "to a running server")
                    time.sleep(0.1)
        finally:
            self._locks.close()  # migrations are done (or failed): others may start
        self.ready = True
        return self.url

    def lost_port(self) -> bool:
        """Return True if the server that exited says its port was taken (another process
        bound the free port between free_port() and the server's bind: worth one more try).
        Any other exit (a database it cannot open, a bad setting) fails the same way again."""
        with open(self.log, "rb") as log:
            log.seek(self.log_start)
            return b"in use" in log.read()

    def on_respawn(self) -> None:
        """Called when the server moved to another port (the URL changed)."""

    def stop(self) -> None:
        """Stop the server's process group (SIGTERM, then SIGKILL after STOP_GRACE_S)."""
        process, self.process = self.process, None
        if process is None or process.poll() is not None:
            return
        LOGGER.info("Stopping %s on http://127.0.0.1:%s", self.name, self.port)
        try:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=STOP_GRACE_S)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        except ProcessLookupError:
            process.wait()


@contextmanager
def local_prefect_server(port: int = 0, *, home: Path | None = None,
                         timeout_s: float = 180.0) -> Iterator[str]:
    """Run a whole Prefect server (UI, scheduler) for the block; yields its API URL.

    For `mediawatch serve`: schedules need Prefect's scheduler, which the temporary API
    does not run. `home` is its PREFECT_HOME (default: the caller's).
    """
    server = PrefectServer(port, home=home, timeout_s=timeout_s).launch()
    try:
        yield server.wait()
    finally:
        server.stop()


class LocalAPI(PrefectServer):
    """The temporary API of this process: its URL is this process's PREFECT_API_URL."""

    def __init__(self) -> None:
        super().__init__(api_only=True)

    def launch(self) -> LocalAPI:
        super().launch()
        self.on_respawn()
        return self

    def on_respawn(self) -> None:
        # Every Prefect client of this process (flow engine, log and event workers, in
        # any thread) reads the API URL from the environment through Prefect's settings.
        os.environ["PREFECT_API_URL"] = self.url
        if "prefect.context" in sys.modules:  # settings already read: read them again
            from prefect.context import refresh_global_settings_context

            refresh_global_settings_context()


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
