"""Extraction in a process pool gives what in-process extraction gives."""

import multiprocessing

from extractors.pipeline import process_batch
from extractors.records import SourceDocument
from extractors.taxonomy import load_taxonomy
from flows.feeds import process_parallel, shutdown_pool
from flows.ingest import warm_extraction
from tests.webserver import WEB


def test_pool_matches_in_process(monkeypatch):
    monkeypatch.setenv("MEDIAWATCH_EXTRACT_WORKERS", "2")
    pages = sorted((WEB / "news").glob("*.html"))
    docs = [SourceDocument(key=f"k{i}-{p.name}", origin="feed", source="t", location=p.name,
                           html=p.read_text()) for i in range(2) for p in pages]
    tax = load_taxonomy(None)
    try:
        pooled = process_parallel(docs, tax)
    finally:
        shutdown_pool()
    inline = process_batch(docs, tax)
    assert len(docs) >= 8 and len(pooled.articles) == len(docs)
    assert [a.text for a in pooled.articles] == [a.text for a in inline.articles]
    assert {(t.article_id, t.theme) for t in pooled.tags} == \
        {(t.article_id, t.theme) for t in inline.tags}


def test_warm_extraction_starts_every_process_before_any_batch(monkeypatch, tmp_path):
    """The processes load the extractor while Prefect's server starts, not at the first batch
    (a process pool otherwise starts its processes one submitted task at a time)."""
    monkeypatch.setenv("MEDIAWATCH_EXTRACT_WORKERS", "3")
    feeds = tmp_path / "feeds.toml"
    feeds.write_text('[[feeds]]\nname = "f"\nurl = "http://127.0.0.1:9/feed.xml"\n')
    before = set(multiprocessing.active_children())
    try:
        warm_extraction(str(feeds), None)
        started = set(multiprocessing.active_children()) - before
        assert len(started) == 3
    finally:
        shutdown_pool()
