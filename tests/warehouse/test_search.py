"""BM25 search over a real DuckDB file with the FTS extension loaded from its wheel."""

import random
from datetime import date, datetime

import pytest

from tests.records import make_article, make_tag
from warehouse.db import open_warehouse
from warehouse.load import load_batch
from warehouse.search import refresh_index, refresh_search_index, search, snippet

T0 = datetime(2024, 7, 2, 6)
T1 = datetime(2024, 7, 3, 6)
ROWS = [
    make_article("a", "ka", "India signed a deal for Kamov helicopters with Rosoboronexport.", "h1",
        title="Helicopter deal", source="Wire", published_at=datetime(2024, 7, 1)),
    make_article("b", "kb", "India signed a deal for Kamov helicopters with Rosoboronexport.", "h1",
        title="Helicopter deal", source="Reprint", published_at=datetime(2024, 7, 1)),
    make_article("c", "kc", "Oil imports from Russia rose again; refiners in Jamnagar bought more crude.",
        "h2", title="Crude imports climb", source="Wire", published_at=datetime(2024, 7, 2)),
    make_article("d", "kd", "Crude oil and crude oil again: the crude oil trade with O'Brien's fund.", "h3",
        title="Crude oil crude oil", source="Desk", published_at=datetime(2024, 7, 2)),
]
TAGS = [make_tag("a", "defense"), make_tag("c", "energy"), make_tag("d", "energy"), make_tag("d", "trade")]


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


def test_each_load_updates_the_index_in_its_own_transaction(con):
    assert refresh_index(con, T0).rebuilt is False
    load_batch(con, [make_article("e", "ke", "Zircon hypersonic missile test.", "h5", title="Zircon")],
               [], [], datetime(2024, 7, 3))
    assert [h.article_id for h in search(con, "zircon")] == ["e"]  # no rebuild needed
    assert con.execute("select articles, built_at from search_index").fetchone() == (
        5, datetime(2024, 7, 3))
    assert refresh_index(con, datetime(2024, 7, 4)).rebuilt is False


def index_tables(con):
    """Return what BM25 reads from the index, with docids and termids resolved to names."""
    s = "fts_main_articles"
    return {
        "docs": sorted(con.execute(f"select name, len from {s}.docs").fetchall()),
        "terms": sorted(con.execute(
            f"select d.name, f.field, w.term from {s}.terms t left join {s}.docs d using (docid)"
            f" left join {s}.dict w using (termid) left join {s}.fields f using (fieldid)"
        ).fetchall(), key=repr),
        "dict": sorted(con.execute(f"select term, df from {s}.dict").fetchall()),
        "stats": con.execute(f"select num_docs, avgdl from {s}.stats").fetchall(),
    }


def scores(con, queries):
    return [sorted((h.article_id, round(h.score, 9)) for h in search(con, q, limit=100))
            for q in queries]


def test_loads_leave_the_same_index_as_a_full_rebuild(db_path):
    words = ("India Russia oil crude défense S-400 sanctions the and of Rosoboronexport naïve "
             "Moscow refinery rupee tariffs").split()
    rng = random.Random(3)

    def row(i, version=0, text=True):
        body = " ".join(rng.choices(words, k=rng.randint(1, 30))) if text else ""
        return make_article(f"a{i}", f"k{i}", body, f"h{i}.{version}.{body}",
                   title=" ".join(rng.choices(words, k=4)))

    with open_warehouse(db_path) as con:
        load_batch(con, [row(i) for i in range(30)], [], [], T0)  # creates the index
        # new articles, changed ones (their old words must go), an empty text, an exact copy
        load_batch(con, [row(i) for i in range(30, 45)] + [row(i, 1) for i in range(5, 15)]
                   + [row(45, text=False), make_article("copy", "kc", "oil crude", "same", title="x"),
                      make_article("orig", "ko", "oil crude", "same", title="x")], [], [], T1)
        # a word only one article had, gone from its new version
        load_batch(con, [make_article("only", "ko1", "Zvezdochka shipyard", "z1")], [], [], T1)
        load_batch(con, [row(i, 2) for i in range(10, 12)] + [make_article("only", "ko1", "shipyard", "z2")],
                   [], [], datetime(2024, 7, 10))
        queries = ["oil", "crude sanctions", "defense naive", "S-400 Moscow", "rupee tariffs x"]
        loaded, loaded_scores = index_tables(con), scores(con, queries)
        assert refresh_index(con, T1).rebuilt is False  # the fingerprint says it is current
        refresh_index(con, T1, force=True)
        assert index_tables(con) == loaded
        assert scores(con, queries) == loaded_scores
    assert loaded["stats"][0][0] == 49 and all(loaded_scores)
    assert "zvezdochka" not in dict(loaded["dict"])


