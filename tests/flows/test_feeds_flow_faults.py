"""Hostile feeds through the ingest flow, served from 127.0.0.1 with private addresses NOT
allowed (only the hostile server's host:port is): what can be read lands once, each bad feed
is one recorded failure, nothing from /etc/passwd is stored."""

import duckdb
import pytest

from extractors.feeds import FeedSpec
from extractors.fetch import Fetcher
from extractors.feeds import poll_feed
from flows.feeds import fetch_policy
from flows.ingest import ingest_flow
from tests import hostile_feeds as hf
from tests.hostile_web import hostile, hostile_settings  # noqa: F401 - hostile: a fixture
from warehouse.db import open_warehouse
from warehouse.feeds import entries_to_fetch

B = "{BASE}"
FEEDS = {
    "malformed.xml": hf.malformed(
        hf.item(f"{B}/good/chabahar-corridor.html", "Corridor test", f"{B}/g/1"),
        hf.item(f"{B}/news/s400-deliveries.html", "S-400", f"{B}/g/2"),
        after=hf.item(f"{B}/news/oil-discount.html", "Oil", f"{B}/g/3")),
    "lol.xml": hf.rss("Laughs", hf.item(f"{B}/good/brahmos-talks.html", "&lol9;"),
                      prolog=hf.LAUGHS),
    "xxe.xml": hf.rss("XXE", hf.item(f"{B}/news/sanctions-pressure.html", "Leak &xxe;", None,
                                     "&xxe;"), prolog=hf.XXE_TRICKY),
    "served-as-html.xml": hf.rss("HTML type", hf.item(f"{B}/news/modi-moscow-visit.html", "Modi")),
    "octet.xml": hf.rss("Octets", hf.item(f"{B}/news/rupee-ruble-trade.html", "Rupee")),
    "page.xml": "<!DOCTYPE html><html><body><h1>Welcome</h1><p>No feed here.</p></body></html>",
    "dup-a.xml": hf.rss("Dup A", *[hf.item(f"{B}/news/sanctions-reprint.html", t, "dup-1")
                                   for t in ("Reprint", "Reprint again")]),
    "dup-b.xml": hf.rss("Dup B", hf.item(f"{B}/news/sanctions-reprint.html", "Reprint", "dup-1")),
}
TYPES = {"served-as-html.xml": "text/html; charset=utf-8", "octet.xml": "application/octet-stream",
         "page.xml": "application/rss+xml"}
LANDED = ["/good/chabahar-corridor.html", "/news/s400-deliveries.html", "/news/oil-discount.html",
          "/good/brahmos-talks.html", "/news/sanctions-pressure.html",
          "/news/modi-moscow-visit.html", "/news/rupee-ruble-trade.html",
          "/news/sanctions-reprint.html"]


@pytest.fixture
def hostile_env(monkeypatch, tmp_path, hostile):
    for name, value in hostile_settings(hostile).items():
        monkeypatch.setenv(name, value)
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    return seeds


def feed_list(tmp_path, hostile, names) -> str:
    path = tmp_path / "feeds.toml"
    path.write_text("".join(f'[[feeds]]\nname = "{n}"\nurl = "{hostile.base}/feeds/{n}"\n'
                            for n in names))
    return str(path)


def test_hostile_feeds_land_what_is_readable_and_record_the_rest(
        hostile_env, hostile, tmp_path, db_path, prefect_harness):
    hostile.feeds.update(FEEDS)
    hostile.feed_types.update(TYPES)
    feeds = feed_list(tmp_path, hostile, FEEDS)
    first = ingest_flow(seeds=str(hostile_env), feeds=feeds, db=str(db_path))
    second = ingest_flow(seeds=str(hostile_env), feeds=feeds, db=str(db_path))
    assert second["stored"] == 0 and second["seen"] <= first["seen"]

    con = duckdb.connect(str(db_path), read_only=True)
    urls = [r[0].removeprefix(hostile.base)
            for r in con.execute("select url from articles").fetchall()]
    failures = {r[0].removeprefix(hostile.base): r[1:] for r in con.execute(
        "select url, stage, reason, transient from ingest_failures").fetchall()}
    # each once, the duplicated GUIDs included (the failures say why one is missing: it was
    # missing once in CI, two pages of the feeds served with the wrong type, not reproduced)
    assert sorted(urls) == sorted(LANDED), (  # a string: pytest shortens a tuple's repr
        f"missing {sorted(set(LANDED) - set(urls))}, extra {sorted(set(urls) - set(LANDED))}; "
        f"failures {failures}; first run {first}; second run {second}")
    assert hostile.hits["/news/sanctions-reprint.html"] == 1
    assert failures["/feeds/malformed.xml"][1].startswith("malformed XML (line")
    assert "ignored, not expanded" in failures["/feeds/lol.xml"][1]
    assert "ignored, not expanded" in failures["/feeds/xxe.xml"][1]
    assert "serves an HTML page" in failures["/feeds/page.xml"][1]
    assert {k for k in failures if k.startswith("/feeds/")} == {
        "/feeds/malformed.xml", "/feeds/lol.xml", "/feeds/xxe.xml", "/feeds/page.xml"}
    assert all(stage in ("feed", "fetch") for stage, *_ in failures.values())
    # nothing of /etc/passwd, and no expanded entity, anywhere a user can read
    stored = " ".join(str(v) for table in ("articles", "ingest_failures", "feeds")
                      for row in con.execute(f"select * from {table}").fetchall() for v in row)
    assert "root:" not in stored and "lollol" not in stored
    con.close()


def test_ten_thousand_entry_feed_is_polled_and_planned(hostile_env, hostile, db_path):
    hostile.feeds["big.xml"] = hf.big_feed(10_000)
    feed = FeedSpec("Firehose", f"{hostile.base}/feeds/big.xml")
    with Fetcher(fetch_policy()) as fetcher:
        poll = poll_feed(fetcher, feed, None)
    assert poll.ok and len(poll.entries) == 10_000, poll.error
    with open_warehouse(str(db_path)) as con:
        assert len(entries_to_fetch(con, poll.entries, 5)) == 10_000
