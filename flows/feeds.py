"""Feed tasks: poll the enabled feeds, pick the new entries, fetch their pages in batches.

Every task works on a batch (all feeds, or a batch of entries) and fetches concurrently
inside it, within the per-host limits of extractors.fetch; never one task per article.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import threading
import time
from collections.abc import Iterator
from collections import deque
from concurrent.futures import CancelledError, Future, ProcessPoolExecutor, ThreadPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path

from prefect import task
from prefect.cache_policies import NO_CACHE

from extractors.feeds import FeedSpec, entry_document, load_feed_list, read_feed
from extractors.fetch import Fetcher, FetchPolicy, interrupt_all
from extractors.keys import FirstSeen
from extractors.pipeline import BatchResult, process_batch, start_worker
from extractors.text import has_article_text
from extractors.records import FailureCode, FeedEntry, Failure, SourceDocument
from extractors.actors import Gazetteer
from extractors.taxonomy import Taxonomy

from . import settings

LOGGER = logging.getLogger(__name__)


@dataclass
class FeedPoll:
    """What polling one feed gave: its new validators, status and entries (or an error)."""

    name: str
    url: str
    ok: bool
    status: str  # '200', '304', '404', … or an error word
    etag: str | None = None
    last_modified: str | None = None
    error: str | None = None
    http_status: int | None = None
    transient: bool = False
    warning: str | None = None  # the feed was read, but not cleanly (recorded as a failure)
    entries: list[FeedEntry] = field(default_factory=list)
    new_entries: int = 0
    code: FailureCode | None = None  # the kind of error or warning, with it


def fetch_policy() -> FetchPolicy:
    """Return the fetch policy from the settings."""
    return FetchPolicy(
        user_agent=str(settings.get("user_agent")),
        connect_timeout_s=float(settings.get("connect_timeout_s")),
        read_timeout_s=float(settings.get("read_timeout_s")),
        total_timeout_s=float(settings.get("total_timeout_s")),
        retries=int(settings.get("fetch_retries")),
        backoff_s=float(settings.get("fetch_backoff_s")),
        max_bytes=int(settings.get("max_page_bytes")),
        max_redirects=int(settings.get("max_redirects")),
        concurrency=int(settings.get("fetch_concurrency")),
        per_host=int(settings.get("per_host_concurrency")),
        delay_s=float(settings.get("host_delay_s")),
        respect_robots=bool(int(settings.get("respect_robots"))),
        allow_private=bool(int(settings.get("allow_private_addresses"))),
        allowed_private_hosts=tuple(h.strip().lower() for h in
                                    str(settings.get("allowed_private_hosts")).split(",")
                                    if h.strip()),
    )


class FeedListInvalid(ValueError):
    """The feed list cannot be used; the message names the file and what is wrong."""


def read_feed_list(path: str | None) -> list[FeedSpec]:
    """Return the enabled feeds of `path` (default: the `feeds` setting).

    A missing default list means no feeds; a missing list that was asked for, or one that
    is not a valid feed list, is FeedListInvalid.
    """
    explicit = path is not None
    path = Path(path or settings.get("feeds"))
    if not path.exists():
        if explicit:
            raise FeedListInvalid(f"feed list {path} not found (--feeds / MEDIAWATCH_FEEDS)")
        return []
    if not path.is_file():
        raise FeedListInvalid(f"feed list {path} is not a file (--feeds / MEDIAWATCH_FEEDS)")
    try:
        return [f for f in load_feed_list(path) if f.enabled]
    except ValueError as exc:
        raise FeedListInvalid(str(exc)) from None


def poll_one(fetcher: Fetcher, feed: FeedSpec, validators: tuple | None) -> FeedPoll:
    """Fetch one feed with a conditional GET and parse its entries."""
    etag, modified = validators or (None, None)
    page = fetcher.fetch(feed.url, html=False, etag=etag, last_modified=modified)
    status = str(page.status) if page.status else "error"
    if not page.ok:
        return FeedPoll(feed.name, feed.url, False, status, error=page.error,
                        http_status=page.status, transient=page.transient, code=page.code)
    if page.status == 304:
        return FeedPoll(feed.name, feed.url, True, status, etag, modified)
    try:
        entries, warning = read_feed(page.body, feed, page.final_url, page.content_type)
    except ValueError as exc:
        return FeedPoll(feed.name, feed.url, False, "invalid", error=str(exc),
                        http_status=page.status, code=FailureCode.MALFORMED)
    return FeedPoll(feed.name, feed.url, True, status, page.etag, page.last_modified,
                    http_status=page.status, warning=warning, entries=entries,
                    code=FailureCode.MALFORMED if warning else None)


@task(name="poll-feeds", cache_policy=NO_CACHE)
def poll_feeds(feeds: list[FeedSpec], validators: dict[str, tuple],
               policy: FetchPolicy) -> list[FeedPoll]:
    """Poll every feed concurrently (conditional GETs); one result per feed, in order."""
    with Fetcher(policy) as fetcher:
        pool = ThreadPoolExecutor(policy.concurrency)
        try:
            return list(pool.map(lambda f: poll_one(fetcher, f, validators.get(f.name)), feeds))
        except BaseException:  # an interrupt: do not wait for the other feeds
            fetcher.interrupt()
            pool.shutdown(wait=False, cancel_futures=True)
            raise
        finally:
            pool.shutdown()


def retry_entry(feed: str, url: str, country: str | None = None) -> FeedEntry:
    """Return an entry to fetch again from what its failure recorded (feed and URL), with
    the feed's home country."""
    return FeedEntry(feed=feed, guid=url, url=url, country=country)


