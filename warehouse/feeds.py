"""Feed state in the warehouse: conditional-GET validators, poll health, entries seen."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

import duckdb
import pyarrow as pa

from .db import registered, sql, transaction
from .load import to_arrow

POLL_SCHEMA = pa.schema([
    ("name", pa.string()),
    ("url", pa.string()),
    ("etag", pa.string()),
    ("last_modified", pa.string()),
    ("ok", pa.bool_()),
    ("status", pa.string()),
    ("error", pa.string()),
    ("new_entries", pa.int32()),
])
ENTRY_SCHEMA = pa.schema([("feed", pa.string()), ("guid", pa.string()), ("url", pa.string()),
                          ("location", pa.string())])


def feed_validators(con: duckdb.DuckDBPyConnection, names: Iterable[str]) -> dict[str, tuple]:
    """Return {feed name: (etag, last_modified)} stored for the named feeds."""
    names = list(names)
    if not names:
        return {}
    rows = con.execute(
        "select name, etag, last_modified from feeds where list_contains(?, name)", [names]
    ).fetchall()
    return {name: (etag, modified) for name, etag, modified in rows}


def record_polls(con: duckdb.DuckDBPyConnection, polls: Sequence[object], now: datetime) -> int:
    """Store the outcome of feed polls (records or dicts with POLL_SCHEMA's names); returns how many.

    `status` is the HTTP status as text, or an error word when no response came.
    """
    table = to_arrow(polls, POLL_SCHEMA)
    table = table.append_column("polled_at", pa.array([now] * len(table), pa.timestamp("us")))
    with registered(con, incoming_polls=table), transaction(con):
        con.execute(sql("feeds_upsert"))
        # a feed that answered again is no longer an open failure
        con.execute("update ingest_failures set resolved_at = ? where resolved_at is null "
                    "and stage = 'feed' and url in (select url from incoming_polls where ok)",
                    [now])
    return len(table)


def entries_to_fetch(con: duckdb.DuckDBPyConnection, entries: Sequence[object],
                     max_attempts: int) -> set[tuple[str, str]]:
    """Return the (feed, guid) of the entries that were never stored nor given up on.

    Entries carry ENTRY_SCHEMA's names; `location` is the name their failures are recorded
    under (extractors' FeedEntry.location).
    """
    if not entries:
        return set()
    with registered(con, incoming_entries=to_arrow(entries, ENTRY_SCHEMA)):
        rows = con.execute(sql("entries_to_fetch"), {"max_attempts": max_attempts}).fetchall()
    return {(feed, guid) for feed, guid in rows}


def pending_retries(con: duckdb.DuckDBPyConnection, feeds: Sequence[str],
                    max_attempts: int) -> list[tuple[str, str]]:
    """Return (feed, url) of entries of `feeds` whose fetch failed transiently and may be
    tried again (fewer than `max_attempts` attempts so far)."""
    if not feeds:
        return []
    rows = con.execute(sql("pending_retries"), {"feeds": list(feeds), "max_attempts": max_attempts})
    return [(feed, url) for feed, url in rows.fetchall()]
