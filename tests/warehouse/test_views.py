"""The public views on a real DuckDB file: dense calendar, moving averages, spikes, sources."""

import statistics
from datetime import date, datetime, timedelta

from tests.records import make_article, make_failure, make_tag
from warehouse.db import open_warehouse
from warehouse.load import load_batch

DAY0 = date(2024, 7, 1)
# energy articles per day out of that day's articles; day 5 (index 4) has no articles at all,
# the last day's share jumps from ~0.2 to 0.6
ENERGY = [2, 3, 2, 3, 0, 2, 2, 3, 2, 2, 3, 2, 6]
TOTALS = [10, 10, 10, 10, 0, 10, 10, 10, 10, 10, 10, 10, 10]


def day_rows(series: dict[str, list[int]], totals: list[int], day0: date = DAY0, prefix: str = ""):
    """Rows and tags: on day i, series[theme][i] articles per theme (each article one theme),
    the rest of totals[i] untagged; every article published at noon UTC that day."""
    rows, tags = [], []
    for i, total in enumerate(totals):
        published = datetime.combine(day0 + timedelta(days=i), datetime.min.time()) + timedelta(hours=12)
        themed = [theme for theme, counts in series.items() for _ in range(counts[i])]
        assert len(themed) <= total
        for j in range(total):
            aid = f"{prefix}d{i}-{j}"
            rows.append(make_article(aid, aid, f"text {aid}", f"h-{aid}", published_at=published))
            if j < len(themed):
                tags.append(make_tag(aid, themed[j]))
    return rows, tags


def load_series(con, series, totals, day0=DAY0):
    rows, tags = day_rows(series, totals, day0)
    load_batch(con, rows, tags, [], datetime.combine(day0 + timedelta(days=len(totals)), datetime.min.time()))


def expected_trend(counts, totals):
    """The spike rule, written independently of the SQL: (avg_7d, share, zscore, is_spike)."""
    out = []
    for i, (n, total) in enumerate(zip(counts, totals)):
        avg_7d = sum(counts[max(0, i - 7): i]) / 7
        share = n / total if total else None
        base = [c / t for c, t in zip(counts[max(0, i - 28): i], totals[max(0, i - 28): i]) if t]
        mean = statistics.mean(base) if base else None
        sd = statistics.stdev(base) if len(base) >= 2 else None
        z = (share - mean) / sd if len(base) >= 7 and sd and share is not None else None
        spike = (n >= 3 and len(base) >= 7 and share > mean and share >= 1.5 * mean
                 and ((z is not None and z >= 2) or sd == 0))
        out.append((avg_7d, share, z, spike))
    return out


def trend(con, theme):
    return con.execute("select day, articles, avg_7d, share, zscore_28d, is_spike from theme_trend "
                       "where theme = ? order by day", [theme]).fetchall()


def test_theme_trend_is_dense_with_right_averages_and_spikes(db_path):
    defense = [1] + [0] * (len(TOTALS) - 1)  # defense appears once, on the first day
    with open_warehouse(db_path) as con:
        load_series(con, {"energy": ENERGY, "defense": defense}, TOTALS)
        energy = trend(con, "energy")
        defense_rows = trend(con, "defense")
    assert [d for d, *_ in energy] == [DAY0 + timedelta(days=i) for i in range(len(ENERGY))]
    assert [n for _, n, *_ in energy] == ENERGY
    for (_, _, avg, share, z, spike), want in zip(energy, expected_trend(ENERGY, TOTALS), strict=True):
        want_avg, want_share, want_z, want_spike = want
        assert abs(avg - want_avg) < 1e-9
        assert (share is None) == (want_share is None)
        assert share is None or abs(share - want_share) < 1e-9
        assert (z is None) == (want_z is None) and (z is None or abs(z - want_z) < 1e-9)
        assert spike == want_spike
    assert [s for *_, s in energy].count(True) == 1 and energy[-1][-1] is True
    assert [n for _, n, *_ in defense_rows] == defense


