"""Dates on a real DuckDB file: how each day was known, dates out of range, the analyst's
timezone, and the daily counts the trend views read (held to a query from scratch)."""

from dataclasses import replace
from datetime import date, datetime, timedelta

import pytest

from tests.records import make_article, make_tag
from warehouse import trend_counts
from warehouse.dates import check_day
from warehouse.days import day_timezone, set_day_timezone
from warehouse.db import open_warehouse
from warehouse.digest import digest_articles, digest_data, latest_day
from warehouse.load import load_batch
from warehouse.retag import replace_enrichment

T0 = datetime(2024, 7, 10, 6)


def days(con):
    return dict(con.execute("select article_id, day from articles").fetchall())


def test_dates_out_of_range_are_not_used_and_say_why(db_path):
    rows = [make_article("future", "kf", "a", "h1", published_at=datetime(9999, 12, 31)),
            make_article("ancient", "ka", "b", "h2", published_at=datetime(1, 1, 1)),
            make_article("soon", "ks", "c", "h3", published_at=T0 + timedelta(days=1, hours=23)),
            make_article("fine", "kk", "d", "h4", published_at=datetime(1950, 5, 1, 10))]
    with open_warehouse(db_path) as con:
        load_batch(con, rows, [make_tag(r.article_id, "energy") for r in rows], [], T0)
        got = {r[0]: r[1:] for r in con.execute(
            "select article_id, published_at, day, date_source, date_note from articles").fetchall()}
        latest = latest_day(con)
    assert got["future"][:3] == (None, T0.date(), "ingested")
    assert "9999-12-31T00:00:00 is more than 2 days after the article was first seen" in got["future"][3]
    assert got["ancient"][:3] == (None, T0.date(), "ingested")
    assert "0001-01-01T00:00:00 is before 1900" in got["ancient"][3]
    # within two days ahead (timezones, fast clocks) and old but plausible dates are kept
    assert got["soon"][2:] == ("published", None) and got["fine"][2:] == ("published", None)
    # one 9999 record no longer makes every later `digest --latest` a 9999 digest
    assert latest == (T0 + timedelta(days=1, hours=23)).date()


def test_latest_day_is_the_last_day_with_dated_articles(db_path):
    with open_warehouse(db_path) as con:
        load_batch(con, [make_article("u0", "ku0", "undated only", "h0")], [], [], T0 - timedelta(days=20))
        assert latest_day(con) == date(2024, 6, 20)  # nothing is dated: the newest day at all
        load_batch(con, [make_article("a", "ka", "a", "h1", published_at=datetime(2024, 7, 3, 9))], [], [], T0)
        load_batch(con, [make_article("u", "ku", "undated", "h2")], [], [], T0 + timedelta(days=3))
        assert max(days(con).values()) == date(2024, 7, 13)  # the undated one, first seen then
        assert latest_day(con) == date(2024, 7, 3)
        # its text changes days later: it stays on the day it was first seen
        load_batch(con, [make_article("u", "ku", "undated, edited", "h3")], [], [], T0 + timedelta(days=6))
        assert days(con)["u"] == date(2024, 7, 13)


@pytest.mark.parametrize("value, message", [
    ("0001-01-01", "0001-01-01 is out of range: a day runs from 1900-01-01 to 2024-07-12"),
    ("9999-12-31", "9999-12-31 is out of range"),
    ("2024-13-01", "'2024-13-01' is not a date: use YYYY-MM-DD"),
])
def test_a_digest_day_is_checked_with_a_one_line_message(value, message):
    with pytest.raises(ValueError) as info:
        check_day(value, date(2024, 7, 10))
    assert message in str(info.value) and "\n" not in str(info.value)
    assert check_day("1900-01-01", date(2024, 7, 10)) == date(1900, 1, 1)


def test_a_moscow_00_30_article_is_on_its_moscow_day(db_path):
    # 00:30 in Moscow on 2 July is 21:30 UTC on 1 July
    late = make_article("late", "kl", "late", "h1", published_at=datetime(2024, 7, 1, 21, 30))
    dated_only = make_article("dateonly", "kd", "date only", "h2", published_at=datetime(2024, 7, 1))
    with open_warehouse(db_path) as con:
        load_batch(con, [late, dated_only], [make_tag("late", "energy")], [], T0)
        assert days(con) == {"late": date(2024, 7, 1), "dateonly": date(2024, 7, 1)}
        assert set_day_timezone(con, "Europe/Moscow") == 1
        assert day_timezone(con) == "Europe/Moscow"
        # a date stated without a time stays on that date in every timezone
        assert days(con) == {"late": date(2024, 7, 2), "dateonly": date(2024, 7, 1)}
        assert con.execute("select day, articles from theme_daily").fetchall() == [(date(2024, 7, 2), 1)]
        assert con.execute("select day from theme_trend where articles > 0").fetchall() == [(date(2024, 7, 2),)]
        assert [a["article_id"] for a in digest_articles(con, date(2024, 7, 2))] == ["late"]
        assert digest_data(con, date(2024, 7, 2), "Europe/Moscow")["totals"]["articles"] == 1
        # loads after the change bucket in Moscow time too; stored timestamps stay UTC
        load_batch(con, [replace(late, article_id="late2", key="kl2", content_hash="h3")], [], [], T0)
        assert days(con)["late2"] == date(2024, 7, 2)
        assert con.execute("select published_at from articles where article_id = 'late2'"
                           ).fetchone()[0] == datetime(2024, 7, 1, 21, 30)
        assert set_day_timezone(con, "Europe/Moscow") == 0  # nothing to do
        with pytest.raises(ValueError, match="unknown timezone 'Mars/Olympus'"):
            set_day_timezone(con, "Mars/Olympus")
        assert trend_counts.counts_match(con)


