"""The `deliver-alerts` flow: what `serve` runs on its own schedule between ingests."""

from __future__ import annotations

from prefect import flow

from . import settings
from .alerts import current_watches, deliver_pending, report


@flow(name="deliver-alerts", log_prints=True)
def deliver_flow(db: str | None = None) -> dict:
    """Queue due digest and spike alerts and send every pending alert that is due.

    A failing channel is recorded on its alerts (see `mediawatch status`), never raised:
    the run completes, and a later pass retries after the backoff.
    """
    from dataclasses import asdict

    done = deliver_pending(db or str(settings.get("db")), current_watches())
    report(done)
    return asdict(done)