PAGES_PER_CHUNK = 25  # pages handed to an extraction process at a time


def iter_entry_documents(entries: list[FeedEntry], policy: FetchPolicy
                         ) -> Iterator[SourceDocument | Failure]:
    """Fetch entries' pages concurrently; yield a document per entry, or a fetch Failure.

    An entry whose page cannot be fetched still becomes a document when the feed itself
    carries enough text (content:encoded). Documents come one at a time, so a caller can
    hand them on while later pages are still downloading.
    """
    with_url = [e for e in entries if e.url]
    for entry in entries:
        if not entry.url:
            yield entry_document(entry, None, None)
    with Fetcher(policy) as fetcher:
        for index, page in fetcher.fetch_many((e.url for e in with_url), html=True):
            entry = with_url[index]
            if page.ok:
                # UTF-8 bytes take a quarter of the memory of a str with wide characters,
                # and pickle to the extraction processes as they are.
                yield entry_document(entry, page.body, page.final_url)
            elif has_article_text(entry.content):
                yield entry_document(entry, None, None)
            else:
                yield Failure(entry.location, entry.feed, "fetch", page.code, page.error,
                              http_status=page.status, transient=page.transient,
                              feed=entry.feed)


@task(name="fetch-extract-tag", cache_policy=NO_CACHE)
def fetch_and_extract(entries: list[FeedEntry], policy: FetchPolicy, taxonomy: Taxonomy,
                      gazetteer: Gazetteer | None, upstream: list[Failure],
                      first_seen: FirstSeen | None = None) -> BatchResult:
    """Fetch a batch of entries and extract and tag each page as soon as it arrives.

    Pages stream to the extraction processes in small chunks while later ones download, so
    the HTML held in memory is a few chunks, not the batch (pages average ~180 KB), and
    fetching overlaps extraction. Requests retry within the fetch policy (backoff,
    Retry-After); the task itself is not retried, as a retry would fetch everything again.
    """
    t0 = time.perf_counter()
    result = BatchResult(failures=list(upstream))
    workers = extract_workers()
    pending: deque = deque()
    chunk: list[SourceDocument] = []

    def flush() -> None:
        if chunk:
            pending.append(submit_chunk(list(chunk), taxonomy, gazetteer))
            chunk.clear()
        while len(pending) > 2 * workers:  # bound the HTML in flight
            result.merge(pending.popleft().result())

    try:
        for item in iter_entry_documents(entries, policy):
            if extraction_stopping():
                raise ExtractionStopped
            if isinstance(item, Failure):
                result.failures.append(item)
                continue
            if first_seen is not None and not first_seen.claim(item.key):
                result.repeats += 1  # two entries, one page (an aggregator's redirects)
                continue
            chunk.append(item)
            if len(chunk) >= PAGES_PER_CHUNK:
                flush()
            if extraction_stopping():
                raise ExtractionStopped
        flush()
        while pending:
            result.merge(pending.popleft().result())
    except STOPPED_ERRORS:
        if not extraction_stopping():
            raise
        # The run is being interrupted and will load nothing more: what this batch did not
        # load stays wanted, and the next run fetches it.
        LOGGER.info("batch of %d entries abandoned: the run was interrupted", len(entries))
    result.stage_s["fetch_extract_wall"] = time.perf_counter() - t0
    return result


