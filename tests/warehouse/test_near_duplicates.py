"""Near-duplicate linking in the load path (SimHash bands in SQL), for every source."""

import dataclasses
import random
import time

from extractors import dedupe
from extractors.dedupe import NearDuplicateIndex
from extractors.pipeline import build_article
from extractors.records import SourceDocument
from tests.extractors.test_dedupe import story
from tests.records import T0, T1, make_tag
from warehouse.db import open_warehouse
from warehouse.load import load_batch, near_candidates


def load_deduped(con, articles, tags, now):
    """What the ingest flow's load task does: candidates, links, load."""
    known = near_candidates(con, dedupe.fingerprints(articles), dedupe.BANDS, dedupe.BAND_BITS,
                            dedupe.MIN_NEAR_COPY_WORDS, dedupe.MAX_HAMMING)
    return load_batch(con, articles, tags, [], now, dedupe.near_duplicate_links(articles, known))


def article(key, words, origin="seed", published="2024-07-09T08:00:00"):
    from extractors.seeds import parse_datetime

    doc = SourceDocument(key=key, origin=origin, source=origin, location=key, title="Wire story",
                         text=" ".join(words), published_at=parse_datetime(published))
    return build_article(doc)


def edited(words, *positions):
    copy = list(words)
    for p in positions:
        copy[p] = f"edit{p}"
    return copy


def links(con):
    ids = dict(con.execute("select article_id, key from articles").fetchall())
    return {ids[a]: ids.get(d) for a, d in
            con.execute("select article_id, duplicate_of from articles").fetchall()}


def test_near_copies_link_to_the_first_across_batches_and_sources(db_path):
    base, other = story(11), story(12)
    first = article("seed:wire.txt", base)
    with open_warehouse(db_path) as con:
        load_deduped(con, [first, article("seed:other.txt", other)],
                     [make_tag(first.article_id, "energy")], T0)
        copy = article("https://reprint.example/a", edited(base, 40), origin="feed")
        copy_of_copy = article("https://third.example/a", edited(base, 40, 90), origin="feed")
        counts = load_deduped(con, [copy, copy_of_copy],
                              [make_tag(copy.article_id, "energy"),
                               make_tag(copy_of_copy.article_id, "energy")], T1)
        got = links(con)
        daily = con.execute("select articles from theme_daily where theme = 'energy'").fetchall()
    assert got["https://reprint.example/a"] == "seed:wire.txt"
    assert got["https://third.example/a"] == "seed:wire.txt"
    assert got["seed:other.txt"] is None and got["seed:wire.txt"] is None
    assert counts.duplicates == 2
    assert daily == [(1,)]  # three copies, one story


def test_batches_link_like_one_index_over_thousands_of_copies(db_path):
    rng = random.Random(5)
    stories = [story(100 + i) for i in range(5)]
    articles, index, expected = [], NearDuplicateIndex(), {}
    for i in range(1500):
        s = rng.randrange(5)
        words = edited(stories[s], rng.randrange(150)) if i >= 5 else stories[i]
        a = article(f"https://site{i}.example/story", words, origin="feed")
        articles.append(a)
        expected[a.key] = index.add(a.key, a.simhash, a.word_count)
    t0 = time.perf_counter()
    with open_warehouse(db_path) as con:
        for n, start in enumerate(range(0, len(articles), 500)):
            load_deduped(con, articles[start:start + 500], [], T0.replace(minute=n))
        got = links(con)
    elapsed = time.perf_counter() - t0
    # loading in three batches finds the same first-seen articles as one index over the
    # whole stream, and links every copy to one of them within the threshold (a copy near
    # two first-seen articles of one batch may pick either: rows keep no order in a batch)
    roots = {k for k, v in got.items() if v is None}
    assert roots == {k for k, v in expected.items() if v is None}
    fingerprints = {a.key: a.simhash for a in articles}
    for key, first in got.items():
        if first is not None:
            assert first in roots
            assert dedupe.similarity(fingerprints[key], fingerprints[first]) >= 0.9 or \
                fingerprints[key] == fingerprints[first]
    assert sum(v is None for v in got.values()) < 300
    print(f"1500 near-identical articles loaded in {elapsed:.1f} s")


def test_candidates_are_every_stored_first_seen_within_the_distance(db_path):
    """The banded look-up (near_candidates.sql) returns what comparing every pair returns,
    around the threshold: 0-8 differing bits, spread at random and as evenly over the bands
    as can be (the hardest case for the probes)."""
    rng = random.Random(11)
    base = [rng.getrandbits(64) for _ in range(40)]
    queries = []
    for i, fp in enumerate(base):
        flipped = rng.sample(range(64), i % 9) if i % 2 else \
            [(k % dedupe.BANDS) * dedupe.BAND_BITS + k // dedupe.BANDS for k in range(i % 9)]
        for bit in flipped:
            fp ^= 1 << bit
        queries.append(fp)

    def signed(fp):
        return fp - (1 << 64) if fp >= 1 << 63 else fp

    stored = []
    for i, fp in enumerate(base):
        a = article(f"https://stored.example/{i}", story(300 + i), origin="feed")
        stored.append(dataclasses.replace(a, simhash=signed(fp)))
    with open_warehouse(db_path) as con:
        load_batch(con, stored, [], [], T0)
        got = near_candidates(con, [signed(q) for q in queries], dedupe.BANDS, dedupe.BAND_BITS,
                              dedupe.MIN_NEAR_COPY_WORDS, dedupe.MAX_HAMMING)
    expected = {a.article_id for a in stored
                if any(dedupe.similarity(a.simhash, q) >= 1 - dedupe.MAX_HAMMING / 64
                       for q in queries)}
    assert {article_id for article_id, _ in got} == expected
    assert 5 < len(expected) < 40  # some near, some just too far
