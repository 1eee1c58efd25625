"""Done-when of feed ingestion: a loopback feed of news pages, ingested twice.

Every page lands once, tracking parameters stripped, with text at least as good (the
extraction benchmark's F1) as plain trafilatura.extract; the second run sends conditional
GETs, gets 304s and fetches no page again.
"""

import duckdb
import pytest
import trafilatura

from benchmarks.extraction import match, score
from flows.ingest import ingest_flow
from tests.conftest import ROOT
from tests.webserver import WEB, web  # noqa: F401 - pytest fixture

PAGES = {  # stored canonical path -> fixture whose .txt is the true article body
    "/news/s400-deliveries.html": "news/s400-deliveries",
    "/news/oil-discount.html": "news/oil-discount",
    "/flaky/sanctions-pressure.html": "news/sanctions-pressure",
    "/busy/modi-moscow-visit.html": "news/modi-moscow-visit",
    "/gz/sanctions-reprint.html": "news/sanctions-reprint",
    "/ru/rossiya-indiya.html": "ru/rossiya-indiya",
    "/news/rupee-ruble-trade.html": "news/rupee-ruble-trade",
}


@pytest.fixture
def feed_env(monkeypatch, tmp_path, web):
    monkeypatch.setenv("MEDIAWATCH_ALLOW_PRIVATE_ADDRESSES", "1")
    monkeypatch.setenv("MEDIAWATCH_HOST_DELAY_S", "0")
    monkeypatch.setenv("MEDIAWATCH_FETCH_BACKOFF_S", "0.05")
    monkeypatch.setenv("MEDIAWATCH_EXTRACT_WORKERS", "1")
    feeds = tmp_path / "feeds.toml"
    feeds.write_text("".join(
        f'[[feeds]]\nname = "{name}"\nurl = "{web.base}/feeds/{file}"\n'
        for name, file in [("Delhi Desk", "rss2.xml"), ("Vestnik", "atom.xml"),
                           ("Defence Weekly", "rdf.xml"), ("Trade Monitor", "full-content.xml"),
                           ("Gone Feed", "missing.xml")]
    ) + f'[[feeds]]\nname = "Off"\nurl = "{web.base}/feeds/off.xml"\nenabled = false\n')
    empty_seeds = tmp_path / "seeds"
    empty_seeds.mkdir()
    return feeds, empty_seeds


