"""Watches and alerts: reading the watch file, the deliverer, and the `watches`/`alerts` verbs.

The deliverer is thin: warehouse/alerts.py says what is due and records results;
extractors/notify.py sends one alert on one channel (address policy, retries, backoff).
It runs after each ingest and, in `serve`, on its own schedule. Its rules:

- one deliverer per warehouse at a time (an flock beside the DB; a second one skips);
- the warehouse is opened only to read what is due and to record each result, never while
  a message is on the wire, so a slow channel never holds the write lock;
- each result is committed right after its send: a crash can repeat at most the one
  message in flight, with the same idempotency key (docs/alerts.md);
- a channel that fails after its retries is skipped for the rest of the pass; its alerts
  stay pending, backed off, until `alert_max_attempts` passes have failed.
"""

from __future__ import annotations

import argparse
import fcntl
import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta
from functools import lru_cache
from pathlib import Path

from warehouse.runs import now_utc

from . import settings
from .console import OUT, say

LOGGER = logging.getLogger(__name__)


@lru_cache(maxsize=4)
def _read_watches(path: str, mtime_ns: int):
    from warehouse.watches import load_watches

    return tuple(load_watches(path))


def current_watches(path: str | None = None):
    """Return the WatchSet of the watch file (`--watches` / MEDIAWATCH_WATCHES), or None
    when no file is set. WatchFileError (a ValueError) says what is wrong with it."""
    from warehouse.alerts import WatchSet
    from warehouse.watches import WatchFileError

    path = path or str(settings.get("watches"))
    if not path:
        return None
    try:
        mtime_ns = Path(path).stat().st_mtime_ns
    except OSError:
        raise WatchFileError(f"watch file {path} not found (--watches / MEDIAWATCH_WATCHES)") from None
    return WatchSet(_read_watches(path, mtime_ns), int(settings.get("alert_max_age_days")))


@dataclass
class Delivery:
    """What one delivery pass did."""

    queued: int = 0  # digest and spike alerts queued at the start of the pass
    sent: int = 0
    failed: int = 0  # sends that failed this pass (their alerts stay pending or gave up)
    gave_up: int = 0
    skipped: int = 0  # left for a later pass: their channel failed earlier in this pass
    busy: bool = False  # another deliverer was running: this pass did nothing
    down: dict[str, str] = field(default_factory=dict)  # channel -> last error


