"""Story assignment: the cost of one batch as the archive grows, and quality on the dev set.

    .venv/bin/python benchmarks/stories.py [--archive 10000,100000] [--batch 500] [--runs 3]
    .venv/bin/python benchmarks/stories.py --dev [../shared/corpus/stories/dev.jsonl]

Speed (issue 17): assigning a batch of 500 into an archive of 100,000 articles takes under 2 s,
and the cost stays flat as the archive grows. The archive is synthetic: 500 articles a day,
~5 articles per story, each story with its own topic words over a shared vocabulary, stored
with its centroid as a load would leave it. The timed part is `assign_stories` inside a
transaction (read the open stories, cluster, match, write), rolled back between runs.

Quality (--dev): the dev gold ingested through the same assignment in batches of 500, scored
with B-cubed precision/recall/F1 and ARI (docs/stories.md has the figures and what was tried).
Timings depend on the machine and its load (take the median).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from collections import Counter
from datetime import datetime, timedelta
from pathlib import Path

import numpy as np
import pyarrow as pa

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from extractors.actors import find_actors, load_gazetteer  # noqa: E402
from extractors.evaluate import score_stories  # noqa: E402
from extractors.stories import article_features  # noqa: E402
from warehouse.db import open_warehouse, transaction  # noqa: E402
from warehouse.stories import (MAX_FEATURES, Story, StoryParams, assign,  # noqa: E402
                               assign_stories, merge_stories)

PER_DAY = 500
PER_STORY = 5
VOCABULARY = 20_000
START = datetime(2025, 1, 1, 6)


def story_features(rng: np.random.Generator, topic: np.ndarray) -> dict[str, float]:
    """Return one synthetic article of a story: 3 of its 6 topic words, 6 common words."""
    words = list(rng.choice(topic, 3, replace=False)) + list(rng.integers(0, VOCABULARY, 6))
    features = {f"w:{w}": 2.0 for w in words}
    features[f"n:{int(rng.integers(100, 10_000))}"] = 3.0
    return features


def build_archive(con, n_articles: int, rng: np.random.Generator) -> list[np.ndarray]:
    """Store `n_articles` synthetic articles in stories of ~5, 500 a day; return the topics
    of the stories of the last three days (what the next batch continues)."""
    days = n_articles // PER_DAY
    ids, stories_col, seen, story_rows, recent = [], [], [], [], []
    serial = 0
    for day in range(days):
        when = START + timedelta(days=day)
        for _ in range(PER_DAY // PER_STORY):
            topic = rng.integers(0, VOCABULARY, 6)
            story_id = f"s{serial}"
            counts, weights = Counter(), Counter()
            for _ in range(PER_STORY):
                article_id = f"a{serial}"
                serial += 1
                features = story_features(rng, topic)
                counts.update(features.keys())
                weights.update(features)
                ids.append(article_id)
                stories_col.append(story_id)
                seen.append(when)
            top = counts.most_common(MAX_FEATURES)
            story_rows.append((story_id, when, PER_STORY, [k for k, _ in top],
                               [n for _, n in top], [weights[k] for k, _ in top]))
            if day >= days - 3:
                recent.append(topic)
    con.register("bench_articles", pa.table({
        "article_id": ids, "story_id": stories_col,
        "seen": pa.array(seen, pa.timestamp("us"))}))
    con.execute("insert into articles (article_id, key, source, title, language, published_at,"
                " ingested_at, day, story_id) select article_id, 'id:' || article_id,"
                " 'source' || (hash(article_id) % 40), 'synthetic', 'en', seen, seen,"
                " cast(seen as date), story_id from bench_articles")
    con.unregister("bench_articles")
    con.register("bench_stories", pa.table({
        "story_id": [r[0] for r in story_rows],
        "seen": pa.array([r[1] for r in story_rows], pa.timestamp("us")),
        "members": [r[2] for r in story_rows], "feature_names": [r[3] for r in story_rows],
        "feature_counts": [r[4] for r in story_rows],
        "feature_weights": [r[5] for r in story_rows]}))
    con.execute("insert into stories (story_id, title, first_seen, last_seen, articles, outlets,"
                " members, feature_names, feature_counts, feature_weights, updated_at)"
                " select story_id, 'synthetic', seen, seen, members, members, members,"
                " feature_names, feature_counts, feature_weights, seen from bench_stories")
    con.unregister("bench_stories")
    return recent


def time_batch(n_archive: int, batch: int, runs: int, seed: int = 17) -> list[float]:
    """Return the seconds of `runs` assignments of one batch into an archive of `n_archive`."""
    rng = np.random.default_rng(seed)
    with tempfile.TemporaryDirectory() as tmp, open_warehouse(Path(tmp) / "bench.duckdb") as con:
        recent = build_archive(con, n_archive, rng)
        when = START + timedelta(days=n_archive // PER_DAY)
        features = {}
        for i in range(batch):
            # 60% continue a story of the last three days, 40% are new events
            topic = recent[int(rng.integers(0, len(recent)))] if rng.random() < 0.6 \
                else rng.integers(0, VOCABULARY, 6)
            features[f"b{i}"] = story_features(rng, topic)
        con.register("bench_batch", pa.table({"article_id": list(features)}))
        con.execute("insert into articles (article_id, key, source, title, language,"
                    " published_at, ingested_at, day) select article_id, 'id:' || article_id,"
                    " 'source1', 'synthetic', 'en', ?, ?, cast(? as date) from bench_batch",
                    [when, when, when])
        con.unregister("bench_batch")
        open_stories = con.execute("select count(*) from stories where last_seen >= ?",
                                   [when - timedelta(days=3)]).fetchone()[0]
        seconds, cpu = [], []
        for _ in range(runs):
            con.execute("begin transaction")
            t0, c0 = time.perf_counter(), time.process_time()
            assign_stories(con, list(features), features, when, StoryParams())
            seconds.append(time.perf_counter() - t0)
            cpu.append(time.process_time() - c0)
            con.execute("rollback")
        print(f"archive {n_archive:>7,} articles ({open_stories:,} stories open): batch of "
              f"{batch} assigned in median {statistics.median(seconds):.2f} s "
              f"(runs: {', '.join(f'{s:.2f}' for s in seconds)}; CPU {statistics.median(cpu):.2f} s, "
              "which a busy machine does not inflate)", flush=True)
        return seconds


def dev_quality(path: Path, batch: int = 500, params: StoryParams | None = None) -> tuple:
    """Return (P, R, F1, ARI, stories) of the assignment on a gold file, in batches."""
    records = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    return quality(records, batch, params)


def quality(records: list[dict], batch: int = 500, params: StoryParams | None = None) -> tuple:
    """Return (P, R, F1, ARI, stories) of the assignment of gold records, in batches, as a
    load does it: assign, then merge the stories that became similar."""
    params = params or StoryParams()
    gazetteer = load_gazetteer()
    stories: list[Story] = []
    predicted: dict[str, str] = {}

    def features(r: dict) -> dict[str, float]:
        # as the ingest does: the gazetteer's actors of the title and text, then the features
        title, text = r.get("title") or "", r.get("text") or ""
        actors = [(m.actor, m.kind) for m in find_actors(r["id"], title, text, gazetteer)]
        return article_features(title, text, r.get("language"), actors, url=r.get("url"))

    for start in range(0, len(records), batch):
        chunk = [(r["id"], datetime.fromisoformat(r["published_at"].replace("Z", "")),
                  features(r)) for r in records[start:start + batch]]
        for story in stories:
            story.touched = False  # as when a load reads the open stories
        # every story of the dev set is within the window of every other: all stay open
        predicted.update(assign(chunk, stories, params))
        merged = merge_stories(stories, params)
        predicted = {a: merged.get(s, s) for a, s in predicted.items()}
        for story in stories:
            story.trim()  # as stored, and read back by the next batch
    score = score_stories(predicted, {r["id"]: r["story"] for r in records})
    return score.precision, score.recall, score.f1, score.ari, score.stories


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--archive", default="10000,100000", help="archive sizes to time")
    parser.add_argument("--batch", type=int, default=500)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--dev", nargs="?", const=str(ROOT.parent / "shared" / "corpus" /
                                                      "stories" / "dev.jsonl"),
                        help="score the dev gold instead of timing")
    args = parser.parse_args()
    if args.dev:
        path = Path(args.dev)
        if not path.exists():
            sys.exit(f"no gold file at {path}: pass its path to --dev")
        p, r, f1, ari, n = dev_quality(path, args.batch)
        print(f"{path.name}: B-cubed P {p:.3f} R {r:.3f} F1 {f1:.3f}, ARI {ari:.3f}, "
              f"{n} stories (batches of {args.batch})")
        return
    medians = {}
    for size in (int(s) for s in args.archive.split(",")):
        medians[size] = statistics.median(time_batch(size, args.batch, args.runs))
    sizes = sorted(medians)
    if len(sizes) > 1:
        print(f"cost ratio {sizes[-1]:,} vs {sizes[0]:,} articles: "
              f"{medians[sizes[-1]] / medians[sizes[0]]:.2f}x for a {sizes[-1] / sizes[0]:.0f}x "
              "larger archive (flat = 1)")


if __name__ == "__main__":
    main()
