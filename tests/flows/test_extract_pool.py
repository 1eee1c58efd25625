"""Extraction in a process pool gives what in-process extraction gives."""

from extractors.pipeline import process_batch
from extractors.records import SourceDocument
from extractors.taxonomy import load_taxonomy
from flows.extract_pool import process_parallel, shutdown_pool
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
