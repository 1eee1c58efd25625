"""The ingest flow: seeds (and feeds) -> extract -> normalise -> tag -> load, in batches."""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from itertools import islice
from pathlib import Path

import duckdb
from prefect import flow, task
from prefect.cache_policies import NO_CACHE
from prefect.states import Failed
# quote(): Prefect walks every element of a task's arguments looking for futures to wait
# on; over batches of pages and articles that walk cost 2.7 s of CPU per 4,000 articles.
from prefect.utilities.annotations import quote

from extractors import dedupe
from extractors.stories import batch_features
from extractors.actors import load_gazetteer
from extractors.focus import focus_marks, parse_focus
from extractors.keys import FirstSeen
from extractors.pipeline import BatchResult
from extractors.feeds import new_entry_batches, retry_entry, with_countries
from extractors.records import Failure, SourceDocument
from extractors.seeds import SeedFile, SeedScan, iter_seed_documents
from extractors.sources import seed_sources
from extractors.taxonomy import Taxonomy, load_taxonomy
from warehouse.days import UnknownTimezone, set_day_timezone
from warehouse.db import WarehouseBusy, open_warehouse
from warehouse.feeds import entries_to_fetch, feed_validators, pending_retries, record_polls
from warehouse.load import LoadCounts, load_batch, near_candidates
from warehouse.runs import close_abandoned_runs, now_utc
from warehouse.search import IndexState, refresh_search_index
from warehouse.stories import StoryParams
from warehouse.thin import stored_titles
from warehouse.seed_files import record_seed_files, seed_files
from warehouse.trend_counts import rebuild_if_drifted

from . import settings
from .alerts import current_watches, deliver_after_ingest
from .console import ERR, ProgressLog, progress, say
from .extract_pool import (
    STOPPED_ERRORS,
    allow_extraction,
    extraction_stopping,
    process_parallel,
    shutdown_pool,
    start_pool,
    stop_extraction,
)
from .feeds import FeedListInvalid, fetch_and_extract, fetch_policy, poll_feeds, read_feed_list
from .ledger import RunEntry, run_entry
from .nothing_new import IngestSummary, seed_scan
from .locking import IngestLocked, ingest_lock

LOGGER = logging.getLogger(__name__)
BATCH_COMMITTED = "batch committed:"


@contextmanager
def timed(stage_s: dict[str, float], stage: str) -> Iterator[None]:
    """Add the wall time of the block to `stage_s[stage]`."""
    t0 = time.perf_counter()
    try:
        yield
    finally:
        stage_s[stage] = stage_s.get(stage, 0.0) + time.perf_counter() - t0


def batched(items: Iterable, size: int) -> Iterator[list]:
    """Yield lists of up to `size` items (itertools.batched arrives only in Python 3.12)."""
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


@task(name="extract-and-tag", cache_policy=NO_CACHE)
def extract_and_tag(docs: list[SourceDocument], failures: list[Failure],
                    taxonomy: Taxonomy, repeats: int = 0) -> BatchResult:
    """Extract, normalise and tag a batch; failures found upstream (and the count of
    repeated keys left out) ride along to the load."""
    try:
        result = process_parallel(docs, taxonomy,
                                  load_gazetteer(settings.get("gazetteer") or None))
    except STOPPED_ERRORS:
        if not extraction_stopping():
            raise
        # interrupted: nothing more is loaded, and the next run reads these files again
        return BatchResult(failures=list(failures))
    result.failures[:0] = failures
    result.repeats += repeats
    return result


def batch_focus(articles: list, actors: list) -> list:
    """Return the focus marks of a batch under the `focus` setting (see extractors/focus.py)."""
    gazetteer = load_gazetteer(settings.get("gazetteer") or None)
    return focus_marks(articles, actors, parse_focus(str(settings.get("focus")), gazetteer),
                       gazetteer)


