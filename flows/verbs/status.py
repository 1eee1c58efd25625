"""`mediawatch status`: recent runs, feed health and open failures, read from the warehouse."""

from __future__ import annotations

import argparse
import json
from datetime import UTC, datetime, timedelta

from rich import box
from rich.table import Table

from warehouse.db import open_warehouse
from warehouse.status import warehouse_status

from ..console import OUT, say
from . import add_db, db_of, lock_wait_s


# Free text may wrap; every other column (times, statuses, counts) stays on one line.
WRAPPING_COLUMNS = {"last error", "reason", "where", "time by stage"}


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--limit", type=int, metavar="N", default=10, help="runs and failures to list (default 10)")
    p.add_argument("--hours", type=float, default=24.0, metavar="H",
                   help="count runs and failed runs over this many hours (default 24)")
    p.add_argument("--format", choices=["table", "json"], default="table")
    add_db(p)


def when(ts: datetime | None) -> str:
    """Return a UTC timestamp to the minute; '-' for None."""
    return "-" if ts is None else f"{ts:%Y-%m-%d %H:%M}"


def ago(ts: datetime | None, now: datetime) -> str:
    """Return how long before `now` a timestamp was, in the largest sensible unit."""
    if ts is None:
        return "never"
    minutes = int((now - ts).total_seconds() // 60)
    if minutes < 120:
        return f"{minutes} min ago"
    return f"{minutes // 60} h ago" if minutes < 48 * 60 else f"{minutes // 1440} days ago"


def table(title: str, columns: list[str], rows: list[list]) -> Table:
    """Return a rich table with `columns` and `rows` (None shown as '-')."""
    out = Table(title=title, title_justify="left", title_style="bold", box=box.SIMPLE_HEAD,
                pad_edge=False, collapse_padding=True)
    for column in columns:
        out.add_column(column, overflow="fold", no_wrap=column not in WRAPPING_COLUMNS)
    for row in rows:
        out.add_row(*("-" if v is None else str(v) for v in row))
    return out


def short(text: str | None, width: int = 80) -> str | None:
    """Return `text` cut to `width` characters (errors can be long)."""
    return text if text is None or len(text) <= width else text[: width - 1] + "…"


def tail(text: str | None, width: int = 32) -> str | None:
    """Return the last `width` characters of `text` (a path's or URL's end says most)."""
    return text if text is None or len(text) <= width else "…" + text[1 - width:]


def render(status: dict, hours: float, now: datetime) -> None:
    """Print the status as tables on stdout."""
    flows = status["flows"]
    if not flows:
        OUT.print("no runs recorded yet: run `mediawatch ingest` or `mediawatch serve`")
    else:
        OUT.print(table(
            f"Flows (runs in the last {hours:g} h)",
            ["flow", "last run", "status", "last completed", "runs", "failed", "last error"],
            [[f["flow"], when(f["last_started_at"]), f["last_status"],
              ago(f["last_completed_at"], now), f["runs_since"], f["failed_since"],
              short(f["last_error"])] for f in flows]))
        OUT.print(table(
            "Recent runs",
            ["started", "flow", "status", "seen", "stored", "unchanged", "dupes", "failed"],
            [[when(r["started_at"]), r["flow"], r["status"], r["seen"], r["stored"],
              r["unchanged"], r["duplicates"], r["failures"]] for r in status["runs"]]))
        timed_runs = [r for r in status["runs"] if r["stage_s"]]
        if timed_runs:  # a table of its own: as a column it would not fit 80 characters
            OUT.print(table(
                "Time by stage (extract, tag: CPU s over the extraction processes)",
                ["started", "flow", "time by stage"],
                [[when(r["started_at"]), r["flow"], stage_times(r["stage_s"])]
                 for r in timed_runs]))
    feeds = status["feeds"]
    if feeds is None:
        OUT.print("feeds: no feed has been polled into this warehouse yet")
    else:
        OUT.print(table(
            "Feeds",
            ["feed", "last status", "last success", "failures in a row", "last error"],
            [[f["name"], f["last_status"], ago(f["last_success_at"], now),
              f["consecutive_failures"], short(f["last_error"])] for f in feeds]))
    render_alerts(status.get("alert_channels"), now)
    counts = status["open_failures"]
    if not counts:
        OUT.print("open failures: none")
        return
    by_kind = ", ".join(f"{kind} {n}" for kind, n in counts.items())
    OUT.print(table(
        f"Open failures: {sum(counts.values())} ({by_kind}); most recent",
        ["last seen", "failure", "where", "reason", "attempts"],
        [[when(f["last_seen"]), f"{f['stage']}: {f['code']}", tail(f["url"]), short(f["reason"]),
          f["attempts"]]
         for f in status["failures"]]))


def stage_times(stage_s: dict[str, float], top: int = 4) -> str | None:
    """Return the run's slowest stages as 'fetch 40.2 s, extract 30.5 s, ...' (None if none).

    extract and tag are CPU seconds summed over the extraction processes (they overlap the
    flow's wall time); the other stages are wall seconds.
    """
    if not stage_s:
        return None
    slowest = sorted(stage_s.items(), key=lambda kv: -kv[1])[:top]
    return ", ".join(f"{stage} {seconds:.1f} s" for stage, seconds in slowest)


def render_alerts(channels: list[dict] | None, now: datetime) -> None:
    """Print alert delivery per channel, failing channels first (nothing before any alert)."""
    if not channels:
        return
    pending = sum(c["pending"] for c in channels)
    failed = sum(c["failed"] for c in channels)
    OUT.print(table(
        f"Alert channels: {pending} pending, {failed} failed",
        ["channel", "pending", "failed", "sent", "last sent", "last error"],
        [[c["channel"], c["pending"], c["failed"], c["sent"], ago(c["last_sent_at"], now),
          short(c["last_error"])] for c in channels]))


def iso(value: object) -> str:
    """Return timestamps as ISO 8601 text for JSON output."""
    return value.isoformat() if hasattr(value, "isoformat") else str(value)


def run(args: argparse.Namespace) -> int:
    """Print the warehouse's status; returns the exit code."""
    now = datetime.now(UTC).replace(tzinfo=None)  # the warehouse stores naive UTC
    db = db_of(args)
    with open_warehouse(db, read_only=True, wait_s=lock_wait_s()) as con:
        status = warehouse_status(con, now - timedelta(hours=args.hours), args.limit)
    if args.format == "json":
        OUT.print(json.dumps(status, default=iso, indent=2), markup=False)
    else:
        render(status, args.hours, now)
    say((str(db), "dim"))
    return 0
