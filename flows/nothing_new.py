"""An ingest with nothing new, recorded without starting Prefect; and what every ingest counts.

`mediawatch ingest` starts a temporary Prefect server and runs the ingest flow. The server
takes ~5 s to answer on this 2-core machine (importing Prefect's server package alone takes
~4 s): that was ~95% of a rerun with nothing new (8.4 s, of which the flow 0.5 s). When the
flow could not do anything -- no seed file changed since a run last read it, no feed
enabled, no watch whose queued alerts a run delivers, the search index current, the trend
counts in step with the articles -- the command records the run in `runs` itself (flow `ingest`,
completed, its counts) and says so, without Prefect (`nothing_to_ingest`). Anything else,
or any doubt (another ingest holds the lock, a seed file that cannot be read), runs the
flow, which does and says the rest. Scheduled runs (`mediawatch serve`) always run the
flow: their server is up already.
"""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from extractors.seeds import SeedFile, SeedScan, iter_seed_documents
from warehouse.db import open_warehouse
from warehouse.days import set_day_timezone
from warehouse.runs import close_abandoned_runs, finish_run, now_utc, start_run
from warehouse.search import index_is_current
from warehouse.seed_files import seed_files
from warehouse.trend_counts import counts_drifted

from . import settings
from .alerts import current_watches
from .feed_list import FeedListInvalid, read_feed_list
from .locking import ingest_lock

if TYPE_CHECKING:
    from extractors.pipeline import BatchResult
    from warehouse.load import LoadCounts


@dataclass
class IngestSummary:
    """The counts of one ingest run, as printed and stored in `runs`."""

    seen: int = 0
    stored: int = 0
    unchanged: int = 0
    duplicates: int = 0
    failures: int = 0
    feeds_polled: int = 0
    not_modified: int = 0
    new_entries: int = 0
    elapsed_s: float = 0.0
    failure_reasons: dict[str, int] = field(default_factory=dict)  # "stage: code" -> count
    failure_examples: dict[str, str] = field(default_factory=dict)  # "stage: code" -> a reason

    stage_s: dict[str, float] = field(default_factory=dict)
    seed_files_unchanged: int = 0  # skipped unread: same size, mtime or content as last run
    read: int = 0  # documents and feed entries handed to extraction so far

    def progress_line(self, elapsed_s: float) -> str:
        """Return a one-line account of the run so far, for a log (see console.ProgressLog)."""
        rate = self.seen / elapsed_s if elapsed_s > 0 else 0.0
        return (f"ingest: {self.read} documents read, {self.seen} processed, {self.stored} "
                f"stored, {self.unchanged} unchanged, {self.failures} failures, "
                f"{rate:.1f} documents/s, {elapsed_s:.0f} s")

    def add(self, counts: LoadCounts, result: BatchResult, stage_s: dict[str, float]) -> None:
        self.seen += result.documents + result.repeats
        self.stored += counts.inserted + counts.updated
        self.unchanged += counts.unchanged
        self.duplicates += counts.duplicates + result.repeats
        self.failures += counts.failures
        for f in result.failures:
            reason = f"{f.stage}: {f.code}"
            self.failure_reasons[reason] = self.failure_reasons.get(reason, 0) + 1
            self.failure_examples.setdefault(reason, f.reason)
        self.time(result.stage_s)
        self.time(stage_s)

    def time(self, stage_s: dict[str, float]) -> None:
        """Add seconds spent per stage (wall time, or CPU time summed over workers)."""
        for stage, seconds in stage_s.items():
            self.stage_s[stage] = round(self.stage_s.get(stage, 0.0) + seconds, 3)


def seed_scan(db: str, lock_wait_s: float) -> SeedScan:
    """Return a seed walk that knows the seed files as the last run read them."""
    with open_warehouse(db, wait_s=lock_wait_s) as con:
        rows = seed_files(con)
    known = {}
    for row in rows:
        lines = row.pop("line_hashes")
        known[row["location"]] = SeedFile(**row,
                                          line_hashes=None if lines is None else tuple(lines))
    return SeedScan(known=known)


def feeds_to_poll(feeds: str | None) -> bool:
    """Return True unless the feed list (`feeds`, else the `feeds` setting) enables no feed;
    a list that cannot be used is for the flow to report (True)."""
    try:
        return bool(read_feed_list(feeds))
    except FeedListInvalid:
        return True


def nothing_to_ingest(seeds: str | None, db: str, feeds: str | None,
                      parameters: dict) -> dict | None:
    """Return the counts of an ingest that had nothing to do, recorded as a completed run in
    `runs` (see the module docstring); None when the flow must run."""
    t0 = time.perf_counter()
    if current_watches() or not Path(db).exists() or feeds_to_poll(feeds):
        return None
    seeds = seeds or str(settings.get("seeds"))
    lock_wait_s = float(settings.get("lock_wait_s"))
    try:
        with ingest_lock(db, 0.0):
            scan = seed_scan(db, lock_wait_s)
            unread = iter_seed_documents(Path(seeds), int(settings.get("max_seed_file_bytes")),
                                         int(settings.get("max_document_bytes")),
                                         root=Path(settings.get("seeds")), scan=scan)
            if next(unread, None) is not None or any(  # a document or failure; a file
                    scan.known.get(location) != state  # touched (to record) or new
                    for location, state in scan.found.items()):
                return None
            summary = IngestSummary(seed_files_unchanged=scan.unchanged_files)
            with open_warehouse(db, wait_s=lock_wait_s) as con:
                if not index_is_current(con) or counts_drifted(con):
                    return None
                started = now_utc()
                run_id = f"local-{time.time_ns()}"
                set_day_timezone(con, str(settings.get("timezone")))
                close_abandoned_runs(con, "ingest", started)
                summary.elapsed_s = round(time.perf_counter() - t0, 2)
                start_run(con, run_id, "ingest", started, {**parameters, "seeds": seeds})
                finish_run(con, run_id, now_utc(), "completed", asdict(summary))
    except Exception:  # noqa: BLE001 - any doubt (lock held, a warehouse that cannot be
        return None  # opened, a seed that cannot be read): the flow runs and says what it is
    return asdict(summary)