@contextmanager
def deliver_lock(db: str) -> Iterator[bool]:
    """Hold `<db>.deliver.lock` for the block if no other deliverer does; yields whether we do.

    The kernel drops an flock with its process, so a killed deliverer leaves no stale lock.
    """
    path = Path(db).expanduser().resolve()
    path = path.with_name(path.name + ".deliver.lock")
    with path.open("a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def private_policy() -> tuple[bool, tuple[str, ...]]:
    """Return the feeds' private-address policy, which notify URLs obey too."""
    from .feeds import fetch_policy

    policy = fetch_policy()
    return policy.allow_private, policy.allowed_private_hosts


def deliver_pending(db: str, watches=None, now: Callable[[], datetime] = now_utc,
                    send: Callable | None = None) -> Delivery:
    """Queue due digest/spike alerts, then send every due alert once; returns what happened."""
    from extractors import notify
    from warehouse.alerts import due_alerts, emit_periodic, mark_failed, mark_sent
    from warehouse.db import open_warehouse
    from warehouse.watches import expand_env

    send = send or notify.send
    lock_wait_s = float(settings.get("lock_wait_s"))
    retries, first_s = int(settings.get("alert_retries")), float(settings.get("alert_retry_delay_s"))
    max_attempts = int(settings.get("alert_max_attempts"))
    pass_delay_s = float(settings.get("alert_pass_delay_s"))
    allow_private, allowed_hosts = private_policy()
    done = Delivery()
    with deliver_lock(db) as mine:
        if not mine:
            done.busy = True
            return done
        with open_warehouse(db, wait_s=lock_wait_s) as con:
            done.queued = emit_periodic(con, watches, now())
            due = due_alerts(con, now())
        for alert in due:
            if alert.channel in done.down:
                done.skipped += 1
                continue
            try:
                url = expand_env(alert.channel)
            except KeyError as exc:
                result = notify.Sent(False, 1, str(exc).strip("'\""))
            else:
                body = alert.body_json if notify.scheme(url) in notify.JSON_SCHEMES else alert.body_text
                result = send(url, alert.title, body, alert.alert_key, retries=retries,
                              backoff_first_s=first_s, allow_private=allow_private,
                              allowed_hosts=allowed_hosts)
            with open_warehouse(db, wait_s=lock_wait_s, bare=True) as con:  # migrated above
                if result.ok:
                    mark_sent(con, alert.alert_key, alert.channel, now())
                    done.sent += 1
                    continue
                status = mark_failed(con, alert.alert_key, alert.channel, now(), result.error or "",
                                     max_attempts, pass_delay_s)
            done.failed += 1
            done.gave_up += status == "failed"
            done.down[alert.channel] = result.error or "failed"
    return done


def report(done: Delivery, prefix: str = "alerts") -> None:
    """Print one line on what a delivery pass did (and one per failing channel)."""
    if done.busy:
        say((prefix, "bold"), " another deliverer is sending; pending alerts are left to it")
        return
    if not (done.sent or done.failed or done.skipped or done.queued):
        return
    say((prefix, "bold"), f" {done.sent} sent, {done.failed + done.skipped} pending or "
        f"failed ({done.gave_up} given up)")
    for channel, error in done.down.items():
        say((f"  channel {channel.split('://')[0]}:// failing:", "yellow"),
            f" {error[:200]} (see `mediawatch alerts --pending`)")


def deliver_after_ingest(db: str, rematch_since: datetime | None = None) -> dict:
    """Send the alerts an ingest queued; never raises (a failing channel never fails an ingest).

    `rematch_since`: the ingest had to rebuild a search index that was behind, so its loads
    could not match query watches: match the articles it stored since then now.
    """
    try:
        watches = current_watches()
        if rematch_since is not None and watches:
            from warehouse.alerts import rematch_queries
            from warehouse.db import open_warehouse

            with open_warehouse(db, wait_s=float(settings.get("lock_wait_s"))) as con:
                rematch_queries(con, watches, rematch_since, now_utc())
        done = deliver_pending(db, watches)
    except Exception as exc:  # noqa: BLE001 - delivery is retried by the next pass
        LOGGER.warning("alert delivery did not run: %s", exc)
        say(("alerts", "yellow"), f" delivery did not run ({exc}); the next pass retries")
        return {"error": str(exc)}
    report(done)
    return asdict(done)


# -- the `watches` and `alerts` verbs ---------------------------------------------------------

def add_parsers(verbs: argparse._SubParsersAction, add_db: Callable) -> None:
    """Add the `watches` and `alerts` verbs to the CLI."""
    p = verbs.add_parser("watches", help="list the watches and their last fire; "
                         "`watches test NAME` shows what a watch would fire")
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
    t.add_argument("--db", default=argparse.SUPPRESS, help="DuckDB file (default MEDIAWATCH_DB)")

    p = verbs.add_parser("alerts", help="the alerts outbox: what was sent, what is pending")
    state = p.add_mutually_exclusive_group()
    state.add_argument("--pending", action="store_true", help="only alerts not yet delivered")
    state.add_argument("--failed", action="store_true", help="only alerts given up on")
    p.add_argument("--limit", type=int, default=20, metavar="N", help="alerts to list (default 20)")
    add_db(p)


def cmd_watches(args: argparse.Namespace) -> int:
    """List the watches of the watch file with their activity, or test one."""
    from warehouse.db import open_warehouse

    from .status import table, when

    watch_set = current_watches(args.watches)
    if watch_set is None:
        say("no watch file: pass --watches FILE or set MEDIAWATCH_WATCHES "
            "(README: Watches and alerts)")
        return 1
    db = args.db or settings.get("db")
    if getattr(args, "watches_action", None) == "test":
        return watch_test(args, watch_set, db)
    activity = {}
    if Path(db).exists():
        from warehouse.alerts import watch_activity

        with open_warehouse(db, read_only=True, wait_s=float(settings.get("lock_wait_s"))) as con:
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


def watch_test(args: argparse.Namespace, watch_set, db: str) -> int:
    """Print what one watch would fire on the stored articles since --since; sends nothing."""
    from warehouse.alerts import WatchSet, dry_run
    from warehouse.db import open_warehouse

    from .console import day_option, fail
    from .status import table

    chosen = [w for w in watch_set.watches if w.name == args.name]
    if not chosen:
        fail(f"no watch named {args.name!r} in the watch file "
             f"(have: {', '.join(w.name for w in watch_set.watches)})")
    today = now_utc().date()
    since = day_option(args.since, "--since") or today - timedelta(days=30)
    with open_warehouse(db, read_only=True, wait_s=float(settings.get("lock_wait_s"))) as con:
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


def cmd_alerts(args: argparse.Namespace) -> int:
    """List the alerts outbox, newest first."""
    from warehouse.alerts import list_alerts
    from warehouse.db import open_warehouse

    from .status import short, table, when

    status = "pending" if args.pending else "failed" if args.failed else None
    db = args.db or settings.get("db")
    with open_warehouse(db, read_only=True, wait_s=float(settings.get("lock_wait_s"))) as con:
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
