"""The digest flow: one day's coverage written to the exports folder as four files."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from prefect import flow, task
from prefect.cache_policies import NO_CACHE

from warehouse.dates import check_day
from warehouse.days import align_day_timezone, check_timezone
from warehouse.db import open_warehouse
from warehouse.digest import digest_articles, digest_data, latest_day
from warehouse.digest_export import write_digest_files

from . import settings
from .ledger import recorded_run


def yesterday(timezone: str) -> date:
    """Return yesterday's date in `timezone`."""
    return datetime.now(ZoneInfo(timezone)).date() - timedelta(days=1)


@task(name="query-digest", cache_policy=NO_CACHE)
def theme_labels() -> dict[str, str]:
    """Return theme id -> label from the taxonomy in force (the `taxonomy` setting)."""
    from extractors.taxonomy import load_taxonomy

    return {t.id: t.label for t in load_taxonomy(settings.get("taxonomy") or None).themes}


def query_digest(db: str, day: date, timezone: str) -> tuple[dict, list[dict]]:
    """Read the day's digest data and its article rows (read-only, no write lock)."""
    labels = theme_labels()
    with open_warehouse(db, read_only=True, wait_s=float(settings.get("lock_wait_s"))) as con:
        return digest_data(con, day, timezone, labels), digest_articles(con, day)


@task(name="write-digest", cache_policy=NO_CACHE)
def write_digest(data: dict, articles: list[dict], out_dir: Path) -> list[str]:
    """Render and write digest.md, digest.html, digest.json and articles.csv."""
    return [str(p) for p in write_digest_files(data, articles, out_dir)]


@flow(name="digest")
@recorded_run("digest", counts=lambda result: {"seen": result["totals"]["articles"]})
def digest_flow(day: str | None = None, out: str | None = None, db: str | None = None,
                latest: bool = False, timezone: str | None = None) -> dict:
    """Write the digest of `day` (ISO date; default yesterday in the configured timezone,
    or the latest day with dated articles when `latest`); returns the date, files and totals.

    Days are the analyst's: `timezone` (default the `timezone` setting) buckets them."""
    db = db or str(settings.get("db"))
    out_dir = Path(out or str(settings.get("exports")))
    timezone = check_timezone(timezone or str(settings.get("timezone")))
    # days are bucketed in `timezone`: a warehouse in another one is re-bucketed first
    align_day_timezone(db, timezone, float(settings.get("lock_wait_s")))
    if latest:
        with open_warehouse(db, read_only=True) as con:
            target = latest_day(con) or yesterday(timezone)
    elif day:
        target = check_day(day, yesterday(timezone) + timedelta(days=1))
    else:
        target = yesterday(timezone)
    data, articles = query_digest(db, target, timezone)
    files = write_digest(data, articles, out_dir)
    return {"date": data["date"], "files": files, "totals": data["totals"], "empty": data["empty"]}
