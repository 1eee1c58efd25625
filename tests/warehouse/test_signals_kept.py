"""A stop signal that lands inside a DuckDB statement stays a stop signal.

DuckDB stops the statement and raises RuntimeError("Query interrupted"), the signal's
exception as its cause. The ingest's load task (retries=2) took that for a failure and
retried it: the run went on loading long after Ctrl-C or SIGTERM (tests/flows/test_signals.py
caught it under load). Each case runs in its own Python process, as the CLI does: under
pytest DuckDB finishes the statement before Python sees the signal, which proves nothing.
"""

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = """
import os, signal, sys, threading, time
from warehouse import db

class Stop(BaseException):
    pass

def stop(signum, frame):
    raise Stop

signal.signal(signal.SIGTERM, stop)
signal.signal(signal.SIGINT, signal.default_int_handler)  # as in a terminal, not a background job
LONG = "select count(*) from range(50000000000) t(i) where i % 7 = 3"  # minutes
attempts = 0
with db.open_warehouse(sys.argv[1]) as con:  # migrated before the clock starts
    pass
threading.Timer(1.0, os.kill, (os.getpid(), getattr(signal, sys.argv[2]))).start()
t0 = time.monotonic()
try:
    for _ in range(3):  # what a retrying task does with an Exception
        attempts += 1
        try:
            with db.open_warehouse(sys.argv[1]) as con:
                con.execute(LONG).fetchall()
        except Exception as exc:
            print("retried after", type(exc).__name__, exc, flush=True)
except BaseException as exc:
    print(f"stopped by {type(exc).__name__} after {attempts} attempt(s)", flush=True)
with db.open_warehouse(sys.argv[1]) as con:  # closed: the write lock is free again
    print("reopened", con.execute("select 42").fetchone()[0])
"""


@pytest.mark.parametrize("signame, stopped_by", [("SIGINT", "KeyboardInterrupt"),
                                                 ("SIGTERM", "Stop")])
def test_a_signal_inside_a_statement_is_not_an_ordinary_failure(tmp_path, signame, stopped_by):
    done = subprocess.run([sys.executable, "-c", SCRIPT, str(tmp_path / "w.duckdb"), signame],
                          cwd=ROOT, capture_output=True, text=True, timeout=240)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == [f"stopped by {stopped_by} after 1 attempt(s)",
                                        "reopened 42"], done.stdout


def test_other_runtime_errors_pass_through(tmp_path):
    from warehouse import db

    with pytest.raises(RuntimeError, match="not a signal"):
        with db.open_warehouse(tmp_path / "w.duckdb"):
            raise RuntimeError("not a signal")
