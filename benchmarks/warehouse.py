"""Warehouse speed: bulk-load 1M synthetic article_themes rows via Arrow, time the views,
and time the full-text index: a first build, a batch load's update, a full rebuild.

    .venv/bin/python benchmarks/warehouse.py [--tags 1000000] [--fts-articles 20000]

Targets: theme_trend over 1M tag rows < 100 ms (issue 5), and the spike query
(`theme_trend where is_spike`) on 1M tags over 2 years <= 100 ms (issue 18); theme_trend
over 2 years at 1M articles <= 100 ms (issue 20: `--tags 2500000`, ~2.5 themes an
article); load >= 200k rows/s.
Prints its figures; timings depend on the machine and its load (take the median).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pyarrow as pa

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from warehouse import trend_counts  # noqa: E402
from warehouse.db import open_warehouse, transaction  # noqa: E402
from warehouse.load import load_batch  # noqa: E402
from warehouse.search import refresh_search_index  # noqa: E402

THEMES = ["defense", "energy", "western_pressure", "trade", "diplomacy", "ukraine_war",
          "security_architecture", "technology"]
EPOCH = np.datetime64("2023-01-01")


def synthetic(n_tags: int, days: int, rng: np.random.Generator) -> tuple[pa.Table, pa.Table]:
    """Return (articles, article_themes) Arrow tables: ~2.5 themes per article, 5% copies."""
    n_articles = n_tags * 2 // 5
    ids = np.char.add("a", np.arange(n_articles).astype(str))
    day = EPOCH + rng.integers(0, days, n_articles).astype("timedelta64[D]")
    ingested = day.astype("datetime64[us]") + np.timedelta64(6, "h")
    # 3% undated (left out of the trends); the rest published in the small hours of their day
    published = np.where(rng.random(n_articles) < 0.03, np.datetime64("NaT"),
                         day.astype("datetime64[us]") + np.timedelta64(3, "h"))
    copy = rng.random(n_articles) < 0.05
    duplicate_of = np.where(copy, np.char.add("a", rng.integers(0, n_articles, n_articles).astype(str)), None)
    articles = pa.table({
        "article_id": ids, "key": np.char.add("id:", ids),
        "source": np.char.add("source", rng.integers(0, 40, n_articles).astype(str)),
        "title": np.full(n_articles, "title"), "ingested_at": ingested, "day": day,
        "published_at": pa.array(published, pa.timestamp("us")),
        "duplicate_of": pa.array(duplicate_of, pa.string()),
        "content_hash": ids, "word_count": rng.integers(50, 2000, n_articles).astype(np.int32),
    })
    # Each article gets up to 8 distinct themes; take n_tags (article, theme) pairs.
    per_article = np.minimum(rng.poisson(2.5, n_articles) + 1, len(THEMES))
    article_idx = np.repeat(np.arange(n_articles), per_article)
    offsets = np.arange(len(article_idx)) - np.repeat(np.cumsum(per_article) - per_article, per_article)
    start = rng.integers(0, len(THEMES), n_articles)[article_idx]
    theme_idx = (start + offsets) % len(THEMES)
    article_idx, theme_idx = article_idx[:n_tags], theme_idx[:n_tags]
    tags = pa.table({
        "article_id": ids[article_idx],
        "theme": np.array(THEMES)[theme_idx],
        "score": rng.random(len(article_idx)) * 5,
        "evidence": pa.array(["{}"] * len(article_idx), pa.string()),
        "taxonomy_version": pa.array(["bench"] * len(article_idx), pa.string()),
    })
    return articles, tags


def timed(con, query: str, repeats: int, cpu: list[float] | None = None) -> list[float]:
    """Return the wall times (s) of fetching every row of `query`, `repeats` times; append
    the process CPU times (all threads) to `cpu` when given: on a shared machine the wall
    time includes waiting for a core, the CPU time does not."""
    times = []
    for _ in range(repeats):
        t0, c0 = time.perf_counter(), time.process_time()
        con.execute(query).to_arrow_table()
        times.append(time.perf_counter() - t0)
        if cpu is not None:
            cpu.append(time.process_time() - c0)
    return times


def word(i: int) -> str:
    """Return a letters-only pseudo-word (the FTS tokenizer drops digits)."""
    letters, i = "", i + 26 * 26
    while i:
        letters, i = letters + chr(97 + i % 26), i // 26
    return letters


def fts_rebuild(path: Path, n_articles: int, rng: np.random.Generator) -> None:
    """Index `n_articles` 300-word articles, then add 1% twice: through a batch load (the
    index follows in the load's transaction) and by hand (a full rebuild); print times."""
    vocab = np.array([word(i) for i in range(20_000)])

    def articles(start: int, n: int) -> pa.Table:
        words = vocab[rng.zipf(1.3, n * 300) % len(vocab)].reshape(n, 300)
        texts = [" ".join(row) for row in words]
        ids = [f"f{i}" for i in range(start, start + n)]
        return pa.table({"article_id": ids, "key": ids, "source": ["s"] * n,
                         "title": [t[:60] for t in texts], "text": texts, "content_hash": ids,
                         "ingested_at": pa.array([datetime(2024, 1, 1)] * n),
                         "day": pa.array([datetime(2024, 1, 1).date()] * n)})

    def insert(table: pa.Table) -> None:
        with open_warehouse(path) as con, transaction(con):
            con.register("fts_bench", table)
            con.execute("insert into articles by name select * from fts_bench")
            con.unregister("fts_bench")

    insert(articles(0, n_articles))
    first = refresh_search_index(path, datetime.now())
    print(f"fts  first index of {n_articles:,} articles x 300 words (in place, locked): "
          f"{first.build_s:.2f} s = {n_articles / first.build_s:,.0f} articles/s")
    extra = n_articles // 100
    rows = articles(n_articles, extra).to_pylist()
    for row in rows:
        row["word_count"], row["simhash"], row["origin"] = 300, 0, "seed"
    with open_warehouse(path) as con:
        t0 = time.perf_counter()
        load_batch(con, [SimpleNamespace(**row) for row in rows], [], [], datetime.now())
        load_s = time.perf_counter() - t0
        index_s = con.execute("select build_s from search_index").fetchone()[0]
    print(f"fts  batch load of +1% ({extra:,} articles): {load_s:.2f} s, of which the index "
          f"update {index_s:.2f} s (no rebuild)")
    insert(articles(n_articles + extra, extra))
    again = refresh_search_index(path, datetime.now())
    print(f"fts  +1% inserted by hand, so a full rebuild (side build, then swap): "
          f"{again.build_s:.2f} s in all, warehouse write-locked {again.locked_s:.2f} s of it")


def batch_load(con, n_articles: int, rng: np.random.Generator, size: int = 500) -> None:
    """Time load_batch of `size` new tagged articles into the warehouse, with and without
    keeping the daily counts (the part of a load this benchmark's views depend on)."""
    def rows(start: int) -> tuple[list, list]:
        batch = [SimpleNamespace(article_id=f"b{i}", key=f"b{i}", source="s", title="t",
                                 text=f"text {i}", content_hash=f"hb{i}", word_count=2,
                                 simhash=0, origin="seed",
                                 published_at=datetime(2024, 12, 30, 9), date_source="published")
                 for i in range(start, start + size)]
        tags = [SimpleNamespace(article_id=r.article_id, theme=THEMES[i % len(THEMES)], score=1.0,
                                evidence="{}", taxonomy_version="bench") for i, r in enumerate(batch)]
        return batch, tags

    t0 = time.perf_counter()
    load_batch(con, *rows(n_articles), [], datetime(2024, 12, 31))
    load_s = time.perf_counter() - t0
    con.execute("create or replace temp table bench_ids as select article_id from articles "
                "where article_id like 'b%'")
    t0 = time.perf_counter()
    with transaction(con):
        trend_counts.retract(con, "bench_ids")
        trend_counts.add(con, "bench_ids")
    counts_s = time.perf_counter() - t0
    print(f"load one batch of {size} tagged articles into {n_articles:,}: {load_s:.2f} s, of "
          f"which keeping the daily counts ~{counts_s * 1000:.0f} ms (index not built here)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tags", type=int, default=1_000_000, help="article_themes rows")
    parser.add_argument("--days", type=int, default=730, help="calendar days spanned")
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--threads", type=int, default=0, help="DuckDB threads (0: its default)")
    parser.add_argument("--fts-articles", type=int, default=20_000,
                        help="articles for the FTS rebuild timing (0 to skip)")
    args = parser.parse_args()
    rng = np.random.default_rng(5)
    articles, tags = synthetic(args.tags, args.days, rng)
    print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} "
          "(figures are noisy when the machine is shared)")
    with tempfile.TemporaryDirectory() as tmp, open_warehouse(Path(tmp) / "bench.duckdb") as con:
        # the writer's 128 MB cap (warehouse/db.py) is for a batch, not a million-row insert
        con.execute("set memory_limit = '2GB'")
        if args.threads:
            con.execute(f"set threads = {int(args.threads)}")
        for name, table in (("articles", articles), ("article_themes", tags)):
            t0 = time.perf_counter()
            with transaction(con):
                con.register("bench_rows", table)
                con.execute(f"insert into {name} by name select * from bench_rows")  # noqa: S608 - our table names
                con.unregister("bench_rows")
            elapsed = time.perf_counter() - t0
            print(f"load {name:<15} {len(table):>9,} rows in {elapsed:6.2f} s = "
                  f"{len(table) / elapsed:>10,.0f} rows/s (Arrow, one transaction)")
        # rows written by hand: fill the daily counts a load keeps (what a retag or a
        # timezone change costs at this size)
        t0 = time.perf_counter()
        with transaction(con):
            trend_counts.rebuild(con)
        print(f"daily counts rebuilt from every article in {time.perf_counter() - t0:6.2f} s")
        con.execute("checkpoint")
        queries = {
            "theme_daily": "select * from theme_daily",
            "theme_trend": "select * from theme_trend",
            "spike query": "select * from theme_trend where is_spike",
            "monitored_window": "select * from monitored_window",
            "source_daily": "select * from source_daily",
            "latest_articles": "select * from latest_articles",
        }
        for name, query in queries.items():
            cpu: list[float] = []
            times = timed(con, query, args.repeats, cpu)
            rows = len(con.execute(query).fetchall())
            print(f"view {name:<16} {rows:>9,} rows: median {statistics.median(times) * 1000:7.1f} ms"
                  f", best {min(times) * 1000:7.1f} ms over {args.repeats} runs"
                  f" (CPU median {statistics.median(cpu) * 1000:6.1f} ms)")
        span = con.execute("select first_day, last_day, dated_articles, undated_articles "
                           "from monitored_window").fetchone()
        print(f"     theme_trend covers {span[0]} to {span[1]}: {span[2]:,} dated articles, "
              f"{span[3]:,} undated left out")
        batch_load(con, n_articles=len(articles), rng=rng)
    if args.fts_articles:
        with tempfile.TemporaryDirectory() as tmp:
            fts_rebuild(Path(tmp) / "fts.duckdb", args.fts_articles, rng)


if __name__ == "__main__":
    main()