# -- extraction in a process pool -----------------------------------------------------------
_POOL: ProcessPoolExecutor | None = None
_POOL_LOCK = threading.Lock()
_STOPPING = threading.Event()


class ExtractionStopped(Exception):
    """The run is being interrupted: the extraction processes take no more work."""


# What a task waiting on the pool sees when stop_extraction() ends it under its feet.
STOPPED_ERRORS = (ExtractionStopped, CancelledError, BrokenProcessPool)


def extract_workers() -> int:
    """Return the number of extraction processes (the `extract_workers` setting, 0 = CPUs)."""
    return int(settings.get("extract_workers")) or os.cpu_count() or 1


def start_pool(taxonomy: Taxonomy, gazetteer: Gazetteer | None) -> None:
    """Start the extraction processes now, each loading the extractor and the taxonomy, so
    that they are ready when the first batch of pages arrives."""
    global _POOL
    workers = extract_workers()
    with _POOL_LOCK:  # batches are extracted from task-runner threads, two at a time
        if _POOL is None and workers > 1 and not _STOPPING.is_set():
            # spawn, not fork: the flow runs threads (Prefect, httpx) that fork would copy
            # mid-lock
            _POOL = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn"),
                                        initializer=start_worker, initargs=(taxonomy, gazetteer))


def submit_chunk(docs: list[SourceDocument], taxonomy: Taxonomy,
                 gazetteer: Gazetteer | None) -> Future:
    """Start process_batch over `docs` in the extraction pool (in-process with one CPU)."""
    if extract_workers() < 2:
        done: Future = Future()
        done.set_result(process_batch(docs, taxonomy, gazetteer))
        return done
    start_pool(taxonomy, gazetteer)
    with _POOL_LOCK:
        if _POOL is None:
            raise ExtractionStopped
        return _POOL.submit(process_batch, docs, taxonomy, gazetteer)


def process_parallel(docs: list[SourceDocument], taxonomy: Taxonomy,
                     gazetteer: Gazetteer | None = None) -> BatchResult:
    """Return process_batch over `docs`, split over a process pool when there is HTML to parse.

    Extraction is CPU-bound (lxml); a small batch or a one-CPU setting runs in-process,
    which also avoids starting processes for a handful of seed files.
    """
    workers = extract_workers()
    html_docs = sum(1 for d in docs if d.html)
    if workers < 2 or html_docs < 4 * workers:
        return process_batch(docs, taxonomy, gazetteer)
    start_pool(taxonomy, gazetteer)
    # Small chunks keep both processes busy to the end of the batch (pages differ in cost).
    size = max(1, -(-len(docs) // (workers * 4)))
    chunks = [docs[i : i + size] for i in range(0, len(docs), size)]
    result = BatchResult()
    with _POOL_LOCK:
        if _POOL is None:
            raise ExtractionStopped
        parts = _POOL.map(process_batch, chunks, [taxonomy] * len(chunks),
                          [gazetteer] * len(chunks))
    for part in parts:
        result.merge(part)
    return result


def shutdown_pool() -> None:
    """Stop the extraction processes, if any were started (after their work is done)."""
    global _POOL
    with _POOL_LOCK:
        pool, _POOL = _POOL, None
    if pool is not None:
        pool.shutdown()


def stop_extraction() -> None:
    """On an interrupt: drop the chunks not yet started, stop the processes, and make the
    tasks still running end quietly (ExtractionStopped) instead of failing with tracebacks."""
    global _POOL
    _STOPPING.set()
    interrupt_all()  # page fetches too: queued ones dropped, those in flight cut off
    with _POOL_LOCK:
        pool, _POOL = _POOL, None
    if pool is not None:
        pool.shutdown(wait=False, cancel_futures=True)


def extraction_stopping() -> bool:
    """Return True once stop_extraction() was called (until allow_extraction())."""
    return _STOPPING.is_set()


def allow_extraction() -> None:
    """Let a new run of this process use the extraction processes again."""
    _STOPPING.clear()


def new_entry_batches(polls: list[FeedPoll], wanted: set[tuple[str, str]],
                      batch_size: int) -> Iterator[list[FeedEntry]]:
    """Yield the wanted entries of all polls in batches, each entry and each page once."""
    batch, seen = [], set()
    for poll in polls:
        for entry in poll.entries:
            ident = (entry.feed, entry.guid)
            if ident in wanted and ident not in seen and entry.url not in seen:
                seen.update((ident, entry.url))
                batch.append(entry)
                if len(batch) >= batch_size:
                    yield batch
                    batch = []
    if batch:
        yield batch
