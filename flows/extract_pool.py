"""Extraction in a process pool: pages are parsed (lxml, CPU-bound) by spawned processes
that each load the extractor, the taxonomy and the gazetteer once. Module state, because
the pool outlives a batch: the seed and the feed paths of one ingest share it, and an
interrupt must reach it from any thread (stop_extraction)."""

from __future__ import annotations

import multiprocessing
import os
import threading
from concurrent.futures import CancelledError, Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from extractors.actors import Gazetteer
from extractors.fetch import interrupt_all
from extractors.pipeline import BatchResult, process_batch, start_worker
from extractors.records import SourceDocument
from extractors.taxonomy import Taxonomy

from . import settings

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
