"""Watches and alerts: reading the watch file and the deliverer (the verbs: flows/verbs/).

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

import fcntl
import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import datetime
from functools import lru_cache
from pathlib import Path

from warehouse.runs import now_utc

from . import settings
from .console import say

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
