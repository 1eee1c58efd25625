"""`mediawatch alerts`: the alerts outbox, newest first (what was sent, what is pending)."""

from __future__ import annotations

import argparse

from warehouse.alerts import list_alerts
from warehouse.db import open_warehouse

from ..console import OUT
from . import add_db, db_of, lock_wait_s
from .status import short, table, when


def add_arguments(p: argparse.ArgumentParser) -> None:
    state = p.add_mutually_exclusive_group()
    state.add_argument("--pending", action="store_true", help="only alerts not yet delivered")
    state.add_argument("--failed", action="store_true", help="only alerts given up on")
    p.add_argument("--limit", type=int, default=20, metavar="N", help="alerts to list (default 20)")
    add_db(p)


def run(args: argparse.Namespace) -> int:
    """List the alerts outbox, newest first."""
    status = "pending" if args.pending else "failed" if args.failed else None
    with open_warehouse(db_of(args), read_only=True, wait_s=lock_wait_s()) as con:
        rows = list_alerts(con, status, args.limit)
    label = f"{status} alerts" if status else "Alerts"
    if not rows:
        OUT.print(f"{label}: none", markup=False)
        return 0
    OUT.print(table(f"{label} (newest first)",
                    ["created", "watch", "trigger", "status", "tries", "sent", "channel",
                     "title", "last error"],
                    [[when(r["created_at"]), r["watch"], r["trigger"], r["status"],
                      r["attempts"], when(r["sent_at"]), r["channel"].split("://")[0] + "://",
                      short(r["title"], 60), short(r["last_error"], 80)] for r in rows]))
    return 0
