"""BM25 search over a real DuckDB file with the FTS extension loaded from its wheel."""

from datetime import date, datetime

import pytest

from tests.warehouse.test_load import Row, Tag
from warehouse.db import open_warehouse
from warehouse.load import load_batch
from warehouse.search import refresh_index, refresh_search_index, search, snippet

T0 = datetime(2024, 7, 2, 6)
ROWS = [
    Row("a", "ka", "India signed a deal for Kamov helicopters with Rosoboronexport.", "h1",
        title="Helicopter deal", source="Wire", published_at=datetime(2024, 7, 1)),
    Row("b", "kb", "India signed a deal for Kamov helicopters with Rosoboronexport.", "h1",
        title="Helicopter deal", source="Reprint", published_at=datetime(2024, 7, 1)),
    Row("c", "kc", "Oil imports from Russia rose again; refiners in Jamnagar bought more crude.",
        "h2", title="Crude imports climb", source="Wire", published_at=datetime(2024, 7, 2)),
    Row("d", "kd", "Crude oil and crude oil again: the crude oil trade with O'Brien's fund.", "h3",
        title="Crude oil crude oil", source="Desk", published_at=datetime(2024, 7, 2)),
]
TAGS = [Tag("a", "defense"), Tag("c", "energy"), Tag("d", "energy"), Tag("d", "trade")]


@pytest.fixture
def con(db_path):
    with open_warehouse(db_path) as con:
        load_batch(con, ROWS, TAGS, [], T0)
        refresh_index(con, T0)
        yield con


def test_rare_term_finds_its_article_once_with_copies_folded(con):
    hits = search(con, "Rosoboronexport")
    assert [h.article_id for h in hits] == ["a"]
    assert hits[0].copies == 1 and hits[0].themes == ["defense"]
    assert "Rosoboronexport" in hits[0].snippet


def test_more_matches_rank_higher_and_filters_narrow(con):
    assert [h.article_id for h in search(con, "crude oil")] == ["d", "c"]
    assert [h.article_id for h in search(con, "crude", theme="trade")] == ["d"]
    assert [h.article_id for h in search(con, "crude", source="wire")] == ["c"]
    assert search(con, "helicopters", since=date(2024, 7, 2)) == []
    assert len(search(con, "crude", limit=1)) == 1


@pytest.mark.parametrize("query", ["O'Brien", "crude'; drop table articles; --", '"crude" OR 1=1',
                                   "$query ?", "\\' union select 1"])
def test_quotes_and_sql_in_the_query_are_data(con, query):
    search(con, query)  # no error, nothing run
    assert con.execute("select count(*) from articles").fetchone()[0] == 4


def test_index_is_rebuilt_only_when_articles_change(con):
    assert refresh_index(con, T0).rebuilt is False
    load_batch(con, [Row("e", "ke", "Zircon hypersonic missile test.", "h5", title="Zircon")],
               [], [], datetime(2024, 7, 3))
    assert search(con, "zircon") == []  # stale until refreshed
    state = refresh_index(con, datetime(2024, 7, 3))
    assert state.rebuilt and state.articles == 5
    assert [h.article_id for h in search(con, "zircon")] == ["e"]


def test_search_without_an_index_says_what_to_do(db_path):
    with open_warehouse(db_path) as con:
        with pytest.raises(LookupError, match="mediawatch ingest"):
            search(con, "anything")


def test_snippet_centres_on_the_first_match_by_stem():
    text = "word " * 100 + "sanctioned firms " + "tail " * 100
    cut = snippet(text, "sanctions", width=80)
    assert "sanctioned" in cut and cut.startswith("…") and cut.endswith("…")
    assert snippet("short text", "absent") == "short text"


def test_side_built_index_ranks_like_an_in_place_one(con, db_path):
    load_batch(con, [Row("e", "ke", "Zircon hypersonic missile test near the crude oil terminal.",
                         "h5", title="Zircon")], [], [], datetime(2024, 7, 3))
    con.close()
    state = refresh_search_index(db_path, datetime(2024, 7, 3), wait_s=5)
    assert state.rebuilt and state.articles == 5 and state.locked_s <= state.build_s
    with open_warehouse(db_path) as con:
        side_built = [(h.article_id, round(h.score, 9)) for h in search(con, "crude oil zircon")]
        refresh_index(con, datetime(2024, 7, 3), force=True)
        in_place = [(h.article_id, round(h.score, 9)) for h in search(con, "crude oil zircon")]
    assert side_built == in_place and side_built[0][0] == "e"
    assert refresh_search_index(db_path, datetime(2024, 7, 4), wait_s=5).rebuilt is False


def test_first_index_of_a_warehouse_is_built_in_place(db_path):
    with open_warehouse(db_path) as con:
        load_batch(con, ROWS, TAGS, [], T0)
    state = refresh_search_index(db_path, T0, wait_s=5)
    assert state.rebuilt and state.articles == 4
    with open_warehouse(db_path, read_only=True) as con:
        assert [h.article_id for h in search(con, "Rosoboronexport")] == ["a"]
