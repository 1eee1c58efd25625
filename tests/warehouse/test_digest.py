"""Digest queries on a real DuckDB warehouse: totals, themes, top articles, clusters, sections."""

from datetime import date, datetime, timedelta

from tests.warehouse.digest_db import DAY, add_article, build_warehouse
from warehouse.digest import digest_articles, digest_data, latest_day
from warehouse.digest_export import render_json


def test_totals_count_copies_sources_and_failures(db_path):
    con = build_warehouse(db_path)
    seen = datetime.combine(DAY, datetime.min.time())
    con.execute("insert into ingest_failures (url, source, stage, code, reason, first_seen,"
                " last_seen) values ('feed.xml', 'Gazette', 'fetch', 'http', 'HTTP 503', ?, ?),"
                " ('old.xml', 'Gazette', 'fetch', 'http', 'HTTP 404', ?, ?)",
                [seen, seen, seen - timedelta(days=9), seen - timedelta(days=8)])
    data = digest_data(con, DAY)
    assert data["date"] == "2024-07-09" and data["empty"] is False
    assert data["totals"] == {"articles": 6, "distinct_articles": 4, "duplicates": 2, "undated": 0,
                              "sources": 4, "failures": 1, "with_tone": 0}
    assert data["source_health"]["failures_by_source"] == [
        {"source": "Gazette", "stage": "fetch", "code": "http", "failures": 1,
         "example_reason": "HTTP 503"}]
    assert latest_day(con) == DAY


def test_each_theme_against_its_seven_day_mean(db_path):
    con = build_warehouse(db_path)
    themes = {t["theme"]: t for t in digest_data(con, DAY)["themes"]}
    assert list(themes) == ["defense", "diplomacy", "energy"]  # most articles first
    defense, energy = themes["defense"], themes["energy"]
    # syndicated copies count once: t1, t2, t3, t4
    assert (defense["articles"], defense["avg_7d"], defense["direction"]) == (4, 0.43, "up")
    assert defense["delta"] == 3.57
    assert (energy["articles"], energy["avg_7d"], energy["direction"]) == (0, 0.14, "down")
    assert defense["trend_30d"][-4:] == [1, 1, 1, 4] and len(defense["trend_30d"]) == 30
    assert energy["trend_30d"][-2:] == [1, 0]


def test_spike_flag_comes_from_theme_trend(db_path):
    con = build_warehouse(db_path)
    spike_day = DAY + timedelta(days=1)
    for back in range(2, 12):  # a quiet history first: theme_trend needs 7 earlier days
        add_article(con, f"h{back}", DAY - timedelta(days=back), "Wire", f"Quiet {back}",
                    themes={"energy": 1.0})
        for other in range(3):  # energy is a quarter of those days; all of the spike day
            add_article(con, f"h{back}-{other}", DAY - timedelta(days=back), "Wire",
                        f"Other {back} {other}")
    for n in range(12):
        add_article(con, f"s{n}", spike_day, f"Outlet {n}", f"Spike {n}", themes={"energy": 1.0})
    view = dict(con.execute("select theme, is_spike from theme_trend where day = ?",
                            [spike_day]).fetchall())
    themes = {t["theme"]: t for t in digest_data(con, spike_day)["themes"]}
    assert themes["energy"]["is_spike"] is True
    assert {t: v["is_spike"] for t, v in themes.items()} == view


def test_top_articles_skip_copies_and_show_a_body_sentence(db_path):
    con = build_warehouse(db_path)
    defense = next(t for t in digest_data(con, DAY)["themes"] if t["theme"] == "defense")
    top = defense["top_articles"]
    assert [a["article_id"] for a in top] == ["t1", "t2", "t3"]  # best score first, at most 3
    first = top[0]
    assert first["outlets"] == 3 and first["url"] == "https://wire.example/t1"
    assert first["published_at"] == "2024-07-09T06:00:00Z"
    assert first["evidence"] == "India and Russia signed the S-400 deal."


def test_syndication_clusters(db_path):
    con = build_warehouse(db_path)
    (cluster,) = digest_data(con, DAY)["syndication"]
    assert cluster == {"story_id": "t1", "title": "Top defense story", "source": "Wire",
                       "url": "https://wire.example/t1", "outlets": 3, "copies": 3,
                       "sources": ["Another Paper", "Reprint Times", "Wire"]}


