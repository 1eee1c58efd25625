import duckdb
import pytest

from warehouse import db


def test_migrate_creates_public_names_and_is_idempotent(db_path):
    with db.open_warehouse(db_path) as con:
        version = db.schema_version(con)
        names = {r[0] for r in con.execute(
            "select table_name from information_schema.tables").fetchall()}
    assert version == db.migrations()[-1][0]
    assert {"articles", "article_themes", "theme_daily", "runs", "ingest_failures"} <= names
    with db.open_warehouse(db_path) as con:  # reopening applies nothing twice
        # one row per migration file (numbers may have gaps while branches are merged)
        assert con.execute("select count(*) from schema_version").fetchone()[0] == len(
            db.migrations())


def test_read_only_on_missing_file_says_what_to_do(tmp_path):
    with pytest.raises(FileNotFoundError, match="mediawatch ingest"):
        db.connect(tmp_path / "none.duckdb", read_only=True)


def test_articles_columns_match_the_contract(db_path):
    with db.open_warehouse(db_path) as con:
        cols = [r[0] for r in con.execute("describe articles").fetchall()]
    for name in ["article_id", "url", "source", "title", "author", "published_at", "ingested_at",
                 "day", "language", "text", "word_count", "tone", "duplicate_of"]:
        assert name in cols


def test_transaction_rolls_back_everything(db_path):
    with db.open_warehouse(db_path) as con:
        with pytest.raises(duckdb.Error):
            with db.transaction(con):
                con.execute("insert into runs (run_id, flow, started_at, status) "
                            "values ('r1', 'ingest', now()::timestamp, 'running')")
                con.execute("select * from no_such_table")
        assert con.execute("select count(*) from runs").fetchone()[0] == 0
