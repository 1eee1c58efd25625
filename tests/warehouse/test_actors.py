"""article_actors loading, the actor views, and replacing enrichment on a real DuckDB file."""

from datetime import datetime

from tests.records import make_article, make_tag
from warehouse.db import open_warehouse
from warehouse.load import load_batch
from warehouse.retag import article_pages, replace_enrichment
from warehouse.themes import theme_sets

T0 = datetime(2024, 7, 9, 6, 0)


def mention(article_id, actor, kind="country", mentions=1):
    return {"article_id": article_id, "actor": actor, "kind": kind, "mentions": mentions}


def load_three(con):
    articles = [
        make_article("a1", "k1", "India and Russia", "h1", published_at=T0),
        make_article("a2", "k2", "India, Russia and the US", "h2", published_at=T0),
        make_article("a3", "k3", "India and Russia", "h1", published_at=T0),  # exact copy of a1
    ]
    tags = [make_tag("a1", "energy"), make_tag("a2", "energy"), make_tag("a3", "energy")]
    actors = [mention("a1", "India"), mention("a1", "Russia"),
              mention("a2", "India", mentions=2), mention("a2", "Russia"),
              mention("a2", "United States"),
              mention("a3", "India"), mention("a3", "Russia")]
    return load_batch(con, articles, tags, [], T0, actors=actors)


def test_actor_views_count_distinct_articles(db_path):
    with open_warehouse(db_path) as con:
        load_three(con)
        assert con.execute("select count(*) from article_actors").fetchone()[0] == 7
        daily = dict(con.execute(
            "select actor, articles from actor_daily where day = '2024-07-09'").fetchall())
        assert daily == {"India": 2, "Russia": 2, "United States": 1}  # the copy counts once
        dyads = con.execute("select actor_a, actor_b, articles from actor_dyad_daily "
                            "order by actor_a, actor_b").fetchall()
        assert dyads == [("India", "Russia", 2), ("India", "United States", 1),
                         ("Russia", "United States", 1)]
        theme_actor = dict(con.execute(
            "select actor, articles from theme_actor where theme = 'energy'").fetchall())
        assert theme_actor == {"India": 2, "Russia": 2, "United States": 1}


def test_reloading_a_changed_article_replaces_its_actors(db_path):
    with open_warehouse(db_path) as con:
        load_three(con)
        load_batch(con, [make_article("a2", "k2", "Only Russia now", "h9", published_at=T0)], [], [], T0,
                   actors=[mention("a2", "Russia", mentions=3)])
        rows = con.execute("select actor, mentions from article_actors where article_id = 'a2'"
                           ).fetchall()
        assert rows == [("Russia", 3)]


def test_replace_enrichment_is_idempotent_and_counts_changes(db_path):
    with open_warehouse(db_path) as con:
        load_three(con)
        pages = list(article_pages(con, size=2))
        assert [len(p) for p in pages] == [2, 1]
        assert [r[0] for p in pages for r in p] == ["a1", "a2", "a3"]
        new_tags = [make_tag("a1", "trade", taxonomy_version="v2")]
        changed = replace_enrichment(con, ["a1", "a2"], new_tags, [mention("a1", "India")])
        assert changed == 2  # a1 changed theme, a2 lost its tag
        assert replace_enrichment(con, ["a1", "a2"], new_tags, [mention("a1", "India")]) == 0
        themes, stored = theme_sets(con, ["a1", "a2", "a3", "zz"])
        assert themes == {"a1": {"trade"}, "a3": {"energy"}}
        assert stored == {"a1", "a2", "a3"}
        assert con.execute("select taxonomy_version from article_themes where article_id = 'a1'"
                           ).fetchone()[0] == "v2"


def test_a_retag_with_what_the_load_stored_changes_nothing(db_path):
    # one rule replaces enrichment in both (sql/replace_enrichment.sql): a retag handed the
    # load's own tags, actors and focus marks leaves every row and count as it was
    from extractors.records import FocusMark
    from warehouse import trend_counts

    tables = ("article_themes", "article_actors", "article_focus", "daily_counts",
              "daily_theme_counts")

    def rows(con):
        return {t: sorted(con.execute(f"select * from {t}").fetchall(), key=repr) for t in tables}

    marks = [FocusMark("a1", "India, Russia", 0.5, False, ("India",)),
             FocusMark("a2", "India, Russia", 0.5, False, ("Russia",)),
             FocusMark("a3", "India, Russia", 0.0, False, ())]
    with open_warehouse(db_path) as con:
        articles = [make_article(f"a{i}", f"k{i}", f"text {i}", f"h{i}", published_at=T0)
                    for i in (1, 2, 3)]
        tags = [make_tag("a1", "energy"), make_tag("a2", "energy"), make_tag("a2", "trade")]
        actors = [mention("a1", "India"), mention("a2", "Russia", mentions=2)]
        load_batch(con, articles, tags, [], T0, actors=actors, focus=marks)
        loaded = rows(con)
        assert all(loaded[t] for t in tables)  # something of each kind to compare
        assert replace_enrichment(con, ["a1", "a2", "a3"], tags, actors, marks) == 0
        assert rows(con) == loaded
        assert trend_counts.counts_match(con)