@task(name="load", cache_policy=NO_CACHE, retries=2, retry_delay_seconds=[2, 10])
def load(db: str, result: BatchResult, lock_wait_s: float) -> tuple[LoadCounts, dict]:
    """Load a batch into the warehouse in one transaction; the write lock is held only here.

    Returns the counts and the seconds spent finding near copies ("dedupe") and loading.
    """
    stage_s: dict[str, float] = {}
    with open_warehouse(db, wait_s=lock_wait_s) as con:
        with timed(stage_s, "dedupe"):
            keys = {(a.source, a.simhash) for a in result.articles}
            boilerplate = dedupe.boilerplate_keys(result.articles, stored_titles(con, keys))
            thin = dedupe.thin_ids(result.articles, boilerplate)
            substantial = [a for a in result.articles if a.article_id not in thin]
            known = near_candidates(con, dedupe.fingerprints(substantial), dedupe.BANDS,
                                    dedupe.BAND_BITS, dedupe.MIN_NEAR_COPY_WORDS, dedupe.MAX_HAMMING)
            links = dedupe.near_duplicate_links(substantial, known)
        with timed(stage_s, "stories"):
            features = batch_features(result.articles, result.actors, thin)
        with timed(stage_s, "load"):
            counts = load_batch(con, result.articles, result.tags, result.failures, now_utc(),
                                near_links=links, actors=result.actors,
                                thin_keys=sorted(boilerplate), story_features=features,
                                story_params=story_params(),
                                focus=batch_focus(result.articles, result.actors),
                                watches=current_watches())
    # With -v, one line per committed batch: what a watcher (benchmarks/crash.py) counts.
    LOGGER.info("%s %d articles", BATCH_COMMITTED, len(result.articles))
    return counts, stage_s


def story_params() -> StoryParams:
    """Return the story settings in force (story_window_days)."""
    return StoryParams(window_days=int(settings.get("story_window_days")))


class BatchPipeline:
    """Extract batch k+1 while batch k loads: at most two batches in flight.

    Extraction runs in the process pool (CPU-bound), so the flow's own thread is free to
    fetch the next batch and to load the previous one meanwhile.
    """

    def __init__(self, db: str, tax: Taxonomy, summary: IngestSummary, lock_wait_s: float,
                 first_seen: FirstSeen | None = None):
        self.db, self.tax, self.summary, self.lock_wait_s = db, tax, summary, lock_wait_s
        self.first_seen = first_seen or FirstSeen()
        self.pending = None

    def submit(self, docs: list[SourceDocument], failures: list[Failure]) -> None:
        """Start extracting a batch (less the keys taken earlier in the run), then load the
        one before it."""
        docs, repeats = self.first_seen.keep_first(docs)
        self.submit_future(extract_and_tag.submit(quote(docs), quote(failures), quote(self.tax),
                                                  repeats))

    def submit_future(self, future) -> None:
        """Take a batch already started (a task future giving a BatchResult), then load the
        one before it."""
        self.drain()
        self.pending = future

    def drain(self) -> None:
        """Load the batch in flight, if any."""
        if self.pending is None:
            return
        with timed(self.summary.stage_s, "wait_extract"):
            result = self.pending.result()
        self.pending = None
        counts, stage_s = load(self.db, quote(result), self.lock_wait_s)
        self.summary.add(counts, result, stage_s)


@task(name="refresh-search-index", cache_policy=NO_CACHE)
def refresh_search(db: str, lock_wait_s: float) -> IndexState:
    """Rebuild the full-text index if this ingest changed any article (locked only to swap)."""
    return refresh_search_index(db, now_utc(), lock_wait_s)


def prepare_run(con: duckdb.DuckDBPyConnection, entry: RunEntry) -> None:
    """Before an ingest is recorded: days in the analyst's timezone, and the runs a killed
    ingest left `running` closed (we hold the ingest lock: their processes are dead)."""
    set_day_timezone(con, str(settings.get("timezone")))
    close_abandoned_runs(con, "ingest", entry.started)


