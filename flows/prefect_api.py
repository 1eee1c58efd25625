"""Prefect's temporary local API, started one process at a time.

Without PREFECT_API_URL, each `mediawatch` process starts its own temporary Prefect server,
all of them on the one SQLite database in PREFECT_HOME. Each server migrates that database
as it starts; two starting at once race on the migration ("index ... already exists"), and
the loser prints a long ERROR traceback before Prefect retries on another port. Starting the
server under a file lock in PREFECT_HOME makes the second process wait for the first one's
migrations (seconds, once) instead. Once started, servers share the database safely (SQLite
WAL with a busy timeout).
"""

from __future__ import annotations

from pathlib import Path

from .locking import exclusive


def start_local_api() -> str | None:
    """Start the temporary local Prefect API now, serialised across processes.

    Returns its URL, or None when PREFECT_API_URL names a server (nothing to start).
    """
    from prefect.server.api.server import SubprocessASGIServer
    from prefect.settings import PREFECT_API_URL, PREFECT_HOME

    if PREFECT_API_URL.value():
        return None
    with exclusive(Path(PREFECT_HOME.value()) / "mediawatch-api-start.lock"):
        # The same instance Prefect's client asks for (SubprocessASGIServer is a singleton
        # per port, None meaning "any"), so the flow runs against the server started here.
        server = SubprocessASGIServer()
        server.start()
    return server.api_url
