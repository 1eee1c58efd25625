"""The analysts' verbs of the CLI: `search`, the `sql` shell, and `export`.

Each opens the warehouse read-only, so it can run while an ingest writes (see
warehouse/locking.py for how readers and the writer take turns).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

from . import settings
from .console import ERR, OUT, day_option, fail, say

EXPORT_SUFFIXES = {".parquet": "parquet", ".csv": "csv", ".json": "json", ".jsonl": "json",
                   ".ndjson": "json"}


def db_of(args: argparse.Namespace) -> str:
    return args.db or str(settings.get("db"))


def lock_wait_s() -> float:
    return float(settings.get("lock_wait_s"))


def add_search_parser(verbs: argparse._SubParsersAction, add_db) -> None:
    p = verbs.add_parser("search", help="full-text search (BM25) over article titles and texts")
    p.add_argument("text", help="words to look for (quotes and SQL are searched for, never run)")
    p.add_argument("--theme", help="only articles tagged with this theme id")
    p.add_argument("--since", help="only articles of this day or later, YYYY-MM-DD")
    p.add_argument("--source", help="only articles from this source (case-insensitive)")
    p.add_argument("--limit", type=int, default=10, help="at most this many results (default 10)")
    add_db(p)


def add_export_parser(verbs: argparse._SubParsersAction, add_db) -> None:
    p = verbs.add_parser("export", help="export a table, view or query to Parquet, CSV or JSON")
    what = p.add_mutually_exclusive_group(required=True)
    what.add_argument("--table", help="a table or view, e.g. theme_trend")
    what.add_argument("--query", help="a read-only SQL query")
    p.add_argument("--format", choices=["parquet", "csv", "json"],
                   help="file format (default: from the --out suffix, else parquet); "
                        "json writes one object per line")
    p.add_argument("--out", required=True, help="file to write (replaced if it exists)")
    add_db(p)


def cmd_search(args: argparse.Namespace) -> int:
    from warehouse.db import open_warehouse
    from warehouse.search import search

    if not args.text.strip():
        fail("give some words to search for")
    if args.limit < 1:
        fail("--limit must be at least 1")
    since = day_option(args.since, "--since")
    with open_warehouse(db_of(args), read_only=True, wait_s=lock_wait_s()) as con:
        try:
            hits = search(con, args.text, theme=args.theme, since=since, source=args.source,
                          limit=args.limit)
        except LookupError as exc:
            fail(str(exc))
    if not hits:
        ERR.print("no matching articles")
        return 0
    previous = None
    for rank, hit in enumerate(group_by_story(hits), 1):
        if hit.story_id and hit.story_id == getattr(previous, "story_id", None):
            OUT.print("   (same story)", markup=False)
        previous = hit
        details = [hit.day.isoformat(), hit.source, ", ".join(hit.themes) or "no themes",
                   f"score {hit.score:.2f}"]
        if hit.copies:
            details.append(f"+{hit.copies} {'copy' if hit.copies == 1 else 'copies'}")
        OUT.print(f"{rank}. {hit.title}", markup=False)
        OUT.print("   " + " · ".join(details), markup=False)
        OUT.print(f"   {hit.snippet}", markup=False)
        if hit.url:
            OUT.print(f"   {hit.url}", markup=False)
    return 0


def group_by_story(hits: list) -> list:
    """Return the hits with those of one story together, at the rank of the story's best."""
    first: dict[str, int] = {}
    for i, hit in enumerate(hits):
        first.setdefault(hit.story_id or hit.article_id, i)
    return sorted(hits, key=lambda h: (first[h.story_id or h.article_id], -h.score))


def read_only_query(con, query: str, read_files: bool = False) -> None:
    """Refuse a `sql` query that is not read-only; unless `read_files`, also cut the
    connection off from files and the network (see warehouse/adhoc.py)."""
    from warehouse.adhoc import check_query, seal

    check_query(con, query)
    if not read_files:
        seal(con)


def cmd_shell(args: argparse.Namespace) -> int:
    """Open the DuckDB CLI, read-only, with FTS loaded, on a snapshot of the warehouse.

    A snapshot, because a shell left open would otherwise hold the file and stop ingests.
    """
    from warehouse.db import fts_extension_path
    from warehouse.snapshot import snapshot

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


def cmd_export(args: argparse.Namespace) -> int:
    from warehouse.adhoc import check_query, export_target, held_databases, seal
    from warehouse.db import open_warehouse
    from warehouse.export import export, table_relation

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
