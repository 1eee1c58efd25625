"""Feed tasks: poll the enabled feeds, pick the new entries, fetch their pages in batches.

Every task works on a batch (all feeds, or a batch of entries) and fetches concurrently
inside it, within the per-host limits of extractors.fetch; never one task per article.
"""

from __future__ import annotations

import logging
import time
from collections import deque
from concurrent.futures import ThreadPoolExecutor

from prefect import task
from prefect.cache_policies import NO_CACHE

from extractors.actors import Gazetteer
from extractors.feeds import FeedSpec, iter_entry_documents, poll_feed
from extractors.fetch import Fetcher, FetchPolicy
from extractors.keys import FirstSeen
from extractors.pipeline import BatchResult
from extractors.records import FeedEntry, FeedPoll, Failure, SourceDocument
from extractors.taxonomy import Taxonomy

from . import settings
from .feed_list import FeedListInvalid, read_feed_list  # noqa: F401 - re-exported
from .extract_pool import (STOPPED_ERRORS, ExtractionStopped, extract_workers,
                           extraction_stopping, submit_chunk)

LOGGER = logging.getLogger(__name__)


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


@task(name="poll-feeds", cache_policy=NO_CACHE)
def poll_feeds(feeds: list[FeedSpec], validators: dict[str, tuple],
               policy: FetchPolicy) -> list[FeedPoll]:
    """Poll every feed concurrently (conditional GETs); one result per feed, in order."""
    with Fetcher(policy) as fetcher:
        pool = ThreadPoolExecutor(policy.concurrency)
        try:
            return list(pool.map(lambda f: poll_feed(fetcher, f, validators.get(f.name)), feeds))
        except BaseException:  # an interrupt: do not wait for the other feeds
            fetcher.interrupt()
            pool.shutdown(wait=False, cancel_futures=True)
            raise
        finally:
            pool.shutdown()


PAGES_PER_CHUNK = 25  # pages handed to an extraction process at a time


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


