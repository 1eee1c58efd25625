"""`mediawatch retag`: re-apply the taxonomy and gazetteer to stored articles (a flow)."""

from __future__ import annotations

import argparse
from pathlib import Path

from ..console import fail, say
from ..prefect_server import flow_run_settings, launch_local_api, start_local_api
from . import add_db, db_of
from .ingest import check_focus


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--taxonomy", help="theme taxonomy TOML (default: the shipped one)")
    p.add_argument("--gazetteer", help="actor gazetteer TOML (default: the shipped one)")
    p.add_argument("--batch-size", type=int, help="articles per batch (default 500)")
    add_db(p)


def run(args: argparse.Namespace) -> int:
    launch_local_api()  # starts while the checks and imports below run
    from ..retag import retag_flow

    db = db_of(args)
    if not Path(db).exists():
        fail(f"no warehouse at {db}: run `mediawatch ingest` first, or pass --db")
    check_focus()
    start_local_api()
    with flow_run_settings():
        summary = retag_flow(db=args.db, taxonomy=args.taxonomy, gazetteer=args.gazetteer,
                             batch_size=args.batch_size)
    say(("retag", "bold"), f" {summary['articles']} articles, {summary['changed']} changed, "
        f"{summary['tags']} tags (taxonomy {summary['taxonomy_version']}) in "
        f"{summary['elapsed_s']:.1f} s")
    return 0
