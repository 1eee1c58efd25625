"""How long the digest takes on a synthetic warehouse: queries, then rendering the four files.

    .venv/bin/python benchmarks/digest.py [ARTICLES]   (default 100000 over 60 days)

Prints wall-clock seconds per step; the machine's load makes them noisy, so run it twice.
"""

from __future__ import annotations

import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from warehouse.db import connect  # noqa: E402
from warehouse.digest import digest_articles, digest_data  # noqa: E402
from warehouse.digest_export import write_digest_files  # noqa: E402

THEMES = ["defense", "energy", "western_pressure", "trade", "diplomacy", "ukraine_war",
          "security_architecture", "technology"]
DAYS = 60
LAST_DAY = date(2024, 7, 9)


def fill(con, n: int) -> None:
    """Insert `n` articles over DAYS days (every 5th a copy of the one before) with 1-2 themes."""
    con.execute("""
        insert into articles (article_id, key, url, source, title, published_at, ingested_at,
                              day, text, word_count, duplicate_of, content_hash, origin)
        select printf('a%09d', i), printf('id:%d', i), printf('https://news.example/%d', i),
               printf('Outlet %d', i % 40), printf('Headline number %d about India and Russia', i),
               cast($last as timestamp) - to_days(cast(i % $days as integer))
                   + to_minutes(cast(i % 1440 as integer)),
               cast($last as timestamp),
               cast($last as date) - cast(i % $days as integer),
               'India and Russia signed a deal. More text follows here.', 9,
               case when i % 5 = 4 then printf('a%09d', i - 1) end,
               printf('h%d', i), 'seed'
        from range($n) t(i)
    """, {"n": n, "days": DAYS, "last": LAST_DAY})
    con.execute("""
        insert into article_themes
        select article_id, $themes[1 + (hash(article_id) % 8)::integer],
               (hash(article_id) % 100) / 10.0,
               '{"terms": {"deal": 1}, "sentences": [{"text": "India and Russia signed a deal.",
                 "start": 50, "end": 81}]}', 'bench'
        from articles
        union all
        select article_id, $themes[1 + (hash(article_id || 'x') % 8)::integer], 1.0, '{}', 'bench'
        from articles where hash(article_id) % 3 = 0
        on conflict do nothing
    """, {"themes": THEMES})


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    with tempfile.TemporaryDirectory() as tmp:
        con = connect(Path(tmp) / "bench.duckdb")
        t0 = time.perf_counter()
        fill(con, n)
        print(f"filled {n} articles over {DAYS} days in {time.perf_counter() - t0:.2f} s")
        t0 = time.perf_counter()
        data = digest_data(con, LAST_DAY)
        t1 = time.perf_counter()
        articles = digest_articles(con, LAST_DAY)
        t2 = time.perf_counter()
        paths = write_digest_files(data, articles, Path(tmp) / "out")
        t3 = time.perf_counter()
        print(f"digest_data {t1 - t0:.2f} s, digest_articles {t2 - t1:.2f} s "
              f"({len(articles)} rows), render+write 4 files {t3 - t2:.2f} s")
        for p in paths:
            print(f"  {p.name}: {p.stat().st_size / 1024:.0f} KiB")


if __name__ == "__main__":
    main()
