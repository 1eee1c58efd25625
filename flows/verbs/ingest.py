"""`mediawatch ingest`: the ingest flow, on the temporary Prefect API unless one is named."""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from extractors.actors import load_gazetteer
from extractors.focus import parse_focus

from .. import alerts, settings
from ..console import ERR, fail, say
from ..nothing_new import nothing_to_ingest
from ..prefect_server import flow_run_settings, launch_local_api
from . import add_db, db_of


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--seeds", help="folder of seed documents (default seeds/)")
    p.add_argument("--feeds", help="TOML feed list to poll (default seeds/feeds.toml)")
    p.add_argument("--taxonomy", help="theme taxonomy TOML (default: the shipped one)")
    p.add_argument("--batch-size", type=int, help="articles per batch (default 500)")
    p.add_argument("--watches", help="watch file (TOML) whose alerts to send (env MEDIAWATCH_WATCHES)")
    add_db(p)


def check_focus() -> None:
    """Refuse a `focus` setting the gazetteer does not know, before any work (ValueError)."""
    parse_focus(str(settings.get("focus")), load_gazetteer(settings.get("gazetteer") or None))


def run(args: argparse.Namespace) -> int:
    if args.seeds and not Path(args.seeds).is_dir():
        fail(f"--seeds {args.seeds}: no such folder")
    if args.feeds and not Path(args.feeds).is_file():
        fail(f"feed list {args.feeds} not found (--feeds): pass a TOML feed list")
    check_focus()
    if args.watches:  # the flow's tasks read it from the settings, like serve's runs
        os.environ[settings.BY_NAME["watches"].env] = args.watches
    alerts.current_watches()  # a bad watch file stops here, before any work
    summary = nothing_to_ingest(args.seeds, db_of(args), args.feeds, {
        "db": db_of(args), "feeds": args.feeds, "taxonomy": args.taxonomy,
        "batch_size": int(args.batch_size or settings.get("batch_size"))})
    quiet = summary is not None
    if not quiet:
        summary = run_flow(args)
    say(
        ("ingest", "bold"), f" {summary['seen']} documents read: {summary['stored']} stored, "
        f"{summary['unchanged']} unchanged, {summary['duplicates']} duplicates, "
        f"{summary['failures']} failures in {summary['elapsed_s']:.1f} s -> {db_of(args)}"
    )
    if summary.get("seed_files_unchanged"):
        ERR.print("  seed files unchanged since they were last read (skipped): "
                  f"{summary['seed_files_unchanged']}")
    if quiet:
        ERR.print("  nothing new (no feed enabled, no watches, the search index current): "
                  "the run is recorded in `runs` without starting Prefect")
    if summary["feeds_polled"]:
        ERR.print(f"  feeds: {summary['feeds_polled']} polled, {summary['not_modified']} not "
                  f"modified (304), {summary['new_entries']} new entries")
    for reason, n in sorted(summary["failure_reasons"].items(), key=lambda kv: -kv[1])[:5]:
        example = summary["failure_examples"].get(reason, "")
        ERR.print(f"  {n} x {reason}" + (f" (e.g. {example[:120]})" if example else ""))
    if summary["failures"]:
        ERR.print("  details: mediawatch sql \"select stage, code, count(*), any_value(reason) "
                  "from ingest_failures where resolved_at is null group by all\"")
    return 0


def run_flow(args: argparse.Namespace) -> dict:
    """Run the ingest flow on the temporary Prefect API (unless one is named); return its counts."""
    # Prefect's server and the imports below both take seconds: start them side by side.
    api = launch_local_api()
    from prefect.exceptions import FailedRun

    from ..extract_pool import shutdown_pool
    from ..ingest import ingest_flow

    try:
        if api is not None:
            api.wait()
        with flow_run_settings():
            return ingest_flow(seeds=args.seeds, db=args.db, feeds=args.feeds,
                               taxonomy=args.taxonomy, batch_size=args.batch_size)
    except FailedRun as exc:  # the run could not run; the flow says why and what to do
        fail(str(exc))
    finally:
        shutdown_pool()
