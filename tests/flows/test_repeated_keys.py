"""Issue #21 case 1: a repeated key is one article, never a crash.

Within a batch, across batches and across files the first document with a key wins; the
rest are counted as duplicates. Fixtures: JSONL and text seeds written here, and a loopback
aggregator feed whose two links redirect to one page.
"""

import json

import duckdb
import pytest

from flows.ingest import ingest_flow
from tests.webserver import web  # noqa: F401 - pytest fixture

TEXT = "India and Russia signed an oil and defence agreement in Moscow on Monday, officials said."


def record(i, **extra):
    return {"id": f"r{i}", "title": f"Report {i}", "text": f"{TEXT} Report {i}.", **extra}


def write_jsonl(path, records):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(json.dumps(r) + "\n" for r in records))


def rows(db, query):
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(query).fetchall()
    finally:
        con.close()


@pytest.fixture
def seeds_root(tmp_path, monkeypatch):
    root = tmp_path / "seeds"
    root.mkdir()
    monkeypatch.setenv("MEDIAWATCH_SEEDS", str(root))
    return root


def test_an_exact_duplicate_line_in_one_batch_is_one_article(seeds_root, db_path, prefect_harness):
    line = record(1, url="https://e.org/a", source="Wire")
    write_jsonl(seeds_root / "wire.jsonl", [line, line, record(2)])
    summary = ingest_flow(seeds=str(seeds_root), db=str(db_path))
    assert (summary["seen"], summary["stored"], summary["duplicates"]) == (3, 2, 1)
    assert rows(db_path, "select count(*), count(distinct article_id) from articles") == [(2, 2)]
    # actors (the table that raised "duplicate key") hold one set per article
    assert rows(db_path, "select count(*) from (select article_id, actor from article_actors "
                         "group by all having count(*) > 1)") == [(0,)]


def test_the_same_ids_in_two_files_across_batches_are_two_sets_of_articles(
        seeds_root, db_path, prefect_harness):
    write_jsonl(seeds_root / "a.jsonl", [record(i) for i in range(3)])
    write_jsonl(seeds_root / "b.jsonl", [record(i) | {"text": f"Other text {i}. {TEXT}"}
                                         for i in range(3)])
    summary = ingest_flow(seeds=str(seeds_root), db=str(db_path), batch_size=2)
    assert (summary["stored"], summary["duplicates"]) == (6, 0)
    assert rows(db_path, "select count(*) from articles") == [(6,)]  # "6 stored" is 6 rows


def test_the_same_url_in_two_files_first_wins_across_batches(seeds_root, db_path, prefect_harness):
    write_jsonl(seeds_root / "a.jsonl", [record(1, url="https://e.org/x", title="First copy")])
    write_jsonl(seeds_root / "b.jsonl", [record(2), record(3, url="https://e.org/x?utm_source=rss",
                                                            title="Second copy")])
    summary = ingest_flow(seeds=str(seeds_root), db=str(db_path), batch_size=1)
    assert (summary["stored"], summary["duplicates"]) == (2, 1)
    assert rows(db_path, "select title from articles where key = 'https://e.org/x'") == [("First copy",)]
    again = ingest_flow(seeds=str(seeds_root), db=str(db_path), batch_size=1)
    # unchanged files are skipped unread: nothing reaches the load, the first copy stays
    assert (again["seen"], again["stored"], again["seed_files_unchanged"]) == (0, 0, 2)
    assert rows(db_path, "select title from articles where key = 'https://e.org/x'") == [("First copy",)]


def test_two_folders_with_the_same_file_name_are_two_articles(seeds_root, db_path, prefect_harness):
    for day in ("day1", "day2"):
        (seeds_root / day).mkdir()
        (seeds_root / day / "article1.txt").write_text(f"News of {day}\n{TEXT} It was {day}.")
    ingest_flow(seeds=str(seeds_root / "day1"), db=str(db_path))
    ingest_flow(seeds=str(seeds_root / "day2"), db=str(db_path))
    assert rows(db_path, "select key, title from articles order by key") == [
        ("seed:day1/article1.txt", "News of day1"), ("seed:day2/article1.txt", "News of day2")]
    # the whole root later: the same two files (named from the root), skipped as unchanged
    summary = ingest_flow(seeds=str(seeds_root), db=str(db_path))
    assert (summary["stored"], summary["seed_files_unchanged"]) == (0, 2)


def test_two_feed_entries_redirecting_to_one_page_are_one_article(
        seeds_root, tmp_path, web, db_path, prefect_harness, monkeypatch):
    monkeypatch.setenv("MEDIAWATCH_ALLOW_PRIVATE_ADDRESSES", "1")
    monkeypatch.setenv("MEDIAWATCH_HOST_DELAY_S", "0")
    monkeypatch.setenv("MEDIAWATCH_EXTRACT_WORKERS", "1")
    feeds = tmp_path / "feeds.toml"
    feeds.write_text(f'[[feeds]]\nname = "Aggregator"\nurl = "{web.base}/feeds/aggregator.xml"\n')
    summary = ingest_flow(seeds=str(seeds_root), feeds=str(feeds), db=str(db_path))
    assert (summary["new_entries"], summary["stored"], summary["duplicates"]) == (3, 2, 1)
    assert rows(db_path, "select count(*) from articles where url = ?".replace(
        "?", f"'{web.base}/news/s400-deliveries.html'")) == [(1,)]
