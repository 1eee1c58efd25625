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

import os
import subprocess
import sys
from pathlib import Path

from .locking import exclusive

# Stops the temporary server when the process that started it dies without stopping it
# (kill -9, OOM killer): Prefect stops it from an atexit hook, which then never runs, and
# the server would live on, orphaned, for good. Polls once a second; a separate
# process because nothing inside the killed one survives to do it.
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
        started_here = not server.running
        server.start()
    if started_here and server.server_process is not None:
        subprocess.Popen([sys.executable, "-c", WATCHDOG, str(os.getpid()),
                          str(server.server_process.pid)], stdin=subprocess.DEVNULL)
    return server.api_url