def test_feed_pages_land_once_clean_and_a_second_run_is_conditional(
        feed_env, web, db_path, prefect_harness):
    feeds, seeds = feed_env
    first = ingest_flow(seeds=str(seeds), feeds=str(feeds), db=str(db_path))
    assert first["feeds_polled"] == 5 and first["not_modified"] == 0
    # 6 + 2 + 1 + 2 entries; the RDF one links the first RSS item's page, fetched once
    assert first["new_entries"] == 11
    assert web.hits["/news/s400-deliveries.html"] == 1
    assert web.hits["/feeds/off.xml"] == 0

    con = duckdb.connect(str(db_path), read_only=True)
    rows = con.execute("select url, text, feed, guid, duplicate_of, language, published_at "
                       "from articles").fetchall()
    by_path = {r[0].removeprefix(web.base): r[1:] for r in rows}  # text, feed, guid, dup, lang
    for path in PAGES:
        assert sum(1 for r in rows if r[0] == web.base + path) == 1, path
    assert not any(t in r[0] for r in rows for t in ("utm_", "fbclid", "gclid", "#"))
    # the entry whose page is gone was stored from its content:encoded
    fertiliser = by_path["/news/fertiliser-members-only.html"]
    assert "largest supplier of urea" in fertiliser[0]
    assert len(rows) == len(PAGES) + 1

    # text quality: the stored text against the true bodies, vs plain trafilatura
    ours, plain = [], []
    for path, fixture in PAGES.items():
        truth = (WEB / f"{fixture}.txt").read_text()
        html = (WEB / f"{fixture}.html").read_bytes().decode(
            "cp1251" if fixture.startswith("ru/") else "utf-8")
        ours.append(match(truth, by_path[path][0]))
        plain.append(match(truth, trafilatura.extract(html) or ""))
    assert score(ours)[2] >= score(plain)[2]
    stored_text = by_path["/news/s400-deliveries.html"][0]
    assert "S-400 Triumf" in stored_text
    site, author, published = con.execute(
        "select site_name, author, published_at from articles where url = ?",
        [web.base + "/news/s400-deliveries.html"]).fetchone()
    assert (site, author) == ("Delhi Defence Review", "Anita Rao")
    assert published.date().isoformat() == "2024-07-09"
    assert not any(junk in stored_text for junk in ("cookies", "Advertisement", "reader_42",
                                                    "Related stories", "All rights reserved"))
    assert "Россия и Индия обсудили в Москве" in by_path["/ru/rossiya-indiya.html"][0]
    assert by_path["/ru/rossiya-indiya.html"][4] == "ru"

    # the syndicated copy links to the first one and is not double counted
    original = con.execute("select article_id from articles where url = ?",
                           [web.base + "/flaky/sanctions-pressure.html"]).fetchone()[0]
    assert by_path["/gz/sanctions-reprint.html"][3] == original

    failures = dict(con.execute("select url, stage || ' ' || coalesce(http_status, 0) || ' ' "
                                "|| transient from ingest_failures").fetchall())
    assert failures[web.base + "/news/gone.html"] == "fetch 404 false"
    assert failures[web.base + "/feeds/missing.xml"] == "feed 404 false"
    assert failures[web.base + "/private/briefing.html"].startswith("fetch")
    feeds_state = {r[0]: r[1:] for r in con.execute(
        "select name, last_status, etag is not null, consecutive_failures from feeds").fetchall()}
    assert feeds_state["Delhi Desk"] == ("200", True, 0)
    assert feeds_state["Gone Feed"] == ("404", False, 1)
    con.close()

    page_requests = len([p for p, _ in web.log if not p.startswith("/feeds/")])
    log_start = len(web.log)
    second = ingest_flow(seeds=str(seeds), feeds=str(feeds), db=str(db_path))
    later = web.log[log_start:]
    assert second["not_modified"] == 4 and second["new_entries"] == 0 and second["stored"] == 0
    assert [p for p, _ in later if not p.startswith("/feeds/")] == []
    assert all(h.get("If-None-Match") for p, h in later if p != "/feeds/missing.xml")
    assert page_requests > 0
    con = duckdb.connect(str(db_path), read_only=True)
    assert con.execute("select count(*) from articles").fetchone()[0] == len(PAGES) + 1
    assert con.execute("select consecutive_failures from feeds where name = 'Gone Feed'"
                       ).fetchone()[0] == 2
    con.close()


def test_transient_failures_are_retried_on_later_runs_up_to_a_limit(
        feed_env, web, db_path, prefect_harness, monkeypatch):
    feeds, seeds = feed_env
    feeds.write_text(f'[[feeds]]\nname = "Outage"\nurl = "{web.base}/feeds/down.xml"\n')
    monkeypatch.setenv("MEDIAWATCH_FETCH_RETRIES", "0")
    monkeypatch.setenv("MEDIAWATCH_MAX_FETCH_ATTEMPTS", "2")
    runs = [ingest_flow(seeds=str(seeds), feeds=str(feeds), db=str(db_path)) for _ in range(3)]
    assert [r["not_modified"] for r in runs] == [0, 1, 1]
    # fetched on the first run, retried on the second though the feed said 304, then left alone
    assert web.hits["/down/oil-agreement.html"] == 2
    con = duckdb.connect(str(db_path), read_only=True)
    row = con.execute("select feed, stage, http_status, transient, attempts from ingest_failures "
                      "where url like '%/down/%'").fetchone()
    con.close()
    assert row == ("Outage", "fetch", 503, True, 2)


def test_missing_feed_lists(tmp_path, monkeypatch):
    from flows.feeds import read_feed_list

    monkeypatch.setenv("MEDIAWATCH_FEEDS", str(tmp_path / "absent.toml"))
    assert read_feed_list(None) == []  # the default list may be absent
    with pytest.raises(ValueError, match="absent.toml"):
        read_feed_list(str(tmp_path / "absent.toml"))
