"""`mediawatch mirror`: copy the warehouse into a DuckLake (catalog + Parquet files)."""

from __future__ import annotations

import argparse

from warehouse.db import open_warehouse
from warehouse.ducklake import mirror

from .. import settings
from ..console import OUT, say
from . import add_db, db_of, lock_wait_s


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--catalog", metavar="CATALOG", help="DuckLake catalog: a DuckDB file, or postgres:<dsn> "
                   f"(default {settings.get('lake_catalog')}; env MEDIAWATCH_LAKE_CATALOG)")
    p.add_argument("--data-path", metavar="DIR", help="folder (or object store URL) of the Parquet files "
                   f"(default {settings.get('lake_data_path')}; env MEDIAWATCH_LAKE_DATA_PATH)")
    add_db(p)


def run(args: argparse.Namespace) -> int:
    """Mirror the warehouse into the lake and print what changed; returns the exit code."""
    db = db_of(args)
    catalog = args.catalog or str(settings.get("lake_catalog"))
    data_path = args.data_path or str(settings.get("lake_data_path"))
    with open_warehouse(db, read_only=True, wait_s=lock_wait_s()) as con:
        counts = mirror(con, catalog, data_path)
    for table in counts.inserted:
        OUT.print(f"{table}: +{counts.inserted[table]} -{counts.deleted[table]}")
    for view, error in counts.view_errors.items():
        say((f"view {view} not created in the lake:", "yellow"), f" {error}")
    say(("mirror", "bold"), f" {db} -> {catalog} (snapshot {counts.snapshot}, "
              f"data in {data_path})")
    return 0
