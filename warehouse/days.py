"""The timezone of `articles.day`: the analyst's `timezone` setting, kept in the warehouse.

Stored timestamps stay UTC. `day` is the local day, computed at load (upsert_articles.sql,
macro local_day) in the timezone recorded in warehouse_settings, so every view and the
digest read a plain date column: no per-row timezone conversion in any query (theme_trend
must answer in 100 ms at a million articles). When the setting changes, `set_day_timezone`
recomputes every `day` once (about 1 s per million articles) and the daily counts with it.
"""

from __future__ import annotations

from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import duckdb

from . import trend_counts
from .db import open_warehouse, transaction

__all__ = ["UnknownTimezone", "align_day_timezone", "check_timezone", "day_timezone",
           "set_day_timezone"]


class UnknownTimezone(ValueError):
    """A timezone name that is no IANA timezone."""


SETTING = "the timezone setting, MEDIAWATCH_TIMEZONE"


def check_timezone(name: str, given_as: str = SETTING) -> str:
    """Return `name` when it is an IANA timezone; UnknownTimezone saying where it was
    `given_as` (an option, a setting) and what to pass instead if not."""
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise UnknownTimezone(f"unknown timezone {name!r} ({given_as}): use an IANA name "
                              "like UTC or Asia/Kolkata") from None
    return name


def day_timezone(con: duckdb.DuckDBPyConnection) -> str:
    """Return the IANA timezone the warehouse's `day` column is in ('UTC' before any set)."""
    row = con.execute(
        "select value from warehouse_settings where name = 'day_timezone'"
    ).fetchone()
    return row[0] if row else "UTC"


def set_day_timezone(con: duckdb.DuckDBPyConnection, timezone: str) -> int:
    """Make `day` the local day in `timezone`; return how many articles changed day.

    Nothing happens when the warehouse is already in `timezone`. ValueError on an unknown
    timezone name.
    """
    check_timezone(timezone)
    if day_timezone(con) == timezone:
        return 0
    with transaction(con):
        moved = con.execute(
            "update articles set day = local_day(coalesce(published_at, ingested_at), ?) "
            "where day is distinct from local_day(coalesce(published_at, ingested_at), ?)",
            [timezone, timezone],
        ).fetchone()[0]
        con.execute("insert or replace into warehouse_settings values ('day_timezone', ?)",
                    [timezone])
        trend_counts.rebuild(con)
    return moved


def align_day_timezone(path: Path | str, timezone: str, wait_s: float = 30.0) -> int:
    """Bring the warehouse at `path` to `timezone` when it is in another one (a write lock
    only then); return how many articles changed day. A missing warehouse is left alone."""
    if not Path(path).exists():
        return 0
    with open_warehouse(path, read_only=True, wait_s=wait_s) as con:
        # a warehouse from before migration 012 is in UTC; a writer migrates it first
        current = day_timezone(con) if has_setting_table(con) else "UTC"
    if current == timezone:
        return 0
    with open_warehouse(path, wait_s=wait_s) as con:
        return set_day_timezone(con, timezone)


def has_setting_table(con: duckdb.DuckDBPyConnection) -> bool:
    """Return True when the warehouse has warehouse_settings (migration 012 applied)."""
    return con.execute(
        "select count(*) > 0 from information_schema.tables where table_name = 'warehouse_settings'"
    ).fetchone()[0]
