"""`mediawatch watches` and `watches test NAME`: the standing queries of the watch file."""

from __future__ import annotations

import argparse
from datetime import timedelta
from pathlib import Path

from warehouse.alerts import WatchSet, dry_run, watch_activity
from warehouse.db import open_warehouse
from warehouse.runs import now_utc

from ..alerts import current_watches
from ..console import OUT, day_option, fail, say
from . import add_db, db_of, lock_wait_s
from .status import table, when


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--watches", metavar="FILE",
                   help="watch file (TOML; default MEDIAWATCH_WATCHES)")
    add_db(p)
    sub = p.add_subparsers(dest="watches_action", metavar="ACTION")
    t = sub.add_parser("test", help="show what NAME would fire on stored articles; sends nothing")
    t.add_argument("name", help="the watch's name")
    t.add_argument("--since", help="articles from this day on, YYYY-MM-DD (default 30 days ago)")
    # SUPPRESS: the same options given before `test` are not reset by the sub-command
    t.add_argument("--watches", metavar="FILE", default=argparse.SUPPRESS,
                   help="watch file (default MEDIAWATCH_WATCHES)")
    add_db(t, default=argparse.SUPPRESS)


def run(args: argparse.Namespace) -> int:
    """List the watches of the watch file with their activity, or test one."""
    watch_set = current_watches(args.watches)
    if watch_set is None:
        say("no watch file: pass --watches FILE or set MEDIAWATCH_WATCHES "
            "(README: Watches and alerts)")
        return 1
    db = db_of(args)
    if getattr(args, "watches_action", None) == "test":
        return watch_test(args, watch_set, db)
    activity = {}
    if Path(db).exists():
        with open_warehouse(db, read_only=True, wait_s=lock_wait_s()) as con:
            activity = watch_activity(con)
    rows = []
    for w in watch_set.watches:
        a = activity.get(w.name, {})
        rows.append([w.name, w.trigger if w.trigger != "digest" else f"digest ({w.period})",
                     w.describe(), len(w.notify), a.get("matches", 0), a.get("alerts", 0),
                     when(a.get("last_fired_at")), when(a.get("last_sent_at")),
                     a.get("pending", 0)])
    OUT.print(table(f"Watches ({len(rows)})", ["watch", "trigger", "matches", "channels",
                                              "matched", "alerts", "last fired", "last sent",
                                              "pending"], rows))
    return 0


def watch_test(args: argparse.Namespace, watch_set: WatchSet, db: str) -> int:
    """Print what one watch would fire on the stored articles since --since; sends nothing."""
    chosen = [w for w in watch_set.watches if w.name == args.name]
    if not chosen:
        fail(f"no watch named {args.name!r} in the watch file "
             f"(have: {', '.join(w.name for w in watch_set.watches)})")
    today = now_utc().date()
    since = day_option(args.since, "--since") or today - timedelta(days=30)
    with open_warehouse(db, read_only=True, wait_s=lock_wait_s()) as con:
        matched, fired = dry_run(con, WatchSet(tuple(chosen), (today - since).days), since,
                                 now_utc())
    watch = chosen[0]
    OUT.print(f"watch {watch.name} ({watch.trigger}): {watch.describe()}", markup=False)
    OUT.print(f"{matched} stored articles since {since} match; it would fire {len(fired)} "
              f"alert(s) to {len(watch.notify)} channel(s) — nothing is sent", markup=False)
    if fired:
        OUT.print(table("Would fire", ["day", "trigger", "articles", "title", "key"],
                        [[f["day"], f["trigger"], f["articles"], f["title"], f["alert_key"]]
                         for f in fired]))
    return 0
