"""The run ledger: one row per flow run in `runs`."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # flows.cli imports now_utc: the CLI must not load DuckDB to start
    import duckdb


def now_utc() -> datetime:
    """Return the current UTC time as a naive timestamp (the warehouse stores UTC)."""
    return datetime.now(UTC).replace(tzinfo=None)


def start_run(con: duckdb.DuckDBPyConnection, run_id: str, flow: str, started_at: datetime,
              parameters: dict) -> None:
    """Record that a flow run started (status 'running')."""
    con.execute(
        "insert into runs (run_id, flow, started_at, status, parameters) values (?, ?, ?, 'running', ?)"
        " on conflict (run_id) do update set started_at = excluded.started_at, status = 'running'",
        [run_id, flow, started_at, json.dumps(parameters, default=str)],
    )


def finish_run(con: duckdb.DuckDBPyConnection, run_id: str, finished_at: datetime, status: str,
               counts: dict[str, int], error: str | None = None) -> None:
    """Record how a flow run ended: its status, counts and error message."""
    con.execute(
        "update runs set finished_at = ?, status = ?, seen = ?, stored = ?, unchanged = ?,"
        " duplicates = ?, failures = ?, error = ?, stage_s = ? where run_id = ?",
        [finished_at, status, counts.get("seen", 0), counts.get("stored", 0),
         counts.get("unchanged", 0), counts.get("duplicates", 0), counts.get("failures", 0),
         error, json.dumps(counts.get("stage_s") or {}), run_id],
    )


def close_abandoned_runs(con: duckdb.DuckDBPyConnection, flow: str, now: datetime) -> int:
    """Mark runs of `flow` still 'running' as 'crashed'; returns how many.

    Call only while holding the flow's exclusive lock: then no other run of it is alive, and
    a 'running' row is one whose process died (killed, power cut) before it could finish.
    """
    closed = con.execute(
        "update runs set status = 'crashed', finished_at = ?, error = coalesce(error, ?)"
        " where flow = ? and status = 'running' returning run_id",
        [now, ("the process ended before the run finished (killed or crashed); "
               "rerunning is safe: committed batches are kept, the rest is loaded again"),
         flow],
    ).fetchall()
    return len(closed)


def fail_running_runs(con: duckdb.DuckDBPyConnection, flow: str, now: datetime,
                      reason: str) -> int:
    """Mark runs of `flow` still 'running' as 'failed' with `reason`; returns how many.

    Like close_abandoned_runs, call it only while holding the flow's exclusive lock.
    """
    return len(con.execute(
        "update runs set status = 'failed', finished_at = ?, error = coalesce(error, ?)"
        " where flow = ? and status = 'running' returning run_id",
        [now, reason, flow],
    ).fetchall())
