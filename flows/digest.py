"""The digest flow: one day's coverage written to the exports folder."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from prefect import flow, task
from prefect.cache_policies import NO_CACHE

from warehouse.db import open_warehouse
from warehouse.digest import digest_data, latest_day, render_markdown

from . import settings
from .ledger import recorded_run


@task(name="render-digest", cache_policy=NO_CACHE)
def write_digest(db: str, day: date, out_dir: Path) -> dict:
    """Query the day's digest and write it; returns the paths written and the totals."""
    with open_warehouse(db, read_only=True, wait_s=float(settings.get("lock_wait_s"))) as con:
        data = digest_data(con, day)
    folder = out_dir / day.isoformat()
    folder.mkdir(parents=True, exist_ok=True)
    md = folder / "digest.md"
    md.write_text(render_markdown(data), encoding="utf-8")
    return {"date": day.isoformat(), "files": [str(md)], "totals": data["totals"]}


@flow(name="digest")
@recorded_run("digest", counts=lambda result: {"seen": result["totals"]["articles"]})
def digest_flow(day: str | None = None, out: str | None = None, db: str | None = None,
                latest: bool = False) -> dict:
    """Write the digest of `day` (ISO date; the latest day with articles when `latest`)."""
    db = db or str(settings.get("db"))
    out_dir = Path(out or str(settings.get("exports")))
    if latest or not day:
        with open_warehouse(db, read_only=True) as con:
            found = latest_day(con)
        target = found or date.today()
    else:
        target = date.fromisoformat(day)
    return write_digest(db, target, out_dir)
