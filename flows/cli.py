"""The `mediawatch` command line: one verb per user task, over the flows and the warehouse."""

from __future__ import annotations

import argparse
import sys
from datetime import date, timedelta

from . import mirror, serve, settings, status
from .console import ERR, OUT, configure_logging, fail


def add_db(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--db", help=f"DuckDB file (default {settings.get('db')}; env MEDIAWATCH_DB)")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="mediawatch",
        description="Media monitoring: ingest documents and feeds, tag themes with evidence, "
        "query trends in DuckDB, export daily digests.",
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="show Prefect's run logs")
    verbs = parser.add_subparsers(dest="verb", metavar="VERB", required=True)

    p = verbs.add_parser("ingest", help="ingest seed documents (and feeds) into the warehouse")
    p.add_argument("--seeds", help="folder of seed documents (default seeds/)")
    p.add_argument("--taxonomy", help="theme taxonomy TOML (default: the shipped one)")
    p.add_argument("--batch-size", type=int, help="articles per batch (default 500)")
    add_db(p)

    p = verbs.add_parser("digest", help="write the daily digest")
    p.add_argument("--date", help="day to digest, YYYY-MM-DD (default yesterday)")
    p.add_argument("--latest", action="store_true", help="digest the latest day that has articles")
    p.add_argument("--out", help="exports folder (default exports/)")
    add_db(p)

    p = verbs.add_parser("themes", help="print the taxonomy in force")
    p.add_argument("--taxonomy", help="theme taxonomy TOML (default: the shipped one)")

    p = verbs.add_parser("sql", help="run read-only SQL against the warehouse")
    p.add_argument("query", help="the SQL query")
    p.add_argument("--format", choices=["table", "csv", "json"], default="table")
    add_db(p)

    serve.add_parser(verbs)
    status.add_parser(verbs)
    mirror.add_parser(verbs)
    return parser


def cmd_ingest(args: argparse.Namespace) -> int:
    from .ingest import ingest_flow

    summary = ingest_flow(seeds=args.seeds, db=args.db, taxonomy=args.taxonomy,
                          batch_size=args.batch_size)
    db = args.db or settings.get("db")
    ERR.print(
        f"[bold]ingest[/] {summary['seen']} documents read: {summary['stored']} stored, "
        f"{summary['unchanged']} unchanged, {summary['duplicates']} duplicates, "
        f"{summary['failures']} failures in {summary['elapsed_s']:.1f} s -> {db}"
    )
    for reason, n in sorted(summary["failure_reasons"].items(), key=lambda kv: -kv[1])[:5]:
        ERR.print(f"  {n} x {reason}")
    if summary["failures"]:
        ERR.print("  details: mediawatch sql \"select * from ingest_failures where resolved_at is null\"")
    return 0


def cmd_digest(args: argparse.Namespace) -> int:
    from .digest import digest_flow

    day = args.date or (None if args.latest else (date.today() - timedelta(days=1)).isoformat())
    if day:
        try:
            date.fromisoformat(day)
        except ValueError:
            fail(f"--date {day!r} is not a date: use YYYY-MM-DD")
    result = digest_flow(day=day, out=args.out, db=args.db, latest=args.latest)
    totals = result["totals"]
    ERR.print(f"[bold]digest[/] {result['date']}: {totals['articles']} articles, "
              f"{totals['sources']} sources")
    for path in result["files"]:
        OUT.print(path)
    return 0


def cmd_themes(args: argparse.Namespace) -> int:
    from extractors.taxonomy import load_taxonomy

    tax = load_taxonomy(args.taxonomy or settings.get("taxonomy") or None)
    OUT.print(f"taxonomy {tax.path} (version {tax.version})")
    for theme in tax.themes:
        OUT.print(f"\n{theme.id} — {theme.label} (threshold {theme.threshold})")
        OUT.print(f"  {theme.description}")
        OUT.print("  terms: " + ", ".join(f"{t} ({w:g})" for t, w in theme.terms.items()))
    return 0


def cmd_sql(args: argparse.Namespace) -> int:
    from warehouse.db import open_warehouse
    from warehouse.query import format_result

    with open_warehouse(args.db or settings.get("db"), read_only=True) as con:
        cursor = con.execute(args.query)
        OUT.print(format_result(cursor, args.format), markup=False, end="")
    return 0


COMMANDS = {"ingest": cmd_ingest, "digest": cmd_digest, "themes": cmd_themes, "sql": cmd_sql,
            "serve": serve.cmd_serve, "status": status.cmd_status,
            "mirror": mirror.cmd_mirror}


def main(argv: list[str] | None = None) -> int:
    """Run the `mediawatch` command line; returns the process exit code."""
    args = build_parser().parse_args(argv)
    configure_logging(args.verbose)
    import duckdb

    from warehouse.db import WarehouseBusy

    try:
        return COMMANDS[args.verb](args)
    except (WarehouseBusy, FileNotFoundError, ValueError, duckdb.Error) as exc:
        fail(str(exc).strip())
    except KeyboardInterrupt:
        ERR.print("interrupted")
        return 130
    return 1


if __name__ == "__main__":
    sys.exit(main())
