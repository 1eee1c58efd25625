"""What watches cost a batch load, and what recording one delivery result costs.

Usage: .venv/bin/python benchmarks/alerts.py [N_ARTICLES] [BATCH_SIZE] [N_WATCHES]
       (default 20000 500 5)

Loads N generated articles in batches into a temporary warehouse twice, without and with
N_WATCHES selective watches (queries, themes, a dyad; trigger new; each matching 0-2% of
the articles), and prints the load time per batch and the matches and alerts made. Then times the
deliverer's bookkeeping: opening the warehouse to record one sent alert.
"""

from __future__ import annotations

import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from warehouse.alerts import WatchSet, due_alerts, mark_sent  # noqa: E402
from warehouse.db import open_warehouse  # noqa: E402
from warehouse.load import load_batch  # noqa: E402
from warehouse.watches import Watch  # noqa: E402

WORDS = ("oil crude refinery sanctions missile squadron tariff rupee ruble summit pipeline "
         "frigate drone satellite wheat fertiliser grain port corridor visit talks").split()
THEMES = ("energy", "defense", "trade", "diplomacy", "western_pressure")


@dataclass
class Art:
    article_id: str
    key: str
    title: str
    text: str
    published_at: datetime
    content_hash: str
    source: str = "Wire"
    language: str = "en"
    url: str | None = None
    word_count: int = 60
    simhash: int = 0
    origin: str = "seed"


@dataclass
class Tag:
    article_id: str
    theme: str
    score: float = 2.0
    evidence: dict = field(default_factory=lambda: {"terms": {}, "sentences": [
        {"text": "Evidence sentence.", "start": 0, "end": 18}]})
    taxonomy_version: str = "bench"


@dataclass
class Actor:
    article_id: str
    actor: str
    kind: str = "country"
    mentions: int = 1


def marker(i: int) -> str:
    """Return one of 50 made-up words, by i."""
    return "zz" + chr(97 + i % 25) + chr(97 + (i % 50) // 25)


def batch(start: int, size: int, now: datetime):
    arts, tags, actors = [], [], []
    for i in range(start, start + size):
        words = " ".join(WORDS[(i * 7 + k) % len(WORDS)] for k in range(60))
        # a word one article in 50 has (letters only: the index drops digits), so a watch
        # with it matches about 2% of the articles
        arts.append(Art(f"b{i}", f"k{i}", f"Report {i} on {WORDS[i % len(WORDS)]} {marker(i)}",
                        f"India and Russia: {words}.", now, f"h{i}"))
        tags.append(Tag(f"b{i}", THEMES[i % len(THEMES)]))
        actors += [Actor(f"b{i}", "India")] + ([Actor(f"b{i}", "Russia")] if i % 3 else [])
    return arts, tags, actors


def run(n: int, size: int, watches: WatchSet | None) -> tuple[float, int, int]:
    now = datetime.now(UTC).replace(tzinfo=None)
    with tempfile.TemporaryDirectory(prefix="mw-alerts-") as tmp:
        db = Path(tmp) / "mw.duckdb"
        t = 0.0
        with open_warehouse(db) as con:
            for start in range(0, n, size):
                arts, tags, actors = batch(start, size, now)
                t0 = time.perf_counter()
                load_batch(con, arts, tags, [], now, actors=actors, watches=watches)
                t += time.perf_counter() - t0
            matches = con.execute("select count(*) from watch_matches").fetchone()[0]
            alerts = con.execute("select count(*) from alerts").fetchone()[0]
            due = due_alerts(con, now, limit=20)
        t_mark = 0.0
        for alert in due:
            t0 = time.perf_counter()
            with open_warehouse(db, bare=True) as con:  # as the deliverer does
                mark_sent(con, alert.alert_key, alert.channel, now)
            t_mark += time.perf_counter() - t0
    return t / -(-n // size), matches, alerts, (t_mark / len(due) if due else 0.0)


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 20_000
    size = int(sys.argv[2]) if len(sys.argv) > 2 else 500
    k = int(sys.argv[3]) if len(sys.argv) > 3 else 5
    hook = "json://hooks.example.org/mw"
    # selective watches, as analysts write them: each matches 0-2% of the articles
    kinds = [Watch("q-oil", (hook,), query=f"{marker(7)} crude oil"),
             Watch("q-sanctions", (hook,), query=f"{marker(13)} sanctions tariff"),
             Watch("energy-ru", (hook,), themes=("energy",), languages=("ru",)),
             Watch("dyad", (hook,), dyad=("India", "Russia"), themes=("defense",),
                   query=f"{marker(21)}"),
             Watch("q-summit", (hook,), query=f"{marker(33)} summit talks")]
    watches = WatchSet(tuple((kinds * (k // len(kinds) + 1))[:k] if k <= len(kinds) else
                             [Watch(f"w{i}", (hook,), query=WORDS[i % len(WORDS)])
                              for i in range(k)]), max_age_days=3)
    base, _, _, _ = run(n, size, None)
    with_watches, matches, alerts, mark_s = run(n, size, watches)
    print(f"{n} articles in batches of {size}, {len(watches.watches)} watches "
          "(timings on a shared machine: compare the ratio)")
    print(f"load per batch: {base * 1000:.0f} ms without watches, {with_watches * 1000:.0f} ms "
          f"with ({(with_watches - base) * 1000:.0f} ms, {with_watches / base:.2f}x)")
    print(f"matches recorded: {matches}, alert rows queued: {alerts}")
    print(f"recording one delivery result (open the warehouse, mark sent, close): "
          f"{mark_s * 1000:.0f} ms")


if __name__ == "__main__":
    main()
