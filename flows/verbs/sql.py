"""`mediawatch sql`: read-only SQL against the warehouse; no query: a DuckDB shell.

Both open the warehouse read-only, so they can run while an ingest writes (see
warehouse/locking.py for how readers and the writer take turns).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

import duckdb

from warehouse.adhoc import check_query, seal
from warehouse.db import fts_extension_path, open_warehouse
from warehouse.query import format_result
from warehouse.snapshot import snapshot

from ..console import OUT, fail, say
from . import add_db, db_of, lock_wait_s


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("query", nargs="?", help="the SQL query (omit it for the shell)")
    p.add_argument("--format", choices=["table", "csv", "json", "markdown"], default="table")
    p.add_argument("--read-files", action="store_true", help="let the query read local files "
                   "(read_csv, read_parquet, 'file.parquet'); by default it reads the "
                   "warehouse only. Writing is never allowed")
    add_db(p)


def run(args: argparse.Namespace) -> int:
    if args.query is None:
        return shell(args)
    with open_warehouse(db_of(args), read_only=True, wait_s=lock_wait_s()) as con:
        # refuse a query that is not read-only; unless --read-files, also cut the connection
        # off from files and the network (see warehouse/adhoc.py)
        check_query(con, args.query)
        if not args.read_files:
            seal(con)
        try:
            cursor = con.execute(args.query)
        except duckdb.PermissionException as exc:  # a file or URL, with access sealed off
            fail(f"{str(exc).splitlines()[0]}: `sql` reads only the warehouse; add --read-files "
                 "to let a query read local files")
        OUT.print(format_result(cursor, args.format), markup=False, end="")
    return 0


def shell(args: argparse.Namespace) -> int:
    """Open the DuckDB CLI, read-only, with FTS loaded, on a snapshot of the warehouse.

    A snapshot, because a shell left open would otherwise hold the file and stop ingests.
    """
    db = Path(db_of(args))
    if not db.exists():
        fail(f"no warehouse at {db}: run `mediawatch ingest` first, or pass --db")
    fts = fts_extension_path().as_posix().replace("'", "''")
    with tempfile.TemporaryDirectory(prefix="mediawatch-sql-") as tmp:
        copy = snapshot(db, tmp, wait_s=lock_wait_s())
        say(("sql", "bold"), f" read-only shell on a snapshot of {db} (ingests keep running; "
            "reopen to see their rows). FTS loaded: fts_main_articles.match_bm25. Safe "
            "mode: no files, shell commands or other databases. .help for help, .quit to "
            "leave.")
        # Safe mode last (the duckdb_cli wrapper sets its extension folder first, which
        # `-safe` would refuse): no .shell/.system/.open/.output/.read, no file or
        # network access, no INSTALL, and the settings locked.
        command = [sys.executable, "-m", "duckdb_cli", "-readonly", str(copy),
                   "-cmd", "set autoinstall_known_extensions = false", "-cmd", f"load '{fts}'",
                   "-cmd", "set enable_external_access = false", "-cmd", ".safe_mode"]
        return subprocess.call(command)