def add_by_hand(con, article_id, text):
    """Insert an article without a load, as an older mediawatch did: the index falls behind."""
    con.execute("insert into articles (article_id, key, source, title, text, content_hash,"
                " ingested_at, day) values (?, ?, 'Desk', 'By hand', ?, ?,"
                " timestamp '2024-07-03', date '2024-07-03')",
                [article_id, f"k{article_id}", text, f"h-{article_id}"])


def test_an_index_already_behind_is_rebuilt_at_the_end_of_the_ingest(con, db_path):
    # An article that arrived without going through a load (an older mediawatch, by hand):
    # a load does not patch an index it cannot vouch for...
    add_by_hand(con, "z", "Zircon trials")
    load_batch(con, [make_article("e", "ke", "Frigate delivery from Kaliningrad.", "h5")], [], [],
               datetime(2024, 7, 3))
    assert search(con, "zircon") == [] and search(con, "frigate") == []
    con.close()
    # ...the end of the ingest rebuilds it
    assert refresh_search_index(db_path, datetime(2024, 7, 3), wait_s=5).rebuilt
    with open_warehouse(db_path, read_only=True) as con:
        assert [h.article_id for h in search(con, "zircon frigate")] in (["z", "e"], ["e", "z"])


def test_loads_carry_the_fingerprint_forward_and_the_ingest_end_still_checks_it(con, db_path):
    from warehouse.db import sql

    def full():
        return con.execute(sql("search/fingerprint")).fetchone()

    def stored():
        return con.execute("select articles, fingerprint from search_index").fetchone()

    # new, changed and unchanged articles: the carried fingerprint is the full one
    load_batch(con, [make_article("e", "ke", "Frigate delivery.", "h5"),
                     make_article("c", "kc", "Oil imports fell.", "h2b", title="Crude imports slip"),
                     ROWS[0]], [], [], T1)
    assert stored() == full() and stored()[0] == 5
    # a title edited by hand between two loads of one process is not re-read by the load
    # (same count of articles)...
    con.execute("update articles set title = 'Edited by hand' where article_id = 'd'")
    load_batch(con, [make_article("f", "kf", "Corvette sea trials.", "h6")], [], [], T1)
    assert stored() != full()
    con.close()
    # ...the end of the ingest compares in full and rebuilds
    assert refresh_search_index(db_path, T1, wait_s=5).rebuilt
    with open_warehouse(db_path, read_only=True) as again:
        assert [h.article_id for h in search(again, "edited")] == ["d"]


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
    add_by_hand(con, "e", "Zircon hypersonic missile test near the crude oil terminal.")
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
        add_by_hand(con, "a", "Rosoboronexport signed.")
    state = refresh_search_index(db_path, T0, wait_s=5)
    assert state.rebuilt and state.articles == 1
    with open_warehouse(db_path, read_only=True) as con:
        assert [h.article_id for h in search(con, "Rosoboronexport")] == ["a"]


# The ranking search.sql replaced: match_bm25 over every article, filters applied after.
MATCH_BM25_RANKING = """
select article_id, fts_main_articles.match_bm25(article_id, $query) as score
from articles a
where duplicate_of is null
  and ($since is null or day >= $since)
  and ($source is null or lower(source) = lower($source))
  and ($theme is null or exists (
      select 1 from article_themes t where t.article_id = a.article_id and t.theme = $theme))
  and score is not null
"""


def ranking(pairs):
    """(article_id, score) best first, scores to 9 decimals (match_bm25 sums in hash order)."""
    return sorted(((i, round(s, 9)) for i, s in pairs), key=lambda p: (-p[1], p[0]))