def ingest_feeds(feed_list: list, db: str, tax: Taxonomy, batch_size: int,
                 summary: IngestSummary, first_seen: FirstSeen | None = None) -> None:
    """Poll the feeds, then fetch, extract and load their new entries in batches."""
    if not feed_list:
        return
    lock_wait_s = float(settings.get("lock_wait_s"))
    # The processes start at the first batch: started earlier, their warm-up competes with
    # Prefect's server start-up for the CPU (no faster first run) and costs a run with
    # nothing new ~1 s and ~180 MB (measured with benchmarks/pipeline.py).
    start_pool(tax, load_gazetteer(settings.get("gazetteer") or None))
    policy = fetch_policy()
    with open_warehouse(db, wait_s=lock_wait_s) as con:
        validators = feed_validators(con, [f.name for f in feed_list])
    with timed(summary.stage_s, "feed"):
        polls = poll_feeds(quote(feed_list), quote(validators), policy)
    entries = [e for p in polls for e in p.entries]
    max_attempts = int(settings.get("max_fetch_attempts"))
    with open_warehouse(db, wait_s=lock_wait_s) as con:
        wanted = entries_to_fetch(con, entries, max_attempts)
        listed = {e.url for e in entries}
        countries = {f.name: f.country for f in feed_list}
        retries = [retry_entry(feed, url, countries.get(feed)) for feed, url in
                   pending_retries(con, [f.name for f in feed_list], max_attempts)
                   if url not in listed]
        for poll in polls:
            poll.new_entries = sum((e.feed, e.guid) in wanted for e in poll.entries)
        record_polls(con, polls, now_utc())
    summary.feeds_polled += len(polls)
    summary.not_modified += sum(p.status == "304" for p in polls)
    summary.new_entries += len(wanted)
    for poll in polls:
        state = poll.error or f"{poll.status}, {poll.new_entries} new of {len(poll.entries)}"
        say(f"  feed {poll.name}: {state}")
    if retries:  # pages that failed transiently on earlier runs, no longer in their feed
        say(f"  pages to retry (failed on earlier runs, no longer listed): {len(retries)}")
        wanted |= {(e.feed, e.guid) for e in retries}
        entries += retries
    poll_failures = [Failure(p.url, p.name, "feed", p.code, p.error or p.warning,
                             http_status=p.http_status, transient=p.transient, feed=p.name)
                     for p in polls if not p.ok or p.warning]
    gazetteer = load_gazetteer(settings.get("gazetteer") or None)
    pipeline = BatchPipeline(db, tax, summary, lock_wait_s, first_seen)
    with progress("fetching feed entries", total=len(wanted)) as advance:
        for entries_batch in new_entry_batches(entries, wanted, batch_size):
            pipeline.submit_future(fetch_and_extract.submit(
                quote(entries_batch), policy, quote(tax), quote(gazetteer), quote(poll_failures),
                quote(pipeline.first_seen)))
            poll_failures = []
            advance(len(entries_batch))
            summary.read += len(entries_batch)
        pipeline.drain()
    if poll_failures:
        result = BatchResult(failures=poll_failures)
        counts, stage_s = load(db, quote(result), lock_wait_s)
        summary.add(counts, result, stage_s)


@flow(name="ingest", log_prints=True)
def ingest_flow(
    seeds: str | None = None,
    db: str | None = None,
    feeds: str | None = None,
    taxonomy: str | None = None,
    batch_size: int | None = None,
) -> dict:
    """Ingest the seed documents and the enabled feeds' new entries; returns the run's counts.

    `feeds` is a TOML feed list (default: the `feeds` setting; a missing default is fine,
    a missing explicit file is an error). Holds the warehouse's ingest lock for the whole
    run (one ingest writer at a time). When the run cannot start or cannot go on (lock
    timeout, warehouse not writable or busy), the flow run ends Failed with a message saying
    what to do, without a traceback.
    """
    db = db or str(settings.get("db"))
    try:
        with ingest_lock(db, float(settings.get("ingest_lock_wait_s")),
                         on_wait=lambda message: say(("waiting:", "yellow"), f" {message}")):
            return run_ingest(seeds, db, feeds, taxonomy, batch_size)
    except (IngestLocked, WarehouseBusy, UnknownTimezone, FeedListInvalid) as exc:
        return Failed(message=str(exc))
    except duckdb.IOException as exc:  # not a DuckDB file, disk full, I/O error
        return Failed(message=f"cannot use the warehouse {db}: {str(exc).removeprefix('IO Error: ')} "
                      "Check the file and the disk, or pass --db (or set MEDIAWATCH_DB) to another file.")
    except OSError as exc:  # the lock file or the database file cannot be created
        why = "is a file, not a folder" if isinstance(exc, FileExistsError) else exc.strerror
        return Failed(message=f"cannot write the warehouse {db} ({exc.filename or db}: {why}). "
                      "Pass --db (or set MEDIAWATCH_DB) to a file in a writable folder.")