def test_a_source_added_is_no_spike_but_a_tripled_share_is(db_path):
    # three weeks of 20 articles a day, energy ~20% and defense ~10% of them; then a source
    # is added (volume doubles, same mix); then energy's share triples at the old volume
    energy = [4, 3, 5, 4, 4, 3, 5] * 3 + [8, 12]
    defense = [2, 1, 3, 2, 2, 1, 3] * 3 + [4, 2]
    totals = [20] * 21 + [40, 20]
    with open_warehouse(db_path) as con:
        load_series(con, {"energy": energy, "defense": defense}, totals)
        flags = {theme: [r[-1] for r in trend(con, theme)] for theme in ("energy", "defense")}
    assert flags["energy"] == [s for *_, s in expected_trend(energy, totals)]
    assert flags["defense"] == [s for *_, s in expected_trend(defense, totals)]
    assert flags["energy"][21] is False and flags["defense"][21] is False  # a source added
    assert flags["energy"][22] is True  # share 0.2 -> 0.6
    # the raw-count rule this replaces flagged the added source: 8 against a mean of 4
    base = energy[:21]
    assert (energy[21] - statistics.mean(base)) / statistics.stdev(base) >= 2


def test_flat_baseline_then_a_rise_is_a_spike_but_a_small_one_is_not(db_path):
    series = {"defense": [1] * 8 + [2], "energy": [1] * 8 + [4]}  # flat baselines: stddev 0
    totals = [10] * 9
    with open_warehouse(db_path) as con:
        load_series(con, series, totals)
        flags = {theme: [r[-1] for r in trend(con, theme)] for theme in series}
        z = trend(con, "energy")[-1][4]
    # 2 articles is below the 3-article floor; 4 after a flat week of 1s is a spike (z undefined)
    assert flags["defense"] == [s for *_, s in expected_trend(series["defense"], totals)] == [False] * 9
    assert flags["energy"] == [False] * 8 + [True] and z is None


def test_undated_articles_are_left_out_of_trends_and_counted(db_path):
    with open_warehouse(db_path) as con:
        load_series(con, {"energy": ENERGY}, TOTALS)
        # an undated batch first seen a week later: all energy, it would "spike" that day
        undated = [make_article(f"u{i}", f"u{i}", f"undated {i}", f"hu{i}") for i in range(30)]
        load_batch(con, undated, [make_tag(r.article_id, "energy") for r in undated], [],
                   datetime(2024, 7, 20, 8))
        days = {d for (d,) in con.execute("select distinct day from theme_trend").fetchall()}
        daily = con.execute("select count(*) from theme_daily where day = date '2024-07-20'").fetchone()
        window = con.execute("select first_day, last_day, dated_articles, undated_articles, "
                             "before_window from monitored_window").fetchone()
    assert date(2024, 7, 20) not in days and max(days) == DAY0 + timedelta(days=len(TOTALS) - 1)
    assert daily == (0,)
    assert window == (DAY0, max(days), sum(TOTALS), 30, 0)


def test_calendar_starts_after_a_long_gap_not_at_the_oldest_page(db_path):
    with open_warehouse(db_path) as con:
        load_series(con, {"energy": ENERGY}, TOTALS)
        old = make_article("old", "old", "an archive page", "h-old", published_at=datetime(2006, 3, 1, 9))
        load_batch(con, [old], [make_tag("old", "energy")], [], datetime(2024, 7, 20))
        first, rows = con.execute("select min(day), count(*) from theme_trend").fetchone()
        window = con.execute("select first_day, dated_articles, before_window from monitored_window").fetchone()
    assert first == DAY0 and rows == len(TOTALS)
    assert window == (DAY0, sum(TOTALS), 1)


