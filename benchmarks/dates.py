"""Dates and trends on the real feed mix: how each day was known, what the trends leave out,
what the analyst's timezone moves, and which days spike by share vs by raw count.

    python benchmarks/dates.py [--corpus ../shared/corpus]

Loads themes/realmix-dev-{en,ru}.jsonl (as `.jsonl` seeds: the real extraction, tagging and
load code, without Prefect) into a throwaway warehouse and prints the figures. Skips with a
message when the corpus is absent.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from extractors.pipeline import process_batch  # noqa: E402
from extractors.records import SourceDocument  # noqa: E402
from extractors.seeds import iter_seed_documents  # noqa: E402
from extractors.taxonomy import load_taxonomy  # noqa: E402
from warehouse.days import set_day_timezone  # noqa: E402
from warehouse.db import open_warehouse  # noqa: E402
from warehouse.load import load_batch  # noqa: E402

FILES = ("realmix-dev-en.jsonl", "realmix-dev-ru.jsonl")
# the raw-count rule theme_trend used before issue 18, for comparison
COUNT_SPIKES = """
with dense as (select day, theme, articles from theme_trend),
w as (select *, avg(articles) over b as m, stddev_samp(articles) over b as sd, count(*) over b as n
      from dense window b as (partition by theme order by day rows between 28 preceding and 1 preceding))
select count(*) from w
where n >= 7 and articles >= 3 and articles > m and ((articles - m) / nullif(sd, 0) >= 2 or sd = 0)
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus")
    args = parser.parse_args()
    themes = args.corpus / "themes"
    if not all((themes / f).exists() for f in FILES):
        print(f"skipped: {themes} does not hold {', '.join(FILES)}")
        return
    with tempfile.TemporaryDirectory() as tmp:
        seeds = Path(tmp) / "seeds"
        seeds.mkdir()
        for name in FILES:
            shutil.copy(themes / name, seeds / name)  # a throwaway copy, never in the repo
        items = list(iter_seed_documents(seeds))
        result = process_batch([d for d in items if isinstance(d, SourceDocument)], load_taxonomy())
        now = datetime(2026, 1, 5, 12)
        with open_warehouse(Path(tmp) / "w.duckdb") as con:
            load_batch(con, result.articles, result.tags, result.failures, now, actors=result.actors)
            print(f"{len(result.articles)} articles loaded from {', '.join(FILES)}")
            for source, n in con.execute("select date_source, count(*) from articles "
                                         "group by all order by 2 desc").fetchall():
                print(f"  date_source {source:<10} {n:>5}")
            first, last, dated, undated, before = con.execute(
                "select * from monitored_window").fetchone()
            span = con.execute("select min(day), max(day) from articles "
                               "where published_at is not null").fetchone()
            print(f"dated days span {span[0]} to {span[1]} ({(span[1] - span[0]).days + 1} days); "
                  f"theme_trend covers {first} to {last} ({(last - first).days + 1} days): "
                  f"{dated} dated articles, {undated} undated and {before} older left out")
            share, count = (con.execute("select count(*) from theme_trend where is_spike").fetchone()[0],
                            con.execute(COUNT_SPIKES).fetchone()[0])
            print(f"spike days (theme x day): {share} by share (now), {count} by raw count (before)")
            ru = "select count(*) from articles where language = 'ru' and published_at is not null"
            total_ru = con.execute(ru).fetchone()[0]
            moved = set_day_timezone(con, "Europe/Moscow")
            moved_ru = con.execute(
                "select count(*) from articles where language = 'ru' and published_at is not null "
                "and day <> cast(published_at as date)").fetchone()[0]
            print(f"timezone Europe/Moscow: {moved} articles changed day, {moved_ru} of "
                  f"{total_ru} dated Russian ones ({moved_ru / max(total_ru, 1):.1%}) were on the "
                  "previous (UTC) day")


if __name__ == "__main__":
    main()