def test_actor_section_lists_top_actors_and_dyads(db_path):
    con = build_warehouse(db_path)
    assert digest_data(con, DAY)["actors"] == {"available": True, "top": [], "dyads": []}
    con.execute("insert into article_actors values ('t1', 'India', 'country', 3),"
                " ('t1', 'Russia', 'country', 2), ('t2', 'India', 'country', 1),"
                " ('t2', 'Modi', 'leader', 1), ('t1-copy', 'India', 'country', 3),"
                " ('old-d1', 'Putin', 'leader', 4)")
    actors = digest_data(con, DAY)["actors"]
    assert actors["available"] is True
    assert actors["top"] == [
        {"actor": "India", "kind": "country", "articles": 2, "mentions": 4},
        {"actor": "Russia", "kind": "country", "articles": 1, "mentions": 2},
        {"actor": "Modi", "kind": "leader", "articles": 1, "mentions": 1},
    ]
    assert actors["dyads"] == [{"actor_a": "India", "actor_b": "Modi", "articles": 1},
                               {"actor_a": "India", "actor_b": "Russia", "articles": 1}]


def test_failing_feeds_appear_in_source_health(db_path):
    con = build_warehouse(db_path)
    assert digest_data(con, DAY)["source_health"]["failing_feeds"] == []
    con.execute("insert into feeds (name, url, last_success_at, last_status,"
                " consecutive_failures, last_error, entries_seen) values"
                " ('Good Wire', 'https://good.example/rss', null, '200', 0, null, 10),"
                " ('Dead Wire', 'https://dead.example/rss', '2024-07-01 06:00',"
                "  '503', 4, 'HTTP 503 Service Unavailable', 3)")
    health = digest_data(con, DAY)["source_health"]
    assert health["feeds_available"] is True
    assert health["failing_feeds"] == [{
        "name": "Dead Wire", "url": "https://dead.example/rss", "last_status": "503",
        "consecutive_failures": 4, "last_success_at": "2024-07-01T06:00:00Z",
        "last_error": "HTTP 503 Service Unavailable"}]


def test_an_empty_day_is_a_valid_digest(db_path):
    con = build_warehouse(db_path)
    quiet = DAY + timedelta(days=2)
    data = digest_data(con, quiet)
    assert data["empty"] is True and data["totals"]["articles"] == 0
    assert data["syndication"] == [] and digest_articles(con, quiet) == []
    assert all(not t["top_articles"] and t["articles"] == 0 for t in data["themes"])
    assert digest_data(con, date(1999, 1, 1))["themes"] == []


def test_same_database_and_date_give_the_same_digest(db_path):
    con = build_warehouse(db_path)
    first = render_json(digest_data(con, DAY, "Asia/Kolkata"))
    con.close()
    con = build_warehouse(db_path.with_name("again.duckdb"))
    assert render_json(digest_data(con, DAY, "Asia/Kolkata")) == first


def test_articles_csv_rows_hold_every_copy_in_time_order(db_path):
    con = build_warehouse(db_path)
    articles = digest_articles(con, DAY)
    assert [a["article_id"] for a in articles] == ["t1", "t1-copy", "t1-copy2", "t2", "t3", "t4"]
    assert articles[1]["duplicate_of"] == "t1" and articles[0]["themes"] == "defense;diplomacy"


def test_the_share_of_stories_with_a_tone_is_shown(db_path):
    from warehouse.render_html import render_html
    from warehouse.render_md import render_markdown

    con = build_warehouse(db_path)
    ids = [r[0] for r in con.execute("select article_id from articles where day = ? and "
                                     "duplicate_of is null order by article_id", [DAY]).fetchall()]
    # one English story has a tone; a Russian one (null) and a copy with a tone do not count
    con.execute("update articles set tone = 0.3 where article_id = ?", [ids[0]])
    con.execute("update articles set tone = 0.3 where day = ? and duplicate_of is not null", [DAY])
    data = digest_data(con, DAY)
    assert data["totals"]["with_tone"] == 1
    line = f"Tone measured for 1 of {len(ids)} distinct stories ({round(100 / len(ids))}%)"
    assert line in render_markdown(data) and line in render_html(data)
    assert "no maintained Russian one runs offline" in render_markdown(data)
