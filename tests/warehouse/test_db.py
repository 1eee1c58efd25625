import re
import subprocess
import sys

import duckdb
import pytest

from tests.conftest import ROOT
from warehouse import db, trend_counts


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


def test_database_made_with_schema_001_upgrades_in_place_keeping_its_rows(db_path):
    version, name, text = db.migrations()[0]
    assert version == 1
    db_path.parent.mkdir(parents=True)
    old = duckdb.connect(str(db_path))  # what a first release of mediawatch left behind
    db.schema_version(old)
    old.execute(text)
    old.execute("insert into schema_version values (1, ?, now()::timestamp)", [name])
    old.execute("insert into articles (article_id, key, source, title, published_at, ingested_at,"
                " day, text, content_hash) values"
                " ('a1', 'k1', 'wire', 'Old row', '2024-07-01 05:00', '2024-07-01 06:00',"
                "  '2024-07-01', 'kept text', 'h1'),"
                " ('a2', 'k2', 'wire', 'Undated', null, '2024-07-02 06:00', '2024-07-02', 't', 'h2'),"
                " ('a3', 'k3', 'wire', 'Far future', '9999-12-31', '2024-07-02 06:00',"
                "  '9999-12-31', 't', 'h3')")
    old.execute("insert into article_themes values ('a1', 'energy', 1.5, '{}', 'v0'),"
                " ('a2', 'energy', 1.5, '{}', 'v0'), ('a3', 'energy', 1.5, '{}', 'v0')")
    old.close()

    with db.open_warehouse(db_path) as con:
        applied = [r[0] for r in con.execute("select version from schema_version order by 1").fetchall()]
        row = con.execute("select title, text from articles where article_id = 'a1'").fetchone()
        daily = con.execute("select day::varchar, theme, articles, share from theme_daily").fetchall()
        tables = {r[0] for r in con.execute("select table_name from information_schema.tables").fetchall()}
        dates = con.execute("select article_id, day::varchar, date_source, published_at is null,"
                            " date_note from articles order by 1").fetchall()
        counts_match = trend_counts.counts_match(con)
    assert applied == [v for v, _, _ in db.migrations()]
    assert row == ("Old row", "kept text")
    # only the dated row counts; the 9999 date is not kept as a publication time
    assert daily == [("2024-07-01", "energy", 1, 1.0)]
    assert dates[:2] == [("a1", "2024-07-01", "published", False, None),
                         ("a2", "2024-07-02", "ingested", True, None)]
    assert dates[2][:4] == ("a3", "2024-07-02", "ingested", True)
    assert "9999-12-31T00:00:00 is more than 2 days after" in dates[2][4]
    assert counts_match
    assert {"search_index", "theme_trend", "source_daily", "latest_articles"} <= tables


def test_failed_migration_leaves_no_trace(db_path, monkeypatch):
    with db.open_warehouse(db_path):
        pass
    shipped = db.migrations()
    bad = (99, "099_bad.sql", "create table half_done (a int); select * from no_such_table;")
    monkeypatch.setattr(db, "migrations", lambda: [*shipped, bad])
    with pytest.raises(duckdb.CatalogException):
        db.connect(db_path)
    monkeypatch.undo()
    with db.open_warehouse(db_path, read_only=True) as con:
        tables = {r[0] for r in con.execute("select table_name from information_schema.tables").fetchall()}
        versions = [r[0] for r in con.execute("select version from schema_version").fetchall()]
    assert "half_done" not in tables
    assert 99 not in versions


def test_schema_newer_than_this_code_is_refused(db_path):
    with db.open_warehouse(db_path) as con:
        con.execute("insert into schema_version values (999, '999_future.sql', now()::timestamp)")
    with pytest.raises(db.SchemaTooNew, match="upgrade mediawatch"):
        db.connect(db_path)


def test_a_migration_numbered_below_the_newest_is_still_applied(db_path, monkeypatch):
    # A database that saw every migration but one in the middle (a branch merged late
    # brings it) gets the missing one on its next open. (013 adds tables of its own; one
    # that rewrites a table a later migration rewrote again could not be applied late.)
    shipped = db.migrations()
    late = next(m for m in shipped if m[1] == "013_alerts.sql")
    monkeypatch.setattr(db, "migrations", lambda: [m for m in shipped if m is not late])
    create_views = db.create_views
    monkeypatch.setattr(db, "create_views", lambda con: None)  # views need every table
    with db.open_warehouse(db_path) as con:
        assert late[0] not in {r[0] for r in con.execute("select version from schema_version")
                               .fetchall()}
    monkeypatch.setattr(db, "migrations", lambda: shipped)
    monkeypatch.setattr(db, "create_views", create_views)
    with db.open_warehouse(db_path) as con:
        versions = [r[0] for r in con.execute("select version from schema_version order by 1").fetchall()]
        con.execute("select * from watch_matches").fetchall()  # from 013, applied late
    assert versions == [v for v, _, _ in shipped]


