"""Done-when of feed ingestion: a loopback feed of news pages, ingested twice.

Every page lands once, tracking parameters stripped, with text at least as good (the
extraction benchmark's F1) as plain trafilatura.extract; the second run sends conditional
GETs, gets 304s and fetches no page again.
"""

import shutil
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest
import trafilatura

from benchmarks.extraction import match, score
from flows.ingest import ingest_flow
from tests.webserver import WEB, WebServer, serve_web, web  # noqa: F401 - web: a fixture

PAGES = {  # stored canonical path -> fixture whose .txt is the true article body
    "/news/s400-deliveries.html": "news/s400-deliveries",
    "/news/oil-discount.html": "news/oil-discount",
    "/flaky/sanctions-pressure.html": "news/sanctions-pressure",
    "/busy/modi-moscow-visit.html": "news/modi-moscow-visit",
    "/gz/sanctions-reprint.html": "news/sanctions-reprint",
    "/ru/rossiya-indiya.html": "ru/rossiya-indiya",
    "/news/rupee-ruble-trade.html": "news/rupee-ruble-trade",
}


def write_feed_list(path, web):
    """Five feeds (one gone) and a disabled one, all on the loopback `web` server."""
    path.write_text("".join(
        f'[[feeds]]\nname = "{name}"\nurl = "{web.base}/feeds/{file}"\n'
        for name, file in [("Delhi Desk", "rss2.xml"), ("Vestnik", "atom.xml"),
                           ("Defence Weekly", "rdf.xml"), ("Trade Monitor", "full-content.xml"),
                           ("Gone Feed", "missing.xml")]
    ) + f'[[feeds]]\nname = "Off"\nurl = "{web.base}/feeds/off.xml"\nenabled = false\n')
    return path


FEED_SETTINGS = {"MEDIAWATCH_ALLOW_PRIVATE_ADDRESSES": "1", "MEDIAWATCH_HOST_DELAY_S": "0",
                 "MEDIAWATCH_FETCH_BACKOFF_S": "0.05", "MEDIAWATCH_EXTRACT_WORKERS": "1"}


@pytest.fixture
def feed_env(monkeypatch, tmp_path, web):
    for name, value in FEED_SETTINGS.items():
        monkeypatch.setenv(name, value)
    empty_seeds = tmp_path / "seeds"
    empty_seeds.mkdir()
    return write_feed_list(tmp_path / "feeds.toml", web), empty_seeds


@dataclass
class TwoRuns:
    """The feed list ingested twice into one warehouse; what each run saw and left."""

    web: WebServer
    first: dict
    first_hits: Counter  # the server's hit counts after the first run
    first_db: Path  # a copy of the warehouse as the first run left it
    second: dict
    second_log: list  # requests of the second run
    page_requests: int  # page (not feed) requests of the first run
    db: Path  # the warehouse after the second run

    def rows(self, query, params=(), db=None):
        con = duckdb.connect(str(db or self.first_db), read_only=True)
        try:
            return con.execute(query, params).fetchall()
        finally:
            con.close()


@pytest.fixture(scope="module")
def two_runs(tmp_path_factory, prefect_harness):
    """One pair of runs for every test below (each checks one behaviour of it)."""
    root = tmp_path_factory.mktemp("feeds")
    (root / "seeds").mkdir()
    db, first_db = root / "wh" / "mediawatch.duckdb", root / "first.duckdb"
    with serve_web() as web, pytest.MonkeyPatch.context() as env:
        for name, value in FEED_SETTINGS.items():
            env.setenv(name, value)
        feeds = write_feed_list(root / "feeds.toml", web)
        first = ingest_flow(seeds=str(root / "seeds"), feeds=str(feeds), db=str(db))
        first_hits = Counter(web.hits)
        shutil.copy(db, first_db)  # the flow has closed it: a copy is the first run's state
        page_requests = len([p for p, _ in web.log if not p.startswith("/feeds/")])
        log_start = len(web.log)
        second = ingest_flow(seeds=str(root / "seeds"), feeds=str(feeds), db=str(db))
        yield TwoRuns(web, first, first_hits, first_db, second, web.log[log_start:],
                      page_requests, db)


