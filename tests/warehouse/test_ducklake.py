"""The warehouse mirrored into a real local DuckLake (DuckDB catalog file + Parquet files)."""

import duckdb
from datetime import datetime

from tests.records import T0, T1, make_article, make_failure, make_tag
from warehouse.db import open_warehouse
from warehouse.ducklake import extension_file, mirror, open_lake
from warehouse.load import load_batch

TABLES = ["article_themes", "articles", "ingest_failures", "runs"]


def snapshot(con, tables=TABLES) -> dict:
    """Every row of every table and of theme_daily, sorted (the lake has no row order)."""
    names = [*tables, "theme_daily"]
    return {t: sorted(con.execute(f"select * from {t}").fetchall(), key=repr) for t in names}


def mirror_into(db_path, lake_dir):
    with open_warehouse(db_path, read_only=True) as con:
        counts = mirror(con, str(lake_dir / "catalog.ducklake"), str(lake_dir / "files"))
        return counts, snapshot(con)


def read_lake(lake_dir) -> dict:
    con = open_lake(str(lake_dir / "catalog.ducklake"), str(lake_dir / "files"))
    try:
        return snapshot(con)
    finally:
        con.close()


def test_the_extension_loads_from_its_wheel():
    assert extension_file() is not None  # offline: never a download


def test_mirror_copies_tables_and_views_then_only_what_changed(db_path, tmp_path):
    lake = tmp_path / "lake"
    articles = [make_article("a", "k-a", "oil deal signed", "h1", published_at=datetime(2024, 7, 1, 9)),
                make_article("b", "k-b", "S-400 deliveries", "h2", published_at=datetime(2024, 7, 1, 10)),
                make_article("c", "k-c", "oil deal signed", "h1")]
    tags = [make_tag("a", "energy"), make_tag("b", "defense"), make_tag("c", "energy")]
    with open_warehouse(db_path) as con:
        load_batch(con, articles, tags, [make_failure("wire.jsonl:4")], T0)
        con.execute("insert into runs (run_id, flow, started_at, status) values ('r1', 'ingest', ?,"
                    " 'completed')", [T0])

    first, warehouse = mirror_into(db_path, lake)
    assert {t: n for t, n in first.inserted.items() if n} == {
        "article_themes": 3, "articles": 3, "ingest_failures": 1, "runs": 1,
        "search_index": 1,  # the load indexed its articles
        "daily_counts": 1, "daily_theme_counts": 2, "warehouse_settings": 1,
        "stories": 2}  # a and its copy c are one story
    with duckdb.connect(str(db_path), read_only=True) as con:
        views = sorted(r[0] for r in con.execute(
            "select view_name from duckdb_views() where not internal union"
            " select function_name from duckdb_functions()"
            " where function_type in ('macro', 'table_macro') and schema_name = 'main'"
            " and not internal").fetchall())
    assert sorted(first.views) == views and "theme_daily" in views and not first.view_errors
    assert read_lake(lake) == warehouse

    again, _ = mirror_into(db_path, lake)
    assert set(again.inserted.values()) == {0} and set(again.deleted.values()) == {0}
    assert again.snapshot > first.snapshot

    # b's text changes (its tags are replaced), a failure is resolved, a run is deleted
    with open_warehouse(db_path) as con:
        load_batch(con, [make_article("b", "k-b", "S-400 and Su-57", "h3")], [make_tag("b", "technology")], [], T1)
        con.execute("delete from runs where run_id = 'r1'")
    third, warehouse = mirror_into(db_path, lake)
    assert (third.inserted["articles"], third.deleted["articles"]) == (1, 1)
    assert third.deleted["runs"] == 1
    assert read_lake(lake) == warehouse
