"""`mediawatch digest`: the daily digest flow."""

from __future__ import annotations

import argparse
from pathlib import Path

from .. import settings
from ..console import OUT, day_option, fail, say
from ..prefect_server import flow_run_settings, launch_local_api, start_local_api
from . import add_db, db_of


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--date", help="day to digest, YYYY-MM-DD (default yesterday in --timezone)")
    p.add_argument("--latest", action="store_true", help="digest the latest day that has articles")
    p.add_argument("--out", help="exports folder (default exports/); files go to OUT/YYYY-MM-DD/")
    p.add_argument("--timezone", help=f"IANA timezone of 'yesterday' and of times shown "
                   f"(default {settings.get('timezone')}; env MEDIAWATCH_TIMEZONE)")
    add_db(p)


def run(args: argparse.Namespace) -> int:
    launch_local_api()  # starts while the checks and imports below run
    from warehouse.days import check_timezone

    from ..digest import digest_flow

    if args.timezone:
        try:
            check_timezone(args.timezone, "--timezone")
        except ValueError as exc:
            fail(str(exc))
    if args.date and args.latest:
        fail("give --date or --latest, not both")
    db = db_of(args)
    if not Path(db).is_file():  # say so here, not in a failed flow run's traceback
        fail(f"no warehouse at {db}: run `mediawatch ingest` first, or pass --db")
    day_option(args.date, "--date")
    start_local_api()
    with flow_run_settings():
        result = digest_flow(day=args.date, out=args.out, db=db, latest=args.latest,
                             timezone=args.timezone)
    totals = result["totals"]
    note = " (no articles that day)" if result["empty"] else ""
    say(("digest", "bold"), f" {result['date']}: {totals['articles']} articles, "
        f"{totals['sources']} sources, {totals['failures']} failures{note}")
    for path in result["files"]:
        OUT.print(path)
    return 0