def test_first_run_polls_enabled_feeds_and_fetches_each_page_once(two_runs):
    first, hits = two_runs.first, two_runs.first_hits
    assert first["feeds_polled"] == 5 and first["not_modified"] == 0
    # 6 + 2 + 1 + 2 entries; the RDF one links the first RSS item's page, fetched once
    assert first["new_entries"] == 11
    assert hits["/news/s400-deliveries.html"] == 1
    assert hits["/feeds/off.xml"] == 0


def test_each_page_lands_once_without_tracking_parameters(two_runs):
    base = two_runs.web.base
    rows = two_runs.rows("select url, text from articles")
    for path in PAGES:
        assert sum(1 for r in rows if r[0] == base + path) == 1, path
    assert not any(t in r[0] for r in rows for t in ("utm_", "fbclid", "gclid", "#"))
    # the entry whose page is gone was stored from its content:encoded
    texts = {url.removeprefix(base): text for url, text in rows}
    assert "largest supplier of urea" in texts["/news/fertiliser-members-only.html"]
    assert len(rows) == len(PAGES) + 1


def test_stored_text_is_at_least_as_good_as_plain_trafilatura(two_runs):
    base = two_runs.web.base
    texts = {url.removeprefix(base): text
             for url, text in two_runs.rows("select url, text from articles")}
    ours, plain = [], []
    for path, fixture in PAGES.items():
        truth = (WEB / f"{fixture}.txt").read_text()
        html = (WEB / f"{fixture}.html").read_bytes().decode(
            "cp1251" if fixture.startswith("ru/") else "utf-8")
        ours.append(match(truth, texts[path]))
        plain.append(match(truth, trafilatura.extract(html) or ""))
    assert score(ours)[2] >= score(plain)[2]
    stored_text = texts["/news/s400-deliveries.html"]
    assert "S-400 Triumf" in stored_text
    assert not any(junk in stored_text for junk in ("cookies", "Advertisement", "reader_42",
                                                    "Related stories", "All rights reserved"))
    assert "Россия и Индия обсудили в Москве" in texts["/ru/rossiya-indiya.html"]


def test_page_metadata_and_language_are_stored(two_runs):
    base = two_runs.web.base
    [(site, author, published)] = two_runs.rows(
        "select site_name, author, published_at from articles where url = ?",
        [base + "/news/s400-deliveries.html"])
    assert (site, author) == ("Delhi Defence Review", "Anita Rao")
    assert published.date().isoformat() == "2024-07-09"
    assert two_runs.rows("select language from articles where url = ?",
                         [base + "/ru/rossiya-indiya.html"]) == [("ru",)]


def test_the_syndicated_copy_links_to_the_first_one(two_runs):
    base = two_runs.web.base
    [(original,)] = two_runs.rows("select article_id from articles where url = ?",
                                  [base + "/flaky/sanctions-pressure.html"])
    assert two_runs.rows("select duplicate_of from articles where url = ?",
                         [base + "/gz/sanctions-reprint.html"]) == [(original,)]


def test_failed_pages_and_feeds_are_recorded_with_their_state(two_runs):
    base = two_runs.web.base
    failures = dict(two_runs.rows("select url, stage || ' ' || coalesce(http_status, 0) || ' ' "
                                  "|| transient from ingest_failures"))
    assert failures[base + "/news/gone.html"] == "fetch 404 false"
    assert failures[base + "/feeds/missing.xml"] == "feed 404 false"
    assert failures[base + "/private/briefing.html"].startswith("fetch")
    feeds_state = {r[0]: r[1:] for r in two_runs.rows(
        "select name, last_status, etag is not null, consecutive_failures from feeds")}
    assert feeds_state["Delhi Desk"] == ("200", True, 0)
    assert feeds_state["Gone Feed"] == ("404", False, 1)


def test_second_run_is_conditional_and_fetches_no_page_again(two_runs):
    second, later = two_runs.second, two_runs.second_log
    assert second["not_modified"] == 4 and second["new_entries"] == 0 and second["stored"] == 0
    assert [p for p, _ in later if not p.startswith("/feeds/")] == []
    assert all(h.get("If-None-Match") for p, h in later if p != "/feeds/missing.xml")
    assert two_runs.page_requests > 0
    db = two_runs.db
    assert two_runs.rows("select count(*) from articles", db=db) == [(len(PAGES) + 1,)]
    assert two_runs.rows("select consecutive_failures from feeds where name = 'Gone Feed'",
                         db=db) == [(2,)]


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
