"""Stop a Prefect server whose owner died: `python -m flows.server_watchdog OWNER_PID SERVER_PID`.

flows/prefect_server.py starts one beside each server it launches. The owner stops its
server itself on the way out, even on Ctrl-C or SIGTERM; this covers the deaths where no
code of the owner runs (kill -9, the OOM killer). It is a process of its own because nothing
inside the killed one survives, and it polls once a second: a watchdog process costs ~10 MB
and no measurable CPU, and a server left behind is stopped within a second or two.
"""

from __future__ import annotations

import os
import signal
import sys
import time

POLL_S = 1.0
GRACE_S = 5.0


def alive(pid: int) -> bool:
    """Return whether process `pid` exists (a zombie counts: its parent has not reaped it)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass
    return True


def stop(server: int) -> None:
    """SIGTERM the server's process group, then SIGKILL it after GRACE_S."""
    try:
        os.killpg(server, signal.SIGTERM)
        deadline = time.monotonic() + GRACE_S
        while time.monotonic() < deadline:
            time.sleep(0.1)
            if not alive(server):
                return
        os.killpg(server, signal.SIGKILL)
    except ProcessLookupError:
        pass


def watch(owner: int, server: int) -> None:
    """Return when the server is gone; stop it first if the owner goes before it."""
    while alive(server):
        if os.getppid() != owner:  # re-parented: the owner is gone
            stop(server)
            return
        time.sleep(POLL_S)


if __name__ == "__main__":
    watch(int(sys.argv[1]), int(sys.argv[2]))