def random_archive(db_path, n=120, seed=5):
    """Load `n` articles of random words over 40 days, 4 sources, 3 themes, some copies."""
    words = ("India Russia oil crude sanctions S-400 Moscow refinery rupee tariffs defence "
             "deal talks summit Индия нефть санкции").split()
    rng = random.Random(seed)
    rows, tags = [], []
    for i in range(n):
        body = " ".join(rng.choices(words, k=rng.randint(3, 40)))
        copy = i > 10 and rng.random() < 0.1
        rows.append(make_article(f"a{i:03d}", f"k{i}", body, f"h{i}" if not copy else "h0",
                        title=" ".join(rng.choices(words, k=3)), source=f"S{i % 4}",
                        published_at=datetime(2024, 6, 1 + i % 30, 8)))
        tags += [make_tag(f"a{i:03d}", t) for t in ("energy", "defense", "trade") if rng.random() < 0.4]
    with open_warehouse(db_path) as con:
        for start in range(0, n, 40):  # loads keep the index: appended, unsorted postings
            batch_tags = [t for t in tags if start <= int(t.article_id[1:]) < start + 40]
            load_batch(con, rows[start:start + 40], batch_tags, [], T0)


@pytest.fixture(scope="module")
def archive(tmp_path_factory):
    """One random_archive for the ranking cases: each reads it on a read-only connection
    (one each cost ~1 s of CPU)."""
    path = tmp_path_factory.mktemp("archive") / "mediawatch.duckdb"
    random_archive(path)
    return path


@pytest.mark.parametrize("query, theme, since, source", [
    ("oil sanctions", None, None, None),
    ("oil sanctions", "energy", date(2024, 6, 15), None),
    ("S-400 Moscow deal", "defense", None, "s1"),
    ("India", None, date(2024, 6, 25), None),
    ("нефть Индия", "trade", None, None),
    ("absentword", None, None, None),
])
def test_filtering_first_ranks_exactly_as_match_bm25_over_every_article(
        archive, query, theme, since, source):
    from warehouse.search import expand_query

    with open_warehouse(archive, read_only=True) as con:
        params = {"query": expand_query(query), "theme": theme, "since": since,
                  "source": source}
        expected = ranking(con.execute(MATCH_BM25_RANKING, params).fetchall())
        hits = search(con, query, theme=theme, since=since, source=source, limit=1000)
    assert ranking((h.article_id, h.score) for h in hits) == expected
    assert [h.article_id for h in hits] == [i for i, _ in expected]  # ties by article_id
    assert query == "absentword" or expected


def test_sorting_the_loads_postings_in_changes_no_score(db_path):
    from warehouse.search import sort_postings, unsorted_postings

    random_archive(db_path)
    queries = ["oil sanctions", "S-400", "Индия"]
    with open_warehouse(db_path) as con:
        unsorted, total = unsorted_postings(con)
        assert 0 < unsorted < total  # the first load built the index sorted; later ones appended
        before = [ranking((h.article_id, h.score) for h in search(con, q, limit=100))
                  for q in queries]
        assert sort_postings(con, force=True) is not None
        assert unsorted_postings(con) == (0, total)
        terms = con.execute("select termid, docid from fts_main_articles.terms").fetchall()
        assert terms == sorted(terms)
        assert sort_postings(con) is None  # nothing appended since
        after = [ranking((h.article_id, h.score) for h in search(con, q, limit=100))
                 for q in queries]
    assert before == after and all(before)


def test_the_ingest_end_sorts_postings_once_loads_appended_enough(db_path):
    from warehouse.search import UNSORTED_SHARE, unsorted_postings

    random_archive(db_path)
    with open_warehouse(db_path) as con:
        unsorted, total = unsorted_postings(con)
    assert unsorted > UNSORTED_SHARE * total
    state = refresh_search_index(db_path, T1, wait_s=5)
    assert not state.rebuilt and state.locked_s > 0
    with open_warehouse(db_path) as con:
        assert unsorted_postings(con) == (0, total)
        load_batch(con, [make_article("late", "kl", "oil", "hl")], [], [], T1)  # a few appended
        assert 0 < unsorted_postings(con)[0] <= UNSORTED_SHARE * unsorted_postings(con)[1]
    assert refresh_search_index(db_path, T1, wait_s=5).locked_s == 0  # left for later
