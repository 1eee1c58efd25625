"""The ingest flow: seeds (and feeds) -> extract -> normalise -> tag -> load, in batches."""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from itertools import islice
from pathlib import Path

import duckdb
from prefect import flow, task
from prefect.cache_policies import NO_CACHE
from prefect.runtime import flow_run
from prefect.states import Failed

from extractors.pipeline import BatchResult, process_batch
from extractors.records import Failure, SourceDocument
from extractors.seeds import iter_seed_documents
from extractors.taxonomy import Taxonomy, load_taxonomy
from warehouse.db import WarehouseBusy, open_warehouse
from warehouse.load import LoadCounts, load_batch
from warehouse.runs import close_abandoned_runs, finish_run, start_run

from . import settings
from .console import ERR, progress
from .locking import IngestLocked, ingest_lock


@dataclass
class IngestSummary:
    """The counts of one ingest run, as printed and stored in `runs`."""

    seen: int = 0
    stored: int = 0
    unchanged: int = 0
    duplicates: int = 0
    failures: int = 0
    elapsed_s: float = 0.0
    failure_reasons: dict[str, int] = field(default_factory=dict)

    def add(self, counts: LoadCounts, result: BatchResult) -> None:
        self.stored += counts.inserted + counts.updated
        self.unchanged += counts.unchanged
        self.duplicates += counts.duplicates
        self.failures += counts.failures
        for f in result.failures:
            reason = f"{f.stage}: {f.reason.split(':')[0]}"
            self.failure_reasons[reason] = self.failure_reasons.get(reason, 0) + 1


def now_utc() -> datetime:
    """Return the current UTC time as a naive timestamp (the warehouse stores UTC)."""
    return datetime.now(UTC).replace(tzinfo=None)


def batched(items: Iterable, size: int) -> Iterator[list]:
    """Yield lists of up to `size` items (itertools.batched arrives only in Python 3.12)."""
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


@task(name="extract-and-tag", cache_policy=NO_CACHE)
def extract_and_tag(docs: list[SourceDocument], failures: list[Failure],
                    taxonomy: Taxonomy) -> BatchResult:
    """Extract, normalise and tag a batch; failures found upstream ride along to the load."""
    result = process_batch(docs, taxonomy)
    result.failures[:0] = failures
    return result


@task(name="load", cache_policy=NO_CACHE, retries=2, retry_delay_seconds=[2, 10])
def load(db: str, result: BatchResult, lock_wait_s: float) -> LoadCounts:
    """Load a batch into the warehouse in one transaction; the write lock is held only here."""
    with open_warehouse(db, wait_s=lock_wait_s) as con:
        return load_batch(con, result.articles, result.tags, result.failures, now_utc())


def record_run(db: str, run_id: str, started: datetime, parameters: dict) -> None:
    with open_warehouse(db, wait_s=float(settings.get("lock_wait_s"))) as con:
        close_abandoned_runs(con, "ingest", started)  # we hold the ingest lock: they are dead
        start_run(con, run_id, "ingest", started, parameters)


@flow(name="ingest", log_prints=True)
def ingest_flow(
    seeds: str | None = None,
    db: str | None = None,
    taxonomy: str | None = None,
    batch_size: int | None = None,
) -> dict:
    """Ingest the seed documents into the warehouse; returns the run's counts.

    Holds the warehouse's ingest lock for the whole run (one ingest writer at a time). When
    the run cannot start or cannot go on (lock timeout, warehouse not writable or busy), the
    flow run ends Failed with a message saying what to do, without a traceback.
    """
    db = db or str(settings.get("db"))
    try:
        with ingest_lock(db, float(settings.get("ingest_lock_wait_s")),
                         on_wait=lambda message: ERR.print(f"[yellow]waiting:[/] {message}")):
            return run_ingest(seeds, db, taxonomy, batch_size)
    except (IngestLocked, WarehouseBusy) as exc:
        return Failed(message=str(exc))
    except duckdb.IOException as exc:  # not a DuckDB file, disk full, I/O error
        return Failed(message=f"cannot use the warehouse {db}: {str(exc).removeprefix('IO Error: ')} "
                      "Check the file and the disk, or pass --db (or set MEDIAWATCH_DB) to another file.")
    except OSError as exc:  # the lock file or the database file cannot be created
        why = "is a file, not a folder" if isinstance(exc, FileExistsError) else exc.strerror
        return Failed(message=f"cannot write the warehouse {db} ({exc.filename or db}: {why}). "
                      "Pass --db (or set MEDIAWATCH_DB) to a file in a writable folder.")


def run_ingest(seeds: str | None, db: str, taxonomy: str | None, batch_size: int | None) -> dict:
    """The body of the ingest flow, run while holding the ingest lock."""
    seeds = seeds or str(settings.get("seeds"))
    batch_size = int(batch_size or settings.get("batch_size"))
    lock_wait_s = float(settings.get("lock_wait_s"))
    run_id = str(flow_run.id or f"local-{time.time_ns()}")
    started, t0 = now_utc(), time.perf_counter()
    parameters = {"seeds": seeds, "db": db, "taxonomy": taxonomy, "batch_size": batch_size}
    record_run(db, run_id, started, parameters)
    summary = IngestSummary()
    try:
        tax = load_taxonomy(taxonomy or settings.get("taxonomy") or None)
        items = iter_seed_documents(Path(seeds), int(settings.get("max_seed_file_bytes")),
                                    int(settings.get("max_document_bytes")))
        with progress("ingesting seeds") as advance:
            for batch in batched(items, batch_size):
                docs = [d for d in batch if isinstance(d, SourceDocument)]
                upstream = [f for f in batch if isinstance(f, Failure)]
                summary.seen += len(docs)
                result = extract_and_tag(docs, upstream, tax)
                summary.add(load(db, result, lock_wait_s), result)
                advance(len(batch))
    except BaseException as exc:
        with open_warehouse(db, wait_s=lock_wait_s) as con:
            finish_run(con, run_id, now_utc(), "failed", asdict(summary), f"{type(exc).__name__}: {exc}")
        raise
    summary.elapsed_s = round(time.perf_counter() - t0, 2)
    with open_warehouse(db, wait_s=lock_wait_s) as con:
        finish_run(con, run_id, now_utc(), "completed", asdict(summary))
    return asdict(summary)