def test_source_daily_counts_articles_copies_and_failures(db_path):
    t = datetime(2024, 7, 2, 6)
    with open_warehouse(db_path) as con:
        load_batch(con, [make_article("a", "ka", "same", "h", source="Wire", published_at=datetime(2024, 7, 1)),
                         make_article("b", "kb", "same", "h", source="Reprint", published_at=datetime(2024, 7, 1)),
                         make_article("c", "kc", "other", "h2", source="Wire", published_at=datetime(2024, 7, 1))],
                   [], [make_failure("https://wire/x", source="Wire", stage="fetch")], t)
        rows = con.execute("select day, source, articles, failures, duplicates from source_daily "
                           "order by day, source").fetchall()
    assert rows == [(date(2024, 7, 1), "Reprint", 1, 0, 1), (date(2024, 7, 1), "Wire", 2, 0, 0),
                    (date(2024, 7, 2), "Wire", 0, 1, 0)]


def test_latest_articles_are_the_newest_week_of_distinct_articles(db_path):
    with open_warehouse(db_path) as con:
        load_series(con, {"energy": ENERGY}, TOTALS)
        load_batch(con, [make_article("copy", "kcopy", "text d9-0", "h-d9-0",
                             published_at=datetime(2024, 7, 10, 12))], [], [], datetime(2024, 7, 14))
        rows = con.execute("select day, themes, copies, article_id from latest_articles").fetchall()
        newest_week = con.execute(
            "select count(*) from articles where duplicate_of is null and day > date '2024-07-06'"
        ).fetchone()[0]
    assert len(rows) == newest_week
    assert [r[0] for r in rows] == sorted((r[0] for r in rows), reverse=True)
    assert min(r[0] for r in rows) == date(2024, 7, 7)
    assert "copy" not in {r[3] for r in rows}
    assert dict((r[3], r[2]) for r in rows)["d9-0"] == 1
    assert dict((r[3], r[1]) for r in rows)["d9-0"] == ["energy"]


def test_a_stray_page_after_the_monitored_days_does_not_shrink_the_window(db_path):
    with open_warehouse(db_path) as con:
        load_series(con, {"energy": ENERGY}, TOTALS)
        late = make_article("late", "late", "a page months later", "h-late", published_at=datetime(2024, 11, 3, 9))
        load_batch(con, [late], [make_tag("late", "energy")], [], datetime(2024, 11, 4))
        window = con.execute("select first_day, last_day, before_window from monitored_window").fetchone()
    assert window == (DAY0, date(2024, 11, 3), 0)


def test_a_tiny_warehouse_trends_over_its_newest_stretch(db_path):
    with open_warehouse(db_path) as con:
        load_series(con, {"energy": [1, 1]}, [2, 2])
        old = make_article("old", "old", "an archive page", "h-old", published_at=datetime(2006, 3, 1, 9))
        load_batch(con, [old], [], [], datetime(2024, 7, 5))
        window = con.execute("select first_day, last_day, before_window from monitored_window").fetchone()
    assert window == (DAY0, DAY0 + timedelta(days=1), 1)


def test_the_spike_macro_takes_any_series_and_needs_no_empty_days(db_path):
    # what a watch's own daily count looks like: one key, days without articles left out
    counts = [4, 3, 5, 4, 0, 4, 3, 5, 4, 4, 3, 12]
    totals = [20, 20, 20, 20, 0, 20, 20, 20, 20, 20, 20, 20]
    values = ", ".join(f"('india-oil', date '2024-07-01' + {i}, {n}, {t})"
                       for i, (n, t) in enumerate(zip(counts, totals)) if t)
    with open_warehouse(db_path) as con:
        got = con.execute(f"with series(key, day, articles, day_articles) as (values {values}) "
                          "select day, avg_7d, share, zscore_28d, is_spike from spike_trend('series') "
                          "order by day").fetchall()
    want = [w for w, t in zip(expected_trend(counts, totals), totals) if t]
    assert len(got) == len(want) == 11
    for (_, avg, share, z, spike), (w_avg, w_share, w_z, w_spike) in zip(got, want):
        assert abs(avg - w_avg) < 1e-9 and abs(share - w_share) < 1e-9
        assert (z is None) == (w_z is None) and (z is None or abs(z - w_z) < 1e-9)
        assert spike == w_spike
    assert got[-1][-1] is True