def test_two_migrations_with_one_number_are_refused(tmp_path, monkeypatch):
    for name in ("001_a.sql", "001_b.sql"):
        (tmp_path / name).write_text("select 1;")
    monkeypatch.setattr(db, "MIGRATIONS_DIR", tmp_path)
    with pytest.raises(ValueError, match="001_a.sql, 001_b.sql"):
        db.migrations()


def record_applied(monkeypatch) -> list[int]:
    """Return the list the migrations' numbers are appended to as they are applied."""
    applied, apply = [], db.apply_migration

    def recording(con, version, name, text):
        applied.append(version)
        apply(con, version, name, text)

    monkeypatch.setattr(db, "apply_migration", recording)
    return applied


def test_a_fresh_database_applies_every_migration_once_in_number_order(db_path, monkeypatch):
    applied = record_applied(monkeypatch)
    with db.open_warehouse(db_path):
        pass
    with db.open_warehouse(db_path):
        pass
    shipped = [v for v, _, _ in db.migrations()]
    assert applied == shipped == sorted(shipped)


def test_a_database_from_before_the_gap_applies_the_rest_in_number_order(db_path, monkeypatch):
    # what a release with 001-004 left behind (then 007 was next: 005 and 006 have no file)
    db_path.parent.mkdir(parents=True)
    old = duckdb.connect(str(db_path))
    db.schema_version(old)
    for version, name, text in db.migrations():
        if version <= 4:
            old.execute(text)
            old.execute("insert into schema_version values (?, ?, now()::timestamp)",
                        [version, name])
    old.execute("insert into articles (article_id, key, source, title, ingested_at, day, text,"
                " content_hash) values ('a1', 'k1', 'wire', 'Old row', '2024-07-01 06:00',"
                " '2024-07-01', 'kept text', 'h1')")
    old.close()
    applied = record_applied(monkeypatch)
    with db.open_warehouse(db_path) as con:
        versions = [r[0] for r in con.execute(
            "select version from schema_version order by version").fetchall()]
        row = con.execute("select title, text from articles").fetchall()
    assert applied == [v for v, _, _ in db.migrations() if v > 4] == sorted(applied)
    assert versions == [v for v, _, _ in db.migrations()]
    assert row == [("Old row", "kept text")]


def test_every_migration_number_without_a_file_is_explained_beside_them():
    readme = (db.MIGRATIONS_DIR / "README.md").read_text(encoding="utf-8")
    explained = {int(n) for line in re.findall(r"^- ([\d, ]+):", readme, re.MULTILINE)
                 for n in line.split(",")}
    used = {version for version, _, _ in db.migrations()}
    missing = set(range(1, max(used))) - used
    assert sorted(missing - explained) == [], "say why in warehouse/sql/migrations/README.md"
    assert sorted(explained & used) == [], "a number explained as unused has a file now"


def test_the_fts_extension_signature_is_checked_once_a_process(tmp_path):
    # A process of its own: whether this one has checked it depends on earlier tests.
    code = """
import sys
from warehouse.db import connect
unsigned = lambda con: con.execute(
    "select current_setting('allow_unsigned_extensions')").fetchone()[0]
first = connect(sys.argv[1])
print(unsigned(first))  # the first connection checks the signature
first.close()
second = connect(sys.argv[1])
print(unsigned(second))  # the next ones load the file checked
print(second.execute("select count(*) from duckdb_extensions() "
                     "where extension_name = 'fts' and loaded").fetchone()[0])
"""
    out = subprocess.run([sys.executable, "-c", code, str(tmp_path / "mw.duckdb")],
                         cwd=ROOT, capture_output=True, text=True, check=True).stdout.split()
    assert out == ["False", "True", "1"]


def test_story_centroids_stored_as_json_become_lists_in_their_order(db_path, monkeypatch):
    # 021 turns `features` ({feature: [count, summed weight]}) into three lists; the
    # order is kept (trimming a centroid breaks ties by it) and a story without one keeps none.
    shipped = db.migrations()
    monkeypatch.setattr(db, "migrations", lambda: [m for m in shipped if m[0] < 21])
    with db.open_warehouse(db_path) as con:
        con.execute("insert into stories (story_id, first_seen, last_seen, articles, outlets,"
                    " members, features, updated_at) values"
                    " ('s1', now(), now(), 2, 2, 2, '{\"w:zeta\": [2, 3.5], \"a:Ind\": [1, 4.0],"
                    " \"n:400\": [2, 0.125]}', now()),"
                    " ('s2', now(), now(), 1, 1, 1, null, now())")
    monkeypatch.setattr(db, "migrations", lambda: shipped)
    with db.open_warehouse(db_path) as con:
        rows = con.execute("select story_id, feature_names, feature_counts, feature_weights"
                           " from stories order by story_id").fetchall()
        columns = {r[0] for r in con.execute("select column_name from information_schema.columns"
                                             " where table_name = 'stories'").fetchall()}
    assert rows == [("s1", ["w:zeta", "a:Ind", "n:400"], [2, 1, 2], [3.5, 4.0, 0.125]),
                    ("s2", None, None, None)]
    assert "features" not in columns
