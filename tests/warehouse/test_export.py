"""Exports and ad hoc result formats, read back with independent readers."""

import csv
import json
from datetime import datetime

import pyarrow.parquet as pq
import pytest

from tests.records import make_article, make_tag
from warehouse.db import open_warehouse
from warehouse.export import export, table_relation
from warehouse.load import load_batch
from warehouse.query import format_result


@pytest.fixture
def con(db_path):
    with open_warehouse(db_path) as con:
        load_batch(con, [make_article("a", "ka", "x", "h1", title="A | pipe\nand newline",
                             published_at=datetime(2024, 7, 1)),
                         make_article("b", "kb", "y", "h2", published_at=datetime(2024, 7, 2))],
                   [make_tag("a", "energy"), make_tag("b", "energy")], [], datetime(2024, 7, 3))
        yield con


def test_table_export_in_every_format_reads_back(con, tmp_path):
    expected = con.execute("select count(*) from theme_trend").fetchone()[0]
    assert export(table_relation(con, "theme_trend"), "parquet", tmp_path / "t.parquet") == expected
    assert pq.read_table(tmp_path / "t.parquet").num_rows == expected
    export(table_relation(con, "theme_trend"), "csv", tmp_path / "t.csv")
    rows = list(csv.DictReader((tmp_path / "t.csv").open()))
    assert len(rows) == expected and set(rows[0]) >= {"day", "theme", "avg_7d", "is_spike"}
    export(con.sql("select day, themes from latest_articles order by day"), "json", tmp_path / "l.json")
    lines = [json.loads(line) for line in (tmp_path / "l.json").read_text().splitlines()]
    assert lines == [{"day": "2024-07-01", "themes": ["energy"]}, {"day": "2024-07-02", "themes": ["energy"]}]
    assert not list(tmp_path.glob(".*partial"))


def test_unknown_table_is_refused_with_the_list(con, tmp_path):
    with pytest.raises(ValueError, match="theme_trend"):
        table_relation(con, "articles; drop table articles")
    assert con.execute("select count(*) from articles").fetchone()[0] == 2


def test_markdown_format_escapes_pipes_and_aligns_numbers(con):
    text = format_result(con.execute("select title, word_count from articles order by article_id"),
                         "markdown")
    lines = text.splitlines()
    assert lines[0] == "| title | word_count |"
    assert lines[1] == "| --- | ---: |"
    assert lines[2] == "| A \\| pipe and newline | 3 |"
    assert len(lines) == 4
