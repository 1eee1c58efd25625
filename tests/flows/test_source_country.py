"""articles.source_country end to end: JSONL seeds, the feed list, and seeds/sources.toml."""

import json

import duckdb
import pytest

from flows.ingest import ingest_flow
from tests.webserver import web  # noqa: F401 - pytest fixture


@pytest.fixture
def env(monkeypatch, tmp_path, web):
    monkeypatch.setenv("MEDIAWATCH_ALLOW_PRIVATE_ADDRESSES", "1")
    monkeypatch.setenv("MEDIAWATCH_HOST_DELAY_S", "0")
    monkeypatch.setenv("MEDIAWATCH_EXTRACT_WORKERS", "1")
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    records = [
        {"id": "r1", "title": "Путин провёл совещание", "text": "Президент России провёл "
         "совещание с членами правительства.", "source": "RIA Novosti"},
        {"id": "r2", "title": "Modi meets Putin", "text": "The two leaders met in Moscow.",
         "source": "Wire", "source_country": "India"},
        {"id": "r3", "title": "A local story", "text": "Nothing about anyone abroad here.",
         "source": "Unknown Gazette"},
    ]
    (seeds / "wire.jsonl").write_text(
        "\n".join(json.dumps(r, ensure_ascii=False) for r in records) + "\n")
    # the seeds folder's registry names one of the feeds below
    (seeds / "sources.toml").write_text('[[sources]]\nname = "Vestnik"\ncountry = "Russia"\n')
    feeds = tmp_path / "feeds.toml"
    feeds.write_text(f'[[feeds]]\nname = "Delhi Desk"\nurl = "{web.base}/feeds/rss2.xml"\n'
                     'country = "India"\n'
                     f'[[feeds]]\nname = "Vestnik"\nurl = "{web.base}/feeds/atom.xml"\n')
    return seeds, feeds


def test_each_article_has_its_outlets_home_country(env, db_path, prefect_harness):
    seeds, feeds = env
    ingest_flow(seeds=str(seeds), feeds=str(feeds), db=str(db_path))
    con = duckdb.connect(str(db_path), read_only=True)
    seeded = dict(con.execute("select key, source_country from articles where origin = 'seed'"
                              ).fetchall())
    by_feed = con.execute("select feed, list(distinct source_country) from articles "
                          "where origin = 'feed' group by feed order by feed").fetchall()
    con.close()
    # keys are jsonl:<file>#<id> (ids are scoped to their file: extractors/keys.py)
    assert {k.rsplit("#", 1)[1]: v for k, v in seeded.items()} == {
        "r1": "Russia", "r2": "India", "r3": None}
    assert by_feed == [("Delhi Desk", ["India"]), ("Vestnik", ["Russia"])]
