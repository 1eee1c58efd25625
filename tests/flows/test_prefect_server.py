"""flows/prefect_server.py: the temporary API is Prefect's ephemeral mode by public settings,
and its watchdog stops a server whose owner was killed."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time

import httpx

from flows import prefect_server
from tests.conftest import ROOT


def test_the_temporary_api_runs_the_services_of_prefects_ephemeral_mode():
    # In a process of its own: Prefect reads its settings from the environment once.
    code = """
import os
from flows.prefect_server import API_ONLY
os.environ.update(API_ONLY)
from prefect.server.services.base import RunInEphemeralServers, Service
from prefect.server.services.perpetual_services import get_enabled_perpetual_services as p
from prefect.settings import get_current_settings
names = lambda found: sorted(getattr(s, 'function', s).__name__ for s in found)
print(names(Service.enabled_services()) == names(RunInEphemeralServers.enabled_services()))
print(names(p(False, False)) == names(p(True, False)))
print(get_current_settings().server.ui.enabled)
"""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_SERVER_")}
    out = subprocess.run([sys.executable, "-c", code], env=env, cwd=ROOT, capture_output=True,
                         text=True, check=True).stdout.split()
    assert out == ["True", "True", "False"]


OWNER = """
import subprocess, sys, time
server = subprocess.Popen(["sleep", "300"], start_new_session=True)
subprocess.Popen([sys.executable, "-m", "flows.server_watchdog", str(__import__("os").getpid()),
                  str(server.pid)], start_new_session=True)
print(server.pid, flush=True)
time.sleep(300)
"""


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # a zombie (exited, not yet reaped by init) counts as stopped
    with open(f"/proc/{pid}/stat") as stat:
        return stat.read().split(")")[-1].split()[0] != "Z"


def test_the_watchdog_stops_the_server_of_a_killed_owner():
    owner = subprocess.Popen([sys.executable, "-c", OWNER], cwd=ROOT, stdout=subprocess.PIPE,
                             text=True)
    server = int(owner.stdout.readline())
    try:
        time.sleep(1.5)  # the watchdog is polling
        assert alive(server)
        owner.send_signal(signal.SIGKILL)
        owner.wait()
        deadline = time.monotonic() + 30  # a guard, not a measurement: it polls once a second
        while alive(server) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert not alive(server), "the watchdog left the server of a killed owner running"
    finally:
        try:
            os.kill(server, signal.SIGKILL)
        except ProcessLookupError:
            pass


def test_a_port_taken_before_the_server_binds_it_is_tried_once_more(migrated_prefect_home,
                                                                     monkeypatch):
    # Another process binds the free port between free_port() and the server's own bind.
    taken = socket.socket()
    taken.bind(("127.0.0.1", 0))
    taken.listen()
    port = taken.getsockname()[1]
    real_free_port, first = prefect_server.free_port, [port]
    monkeypatch.setattr(prefect_server, "free_port",
                        lambda: first.pop() if first else real_free_port())
    server = prefect_server.PrefectServer(home=migrated_prefect_home, api_only=True).launch()
    try:
        url = server.wait()
    finally:
        server.stop()
        taken.close()
    assert f":{port}/" not in url
    starts = (migrated_prefect_home / "mediawatch-server.log").read_text().count(
        "mediawatch: starting")
    assert starts == 2


def test_two_servers_started_at_once_on_a_fresh_home_take_turns_to_migrate_it(tmp_path):
    """Two commands starting their temporary servers at once on a fresh PREFECT_HOME: the
    second waits for the first one's migrations (before the start lock, both migrated the
    one SQLite database: "index ... already exists", an ERROR traceback, another port)."""
    home = tmp_path / "fresh-home"
    servers = [prefect_server.PrefectServer(home=home, api_only=True) for _ in range(2)]
    urls, errors = [None, None], []

    def start(i: int) -> None:
        try:
            urls[i] = servers[i].launch().wait()
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(repr(exc))

    threads = [threading.Thread(target=start, args=(i,)) for i in range(2)]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=300)
        assert errors == [] and None not in urls, errors
        assert all(httpx.get(f"{url}/health", timeout=10).status_code == 200 for url in urls)
    finally:
        for server in servers:
            server.stop()
    log = (home / "mediawatch-server.log").read_text()
    assert log.count("mediawatch: starting") == 2, log  # neither moved to another port
    assert "Traceback" not in log and "already exists" not in log, log
