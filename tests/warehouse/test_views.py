"""The public views on a real DuckDB file: dense calendar, moving averages, spikes, sources."""

import statistics
from datetime import date, datetime, timedelta

from tests.warehouse.test_load import Fail, Row, Tag
from warehouse.db import open_warehouse
from warehouse.load import load_batch

DAY0 = date(2024, 7, 1)
# energy articles per day; day 5 (index 4) has no articles at all, day 10 is a burst
ENERGY = [1, 2, 1, 2, 0, 2, 1, 2, 1, 6]


def load_energy_series(con):
    rows, tags = [], []
    for i, n in enumerate(ENERGY):
        for j in range(n):
            aid = f"e{i}-{j}"
            rows.append(Row(aid, aid, f"text {aid}", f"h-{aid}",
                            published_at=datetime.combine(DAY0 + timedelta(days=i), datetime.min.time())))
            tags.append(Tag(aid, "energy"))
    tags.append(Tag("e0-0", "defense"))  # defense appears once, on the first day
    load_batch(con, rows, tags, [], datetime(2024, 7, 11))


def expected_trend(counts):
    out = []
    for i, n in enumerate(counts):
        week = counts[max(0, i - 6): i + 1]
        base = counts[max(0, i - 28): i]
        sd = statistics.stdev(base) if len(base) >= 2 else None
        mean = statistics.mean(base) if base else None
        z = (n - mean) / sd if len(base) >= 7 and sd else None
        spike = len(base) >= 7 and n >= 3 and n > mean and ((z or 0) >= 2 or sd == 0)
        out.append((sum(week) / len(week), z, spike))
    return out


def test_theme_trend_is_dense_with_right_averages_and_spikes(db_path):
    with open_warehouse(db_path) as con:
        load_energy_series(con)
        energy = con.execute("select day, articles, avg_7d, zscore_28d, is_spike from theme_trend "
                             "where theme = 'energy' order by day").fetchall()
        defense = con.execute("select articles from theme_trend where theme = 'defense' "
                              "order by day").fetchall()
    assert [d for d, *_ in energy] == [DAY0 + timedelta(days=i) for i in range(len(ENERGY))]
    assert [n for _, n, *_ in energy] == ENERGY
    for (_, _, avg, z, spike), (want_avg, want_z, want_spike) in zip(energy, expected_trend(ENERGY)):
        assert abs(avg - want_avg) < 1e-9
        assert (z is None) == (want_z is None) and (z is None or abs(z - want_z) < 1e-9)
        assert spike == want_spike
    assert [s for *_, s in energy].count(True) == 1 and energy[-1][-1] is True
    assert [n for (n,) in defense] == [1] + [0] * (len(ENERGY) - 1)


def test_flat_baseline_then_a_rise_is_a_spike_but_a_small_one_is_not(db_path):
    series = {"defense": [1] * 8 + [2], "energy": [1] * 8 + [4]}  # flat baselines: stddev 0
    with open_warehouse(db_path) as con:
        rows, tags = [], []
        for theme, counts in series.items():
            for i, n in enumerate(counts):
                for j in range(n):
                    aid = f"{theme}{i}-{j}"
                    rows.append(Row(aid, aid, aid, aid, published_at=datetime(2024, 7, 1) + timedelta(days=i)))
                    tags.append(Tag(aid, theme))
        load_batch(con, rows, tags, [], datetime(2024, 8, 1))
        flags = {theme: [r[0] for r in con.execute(
            "select is_spike from theme_trend where theme = ? order by day", [theme]).fetchall()]
            for theme in series}
        z = con.execute("select zscore_28d from theme_trend where theme = 'energy' "
                        "order by day desc limit 1").fetchone()[0]
    # 2 articles is below the 3-article floor; 4 after a flat week of 1s is a spike (z undefined)
    assert flags["defense"] == [s for _, _, s in expected_trend(series["defense"])] == [False] * 9
    assert flags["energy"] == [False] * 8 + [True] and z is None


def test_source_daily_counts_articles_copies_and_failures(db_path):
    t = datetime(2024, 7, 2, 6)
    with open_warehouse(db_path) as con:
        load_batch(con, [Row("a", "ka", "same", "h", source="Wire", published_at=datetime(2024, 7, 1)),
                         Row("b", "kb", "same", "h", source="Reprint", published_at=datetime(2024, 7, 1)),
                         Row("c", "kc", "other", "h2", source="Wire", published_at=datetime(2024, 7, 1))],
                   [], [Fail("https://wire/x", source="Wire", stage="fetch")], t)
        rows = con.execute("select day, source, articles, failures, duplicates from source_daily "
                           "order by day, source").fetchall()
    assert rows == [(date(2024, 7, 1), "Reprint", 1, 0, 1), (date(2024, 7, 1), "Wire", 2, 0, 0),
                    (date(2024, 7, 2), "Wire", 0, 1, 0)]


def test_latest_articles_are_the_newest_week_of_distinct_articles(db_path):
    with open_warehouse(db_path) as con:
        load_energy_series(con)
        load_batch(con, [Row("copy", "kcopy", "text e9-0", "h-e9-0",
                             published_at=datetime(2024, 7, 10, 12))], [], [], datetime(2024, 7, 12))
        rows = con.execute("select day, themes, copies, article_id from latest_articles").fetchall()
        newest_week = con.execute(
            "select count(*) from articles where duplicate_of is null and day > date '2024-07-03'"
        ).fetchone()[0]
    assert len(rows) == newest_week
    assert [r[0] for r in rows] == sorted((r[0] for r in rows), reverse=True)
    assert min(r[0] for r in rows) == date(2024, 7, 4)
    assert "copy" not in {r[3] for r in rows}
    assert dict((r[3], r[2]) for r in rows)["e9-0"] == 1
    assert dict((r[3], r[1]) for r in rows)["e9-0"] == ["energy"]
