from dataclasses import dataclass, field
from datetime import datetime

from warehouse.db import open_warehouse
from warehouse.load import load_batch

T0 = datetime(2024, 7, 8, 6, 0)
T1 = datetime(2024, 7, 9, 6, 0)


@dataclass
class Row:
    article_id: str
    key: str
    text: str
    content_hash: str
    published_at: datetime | None = None
    source: str = "wire"
    title: str = "t"
    url: str | None = None
    word_count: int = 3
    simhash: int = 0
    origin: str = "seed"


@dataclass
class Tag:
    article_id: str
    theme: str
    score: float = 1.0
    evidence: dict = field(default_factory=lambda: {"terms": {"oil": 1}, "sentences": []})
    taxonomy_version: str = "v1"


@dataclass
class Fail:
    location: str
    source: str = "seed"
    stage: str = "seed"
    reason: str = "invalid JSON"
    http_status: int | None = None
    transient: bool = False


def test_load_is_idempotent_and_links_exact_copies(db_path):
    a = Row("a", "k-a", "oil deal", "h1", published_at=datetime(2024, 7, 1, 23, 0))
    b = Row("b", "k-b", "oil deal", "h1")  # same text at another key: a syndicated copy
    with open_warehouse(db_path) as con:
        first = load_batch(con, [a, b], [Tag("a", "energy"), Tag("b", "energy")], [Fail("x:1")], T0)
        again = load_batch(con, [a, b], [Tag("a", "energy"), Tag("b", "energy")], [Fail("x:1")], T1)
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
        load_batch(con, [Row("a", "k", "old", "h1")], [Tag("a", "energy")], [], T0)
        counts = load_batch(con, [Row("a", "k", "new", "h2")], [Tag("a", "defense")], [], T1)
        text, ingested = con.execute("select text, ingested_at from articles").fetchone()
        themes = con.execute("select theme from article_themes").fetchall()
    assert counts.updated == 1 and text == "new" and ingested == T0
    assert themes == [("defense",)]


def test_loaded_article_resolves_its_earlier_failure(db_path):
    with open_warehouse(db_path) as con:
        load_batch(con, [], [], [Fail("https://e.org/a", stage="fetch", transient=True)], T0)
        load_batch(con, [Row("a", "https://e.org/a", "text", "h", url="https://e.org/a")], [], [], T1)
        assert con.execute("select resolved_at from ingest_failures").fetchone()[0] == T1


@dataclass
class CountryRow(Row):
    source_country: str | None = None


def test_source_country_is_stored_and_follows_a_changed_text(db_path):
    with open_warehouse(db_path) as con:
        load_batch(con, [CountryRow("a", "k", "old", "h1", source_country="Russia"),
                         CountryRow("b", "k2", "other", "h2")], [], [], T0)
        load_batch(con, [CountryRow("a", "k", "new", "h3", source_country="India")], [], [], T1)
        rows = con.execute("select article_id, source_country from articles order by 1").fetchall()
    assert rows == [("a", "India"), ("b", None)]
