"""`mediawatch mirror`: copy the warehouse into a DuckLake (catalog + Parquet files)."""

from __future__ import annotations

import argparse


from . import settings
from .console import ERR, OUT, say


def add_parser(verbs: argparse._SubParsersAction) -> None:
    """Add the `mirror` verb and its options to the CLI."""
    p = verbs.add_parser("mirror", help="mirror the warehouse into a DuckLake (Parquet + catalog)")
    p.add_argument("--catalog", metavar="CATALOG", help="DuckLake catalog: a DuckDB file, or postgres:<dsn> "
                   f"(default {settings.get('lake_catalog')}; env MEDIAWATCH_LAKE_CATALOG)")
    p.add_argument("--data-path", metavar="DIR", help="folder (or object store URL) of the Parquet files "
                   f"(default {settings.get('lake_data_path')}; env MEDIAWATCH_LAKE_DATA_PATH)")
    p.add_argument("--db", metavar="PATH", help=f"DuckDB file (default {settings.get('db')}; env MEDIAWATCH_DB)")


def cmd_mirror(args: argparse.Namespace) -> int:
    """Mirror the warehouse into the lake and print what changed; returns the exit code."""
    # Imported here: every extraction process imports this module (multiprocessing's spawn
    # re-imports the CLI), and DuckDB would cost each of them ~30 MB for nothing.
    from warehouse.db import open_warehouse
    from warehouse.ducklake import mirror

    db = args.db or settings.get("db")
    catalog = args.catalog or str(settings.get("lake_catalog"))
    data_path = args.data_path or str(settings.get("lake_data_path"))
    with open_warehouse(db, read_only=True, wait_s=float(settings.get("lock_wait_s"))) as con:
        counts = mirror(con, catalog, data_path)
    for table in counts.inserted:
        OUT.print(f"{table}: +{counts.inserted[table]} -{counts.deleted[table]}")
    for view, error in counts.view_errors.items():
        say((f"view {view} not created in the lake:", "yellow"), f" {error}")
    say(("mirror", "bold"), f" {db} -> {catalog} (snapshot {counts.snapshot}, "
              f"data in {data_path})")
    return 0
