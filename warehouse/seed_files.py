"""The seed files an ingest has read (table `seed_files`): what lets the next run skip them."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import duckdb
import pyarrow as pa

from .db import registered, transaction

SEED_FILE_SCHEMA = pa.schema([
    ("location", pa.string()),
    ("size", pa.int64()),
    ("mtime_ns", pa.int64()),
    ("sha256", pa.string()),
    ("line_hashes", pa.list_(pa.string())),
])


def seed_files(con: duckdb.DuckDBPyConnection) -> list[dict]:
    """Return every recorded seed file as a dict of the SEED_FILE_SCHEMA fields."""
    cursor = con.execute("select location, size, mtime_ns, sha256, line_hashes from seed_files")
    columns = [d[0] for d in cursor.description]
    return [dict(zip(columns, row)) for row in cursor.fetchall()]


def record_seed_files(con: duckdb.DuckDBPyConnection, files: Sequence[object],
                      now: datetime) -> None:
    """Store the state of the seed files read (records with the SEED_FILE_SCHEMA fields),
    replacing what was recorded for them; call it only once their documents are loaded."""
    if not files:
        return
    table = pa.table({f.name: [getattr(r, f.name) for r in files] for f in SEED_FILE_SCHEMA},
                     schema=SEED_FILE_SCHEMA)
    with registered(con, incoming_seed_files=table), transaction(con):
        con.execute("insert or replace into seed_files by name "
                    "select *, ?::timestamp as read_at from incoming_seed_files", [now])
