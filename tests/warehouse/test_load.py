from datetime import datetime

from tests.records import T0, T1, make_article, make_failure, make_tag
from warehouse.db import open_warehouse
from warehouse.load import load_batch


def test_load_is_idempotent_and_links_exact_copies(db_path):
    a = make_article("a", "k-a", "oil deal", "h1", published_at=datetime(2024, 7, 1, 23, 0))
    b = make_article("b", "k-b", "oil deal", "h1")  # same text at another key: a syndicated copy
    with open_warehouse(db_path) as con:
        first = load_batch(con, [a, b], [make_tag("a", "energy"), make_tag("b", "energy")], [make_failure("x:1")], T0)
        again = load_batch(con, [a, b], [make_tag("a", "energy"), make_tag("b", "energy")], [make_failure("x:1")], T1)
        rows = con.execute("select article_id, duplicate_of, day, ingested_at from articles "
                           "order by article_id").fetchall()
        daily = con.execute("select day, theme, articles, share from theme_daily order by day").fetchall()
        failure = con.execute("select attempts, first_seen, last_seen from ingest_failures").fetchone()
    assert (first.inserted, first.duplicates, first.failures) == (2, 1, 1)
    assert (again.inserted, again.updated, again.unchanged) == (0, 0, 2)
    assert rows == [("a", None, datetime(2024, 7, 1).date(), T0), ("b", "a", T0.date(), T0)]
    # the copy counts once: day 2024-07-01 has a, b is a duplicate and is not counted
    assert daily == [(datetime(2024, 7, 1).date(), "energy", 1, 1.0)]
    assert failure == (2, T0, T1)


def test_changed_text_updates_in_place_and_replaces_tags(db_path):
    with open_warehouse(db_path) as con:
        load_batch(con, [make_article("a", "k", "old", "h1")], [make_tag("a", "energy")], [], T0)
        counts = load_batch(con, [make_article("a", "k", "new", "h2")], [make_tag("a", "defense")], [], T1)
        text, ingested = con.execute("select text, ingested_at from articles").fetchone()
        themes = con.execute("select theme from article_themes").fetchall()
    assert counts.updated == 1 and text == "new" and ingested == T0
    assert themes == [("defense",)]


def test_loaded_article_resolves_its_earlier_failure(db_path):
    with open_warehouse(db_path) as con:
        load_batch(con, [], [], [make_failure("https://e.org/a", stage="fetch", transient=True)], T0)
        load_batch(con, [make_article("a", "https://e.org/a", "text", "h", url="https://e.org/a")], [], [], T1)
        assert con.execute("select resolved_at from ingest_failures").fetchone()[0] == T1


def test_source_country_is_stored_and_follows_a_changed_text(db_path):
    with open_warehouse(db_path) as con:
        load_batch(con, [make_article("a", "k", "old", "h1", source_country="Russia"),
                         make_article("b", "k2", "other", "h2")], [], [], T0)
        load_batch(con, [make_article("a", "k", "new", "h3", source_country="India")], [], [], T1)
        rows = con.execute("select article_id, source_country from articles order by 1").fetchall()
    assert rows == [("a", "India"), ("b", None)]