def ingest_all(seeds: str, db: str, feeds: str | None, taxonomy: str | None,
               batch_size: int, summary: IngestSummary) -> IndexState:
    """Read the seeds, then the feeds, loading batch by batch; return the search index's
    state once it is current."""
    lock_wait_s = float(settings.get("lock_wait_s"))
    tax = load_taxonomy(taxonomy or settings.get("taxonomy") or None)
    scan = seed_scan(db, lock_wait_s)
    # checked before any seed is read: a broken list fails the run at once, not after
    # an hour of seeds
    feed_list = read_feed_list(feeds)
    items = iter_seed_documents(Path(seeds), int(settings.get("max_seed_file_bytes")),
                                int(settings.get("max_document_bytes")),
                                root=Path(settings.get("seeds")), scan=scan)
    first_seen = FirstSeen()  # one article per key in this run, seeds and feeds alike
    pipeline = BatchPipeline(db, tax, summary, lock_wait_s, first_seen)
    with progress("ingesting seeds") as advance:
        for batch in batched(items, batch_size):
            docs = [d for d in batch if isinstance(d, SourceDocument)]
            upstream = [f for f in batch if isinstance(f, Failure)]
            pipeline.submit(docs, upstream)
            advance(len(batch))
            summary.read += len(batch)
        pipeline.drain()
    with open_warehouse(db, wait_s=lock_wait_s) as con:  # only now are they all loaded
        record_seed_files(con, list(scan.found.values()), now_utc())
    summary.seed_files_unchanged = scan.unchanged_files
    ingest_feeds(with_countries(feed_list, seed_sources(Path(seeds))[0]), db, tax,
                 batch_size, summary, first_seen)
    shutdown_pool()  # the extraction processes' memory back before the index build
    with timed(summary.stage_s, "search_index"):
        return refresh_search(db, lock_wait_s)


def run_ingest(seeds: str | None, db: str, feeds: str | None, taxonomy: str | None,
               batch_size: int | None) -> dict:
    """The body of the ingest flow, run while holding the ingest lock."""
    seeds = seeds or str(settings.get("seeds"))
    batch_size = int(batch_size or settings.get("batch_size"))
    lock_wait_s = float(settings.get("lock_wait_s"))
    t0 = time.perf_counter()
    parameters = {"seeds": seeds, "db": db, "feeds": feeds, "taxonomy": taxonomy,
                  "batch_size": batch_size}
    summary = IngestSummary()
    with run_entry(db, "ingest", parameters, prepare=prepare_run) as entry:
        entry.counts = lambda: asdict(summary)
        allow_extraction()
        log = ProgressLog(lambda: summary.progress_line(time.perf_counter() - t0),
                          float(settings.get("progress_interval_s")))
        try:
            index = ingest_all(seeds, db, feeds, taxonomy, batch_size, summary)
        except BaseException:
            stop_extraction()  # tasks still running end quietly; nothing more is loaded
            raise
        finally:
            log.stop()
            shutdown_pool()
        summary.elapsed_s = round(time.perf_counter() - t0, 2)
        with open_warehouse(db, wait_s=lock_wait_s) as con:
            rebuild_if_drifted(con)  # articles written outside a load are counted in the trends
    started = entry.started
    return {**asdict(summary), "alerts": deliver_after_ingest(db, started if index.rebuilt else None)}