def test_daily_counts_stay_exact_through_loads_updates_copies_retags_and_timezones(db_path):
    with open_warehouse(db_path) as con:
        a = make_article("a", "ka", "oil deal", "h1", published_at=datetime(2024, 7, 1, 22))
        b = make_article("b", "kb", "oil deal", "h1", published_at=datetime(2024, 7, 1, 9))  # a's copy
        c = make_article("c", "kc", "frigates", "h2")  # undated
        d = make_article("d", "kd", "sanctions", "h3", published_at=datetime(2024, 7, 2, 9))
        load_batch(con, [a, b, c, d], [make_tag("a", "energy"), make_tag("b", "energy"), make_tag("c", "defense"),
                                       make_tag("d", "western_pressure"), make_tag("d", "energy")], [], T0)
        assert trend_counts.counts_match(con)
        # d's text and date change (it moves a day), c gets a date, a is unchanged
        load_batch(con, [a, replace(c, text="frigates sail", content_hash="h2b",
                                    published_at=datetime(2024, 7, 2, 1)),
                         replace(d, text="sanctions bite", content_hash="h3b",
                                 published_at=datetime(2024, 7, 3, 9))],
                   [make_tag("a", "energy"), make_tag("c", "defense"), make_tag("d", "trade")], [], T0 + timedelta(days=1))
        assert trend_counts.counts_match(con)
        assert con.execute("select day, theme, articles from theme_daily order by 1, 2").fetchall() == [
            (date(2024, 7, 1), "energy", 1), (date(2024, 7, 2), "defense", 1),
            (date(2024, 7, 3), "trade", 1)]
        replace_enrichment(con, ["a", "d"], [make_tag("a", "diplomacy"), make_tag("d", "trade"),
                                             make_tag("d", "energy")], [])
        assert trend_counts.counts_match(con)
        set_day_timezone(con, "Asia/Kolkata")  # a at 22:00 UTC is 3:30 the next day there
        assert trend_counts.counts_match(con)
        assert days(con)["a"] == date(2024, 7, 2)
        window = con.execute("select dated_articles, undated_articles from monitored_window").fetchone()
        assert window == (3, 0)


def test_rows_written_by_hand_are_caught_by_the_check(db_path):
    with open_warehouse(db_path) as con:
        load_batch(con, [make_article("a", "ka", "oil", "h1", published_at=datetime(2024, 7, 1, 9))],
                   [make_tag("a", "energy")], [], T0)
        con.execute("insert into article_themes values ('a', 'trade', 1.0, '{}', 'hand')")
        assert not trend_counts.counts_match(con)
        trend_counts.rebuild(con)
        assert trend_counts.counts_match(con)
        # an article added by hand: the cheap check at the end of an ingest rebuilds
        con.execute("insert into articles (article_id, key, source, ingested_at, day, published_at)"
                    " values ('h', 'kh', 'desk', '2024-07-02', '2024-07-02', '2024-07-02 09:00')")
        assert trend_counts.rebuild_if_drifted(con) is True
        assert trend_counts.counts_match(con) and trend_counts.rebuild_if_drifted(con) is False


def test_date_source_is_stored_as_the_extractors_said_else_ingested(db_path):
    def record(aid, source, when):
        return make_article(aid, aid, aid, aid, published_at=when, date_source=source)
    when = datetime(2024, 7, 1, 9)
    with open_warehouse(db_path) as con:
        load_batch(con, [record("f", "feed", when), record("e", "estimated", datetime(2024, 7, 1)),
                         record("p", None, when), record("u", None, None)], [], [], T0)
        got = dict(con.execute("select article_id, date_source from articles").fetchall())
    assert got == {"f": "feed", "e": "estimated", "p": "published", "u": "ingested"}


def test_the_digest_says_how_many_undated_articles_it_left_out(db_path):
    from warehouse.render_md import render_markdown

    with open_warehouse(db_path) as con:
        load_batch(con, [make_article("a", "ka", "oil", "h1", published_at=datetime(2024, 7, 10, 5)),
                         make_article("u", "ku", "undated oil", "h2")],
                   [make_tag("a", "energy"), make_tag("u", "energy")], [], T0)
        data = digest_data(con, T0.date())
    assert data["totals"]["articles"] == 2 and data["totals"]["undated"] == 1
    assert [(t["theme"], t["articles"]) for t in data["themes"]] == [("energy", 1)]
    assert [a["article_id"] for a in data["themes"][0]["top_articles"]] == ["a"]
    assert data["trend_window"] == {"first_day": "2024-07-10", "last_day": "2024-07-10",
                                    "undated_articles": 1, "before_window": 0}
    assert "1 article first seen this day without a publication date" in render_markdown(data)
