"""`mediawatch serve` on a real Prefect server: per-minute runs, and a clean stop on SIGINT."""

from __future__ import annotations

import shutil
import signal
import subprocess
import time

import pytest

from flows.verbs.serve import check_schedule
from tests.conftest import SEED_FILE
from tests.processes import MEDIAWATCH, kill_group
from warehouse.db import WarehouseBusy, connect


def test_bad_schedules_are_refused_with_the_option_named():
    check_schedule("*/30 * * * *", "Asia/Kolkata", "--ingest-cron")
    with pytest.raises(ValueError, match="--ingest-cron"):
        check_schedule("every half hour", "UTC", "--ingest-cron")
    with pytest.raises(ValueError, match="timezone"):
        check_schedule("0 7 * * *", "Mars/Olympus", "--digest-cron")


def ingest_runs(db) -> list[tuple] | None:
    """Return (status,) of every ingest run so far; None while the warehouse is busy/absent."""
    if not db.exists():
        return None
    try:
        con = connect(db, read_only=True, wait_s=5)
    except WarehouseBusy:
        return None
    try:
        return con.execute("select status from runs where flow = 'ingest'").fetchall()
    finally:
        con.close()


@pytest.mark.slow
def test_serve_runs_every_minute_and_stops_on_sigint(prefect_server, tmp_path):
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    shutil.copy(SEED_FILE, seeds)
    db = tmp_path / "served.duckdb"
    started = time.monotonic()
    serve = subprocess.Popen(
        [*MEDIAWATCH, "serve", "--ingest-cron", "* * * * *", "--db", str(db),
         "--seeds", str(seeds)],
        env=prefect_server, cwd=tmp_path, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
        stderr=subprocess.PIPE, text=True, start_new_session=True)
    try:
        runs = []
        while time.monotonic() - started < 150 and serve.poll() is None:
            # a run is made once its flow has started and recorded itself
            runs = ingest_runs(db) or runs
            if len(runs) >= 2 and ("completed",) in runs:
                break
            time.sleep(3)
        assert serve.poll() is None, serve.communicate()
        assert len(runs) >= 2, f"{len(runs)} ingest runs in 150 s"
        assert ("completed",) in runs, runs

        serve.send_signal(signal.SIGINT)
        t0 = time.monotonic()
        out, err = serve.communicate(timeout=30)
        stopped_s = time.monotonic() - t0
    finally:
        kill_group(serve)
    assert serve.returncode == 0, err
    assert stopped_s <= 15, f"took {stopped_s:.1f} s to stop"
    assert "Traceback" not in err and "stopped" in err, err
    # a run cut short by the stop is recorded as failed, not left "running"
    assert {status for (status,) in ingest_runs(db)} <= {"completed", "failed"}
