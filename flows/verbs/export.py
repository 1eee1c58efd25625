"""`mediawatch export`: a table, view or read-only query to Parquet, CSV or JSON."""

from __future__ import annotations

import argparse
from pathlib import Path

from warehouse.adhoc import check_query, export_target, held_databases, seal
from warehouse.db import open_warehouse
from warehouse.export import export, table_relation

from ..console import fail, say
from . import add_db, db_of, lock_wait_s

EXPORT_SUFFIXES = {".parquet": "parquet", ".csv": "csv", ".json": "json", ".jsonl": "json",
                   ".ndjson": "json"}


def add_arguments(p: argparse.ArgumentParser) -> None:
    what = p.add_mutually_exclusive_group(required=True)
    what.add_argument("--table", help="a table or view, e.g. theme_trend")
    what.add_argument("--query", help="a read-only SQL query")
    p.add_argument("--format", choices=["parquet", "csv", "json"],
                   help="file format (default: from the --out suffix, else parquet); "
                        "json writes one object per line")
    p.add_argument("--out", required=True, help="file to write (replaced if it exists)")
    add_db(p)


def run(args: argparse.Namespace) -> int:
    out = Path(args.out)
    fmt = args.format or EXPORT_SUFFIXES.get(out.suffix.lower(), "parquet")
    with open_warehouse(db_of(args), read_only=True, wait_s=lock_wait_s()) as con:
        # never onto the warehouse, another open database, a device or a folder
        target = export_target(out, held_databases(con) | {Path(db_of(args))})
        if args.query:
            check_query(con, args.query)
        relation = table_relation(con, args.table) if args.table else con.sql(args.query)
        if relation is None:
            fail("--query returned no rows to export (was it a statement rather than a query?)")
        # the query reads the warehouse only, and DuckDB may write its temporary file only
        rows = export(relation, fmt, target, seal=lambda partial: seal(con, [partial]))
    say(("export", "bold"), f" {rows} rows ({fmt}) -> {out}")
    return 0
