"""What `mediawatch status` reports: recent runs, feed health, open failures (plain data)."""

from __future__ import annotations

import json
from datetime import datetime

import duckdb

from .alerts import channel_status
from .db import sql


def rows(cursor: duckdb.DuckDBPyConnection) -> list[dict]:
    """Return the rows of an executed query as dicts keyed by column name."""
    columns = [d[0] for d in cursor.description]
    return [dict(zip(columns, row)) for row in cursor.fetchall()]


def has_table(con: duckdb.DuckDBPyConnection, name: str) -> bool:
    """Return whether the warehouse has a table called `name` (in its main schema)."""
    return con.execute(
        "select count(*) from duckdb_tables() where schema_name = 'main' and table_name = ?",
        [name],
    ).fetchone()[0] > 0


def flow_summary(con: duckdb.DuckDBPyConnection, since: datetime) -> list[dict]:
    """Return one dict per flow: its last run's status/time/error and its runs since `since`."""
    return rows(con.execute(sql("status_flows"), {"since": since}))


def recent_runs(con: duckdb.DuckDBPyConnection, limit: int) -> list[dict]:
    """Return the `limit` most recent runs, newest first; `stage_s` as a dict of seconds."""
    runs = rows(con.execute(sql("status_runs"), {"limit": limit}))
    for run in runs:
        run["stage_s"] = json.loads(run["stage_s"]) if run["stage_s"] else {}
    return runs


def feed_health(con: duckdb.DuckDBPyConnection) -> list[dict] | None:
    """Return one dict per feed, failing feeds first; None when the warehouse has no feeds yet."""
    if not has_table(con, "feeds"):
        return None
    return rows(con.execute(sql("status_feeds")))


def open_failures(con: duckdb.DuckDBPyConnection, limit: int) -> tuple[dict[str, int], list[dict]]:
    """Return open failures counted by "stage: code", and the `limit` most recently seen."""
    counts = dict(con.execute(sql("status_failure_counts")).fetchall())
    return counts, rows(con.execute(sql("status_failures"), {"limit": limit}))


def warehouse_status(con: duckdb.DuckDBPyConnection, since: datetime, limit: int) -> dict:
    """Return everything `mediawatch status` shows, as plain data."""
    counts, failures = open_failures(con, limit)
    return {
        "flows": flow_summary(con, since),
        "runs": recent_runs(con, limit),
        "feeds": feed_health(con),
        "open_failures": counts,
        "failures": failures,
        "alert_channels": channel_status(con),
    }
