"""Open stories that grow alike merge: the pure rule, and the move of their articles in DuckDB."""

from __future__ import annotations

import copy
import random
from collections import Counter
from datetime import datetime, timedelta

import pyarrow as pa

from warehouse.db import open_warehouse
from warehouse.stories import (Story, StoryParams, Weights, assign, assign_stories,
                               batch_weights, merge_stories, merge_threshold, stored_centroids,
                               time_factor, unit_rows, vocabulary)

DAY = datetime(2024, 3, 10, 8)
# Two halves of one event (a bankruptcy told with two vocabularies that share its names) and
# an unrelated event, each with four members of the same features.
SBARRO_A = {"w:sbarro": 2.0, "w:pizza": 2.0, "w:bankruptci": 2.0, "w:file": 2.0}
SBARRO_B = {"w:sbarro": 2.0, "w:pizza": 2.0, "w:chapter": 2.0, "w:bankruptci": 2.0}
VOICE = {"w:voic": 2.0, "w:blind": 2.0, "w:audit": 2.0, "w:coach": 2.0}


def story(story_id: str, features: dict, members: int, touched: bool,
          when: datetime = DAY) -> Story:
    s = Story(story_id, when, when, counts=Counter(), weights=Counter())
    for _ in range(members):
        s.add(features, when)
    s.touched = touched
    return s


def test_similar_open_stories_merge_into_the_bigger_and_others_stay():
    stories = [story("s1", SBARRO_A, 6, False), story("s2", VOICE, 4, False),
               story("s3", SBARRO_B, 4, True)]
    assert merge_stories(stories, StoryParams()) == {"s3": "s1"}
    assert [s.story_id for s in stories] == ["s1", "s2"]
    assert stories[0].members == 10 and stories[0].counts["w:chapter"] == 4


def test_untouched_stories_do_not_merge_and_the_window_keeps_them_apart():
    params = StoryParams()
    untouched = [story("s1", SBARRO_A, 6, False), story("s3", SBARRO_B, 4, False),
                 story("s2", VOICE, 4, True)]
    assert merge_stories(untouched, params) == {}
    far = [story("s1", SBARRO_A, 6, False),
           story("s3", SBARRO_B, 4, True, DAY + timedelta(days=params.window_days + 1)),
           story("s2", VOICE, 4, False)]
    assert merge_stories(far, params) == {}


def whole_matrix_merge(stories: list[Story], params: StoryParams) -> dict[str, str]:
    """The rule merge_stories keeps, done the slow obvious way: every merge compares every
    pair of open stories again, and takes the pair most over its threshold (ties: the
    first pair in list order)."""
    merged = {}
    while True:
        weights = Weights(stories, [], params.idf_power, params.prior_docs)
        vectors = [weights.vector({k: w / s.members for k, w in s.weights.items()})
                   for s in stories]
        rows = unit_rows(vectors, vocabulary(vectors))
        similarity = (rows @ rows.T).toarray()
        best = None
        for a, first in enumerate(stories):
            for b in range(a + 1, len(stories)):
                second = stories[b]
                if not (first.touched or second.touched):
                    continue
                gap = max(0.0, second.first_seen.timestamp() - first.last_seen.timestamp(),
                          first.first_seen.timestamp() - second.last_seen.timestamp()) / 86400.0
                margin = (similarity[a, b] * time_factor(gap, params)
                          - merge_threshold(first.members, second.members, params))
                if margin >= 0 and (best is None or margin > best[0]):
                    best = (margin, a, b)
        if best is None:
            break
        _, a, b = best
        if (stories[b].members, -stories[b].first_seen.timestamp()) > (
                stories[a].members, -stories[a].first_seen.timestamp()):
            a, b = b, a
        stories[a].absorb(stories[b])
        merged[stories[b].story_id] = stories[a].story_id
        del stories[b]
    for old, new in merged.items():
        while new in merged:
            new = merged[new]
        merged[old] = new
    return merged


def test_merging_keeps_only_touched_rows_yet_merges_as_comparing_every_pair_would():
    """merge_stories keeps a row of margins per touched story, not the n x n matrix; on
    random open stories (few features: exact ties, chains of merges, untouched pairs that
    must not merge) it merges the same pairs, in the same order, as the whole matrix."""
    params, start, merges = StoryParams(), datetime(2026, 1, 1), 0
    for seed in range(120):
        rng = random.Random(seed)
        vocabulary_ = [f"w:{i}" for i in range(rng.randint(1, 8))]
        stories = []
        for n in range(rng.randint(2, 20)):
            members = rng.choice([1, 1, 2, 3, 5])
            features = rng.sample(vocabulary_, rng.randint(1, len(vocabulary_)))
            when = start + timedelta(days=rng.choice([0, 0, 1, 2, 5]))
            stories.append(Story(
                f"s{n}", when, when + timedelta(hours=rng.choice([0, 5])), members,
                Counter(dict.fromkeys(features, members)),
                Counter({f: members * rng.choice([1.0, 2.0]) for f in features}),
                touched=rng.random() < 0.3))
        expected_stories = copy.deepcopy(stories)
        expected = whole_matrix_merge(expected_stories, params)
        assert merge_stories(stories, params) == expected, seed
        assert [(s.story_id, s.members, s.counts) for s in stories] == [
            (s.story_id, s.members, s.counts) for s in expected_stories], seed
        merges += len(expected)
    assert merges > 300  # the cases do merge, often several times over


def as_stored(stories: list[Story]) -> list[Story]:
    """Copies of `stories` as load_open_stories gives them: centroids as rows of one
    StoredCentroids (from the [count, weight] lists open.sql reads), no Counters."""
    stored = stored_centroids(*(pa.chunked_array([pa.array(
        [list(s.counts) if kind == "names" else list(getattr(s, kind).values())
         for s in stories])]) for kind in ("names", "counts", "weights")))
    return [Story(s.story_id, s.first_seen, s.last_seen, s.members, touched=s.touched,
                  stored=stored, row=row) for row, s in enumerate(stories)]


def test_stories_read_as_matrix_rows_assign_and_merge_as_stories_of_counters():
    """A story read from the warehouse keeps its centroid as a matrix row until it changes:
    on random stories and batches, the rows give the same assignment, merges and centroids
    (feature order included: trim breaks ties by it) as the same stories held as Counters."""
    params, start, changed = StoryParams(), datetime(2026, 1, 1), 0
    for seed in range(60):
        rng = random.Random(seed)
        words = [f"w:{i}" for i in range(rng.randint(2, 12))]
        stories = []
        for n in range(rng.randint(1, 15)):
            members = rng.choice([1, 1, 2, 3, 5])
            features = rng.sample(words, rng.randint(1, len(words)))
            when = start + timedelta(days=rng.choice([0, 1, 2, 5]))
            stories.append(Story(f"s{n}", when, when, members,
                                 Counter({f: rng.randint(1, members) for f in features}),
                                 Counter({f: members * rng.choice([1.0, 2.0, 0.5])
                                          for f in features})))
        batch = [(f"b{i}", start + timedelta(hours=rng.randint(0, 60)),
                  {f: rng.choice([1.0, 2.0]) for f in rng.sample(words, rng.randint(1, min(4, len(words))))})
                 for i in range(rng.randint(1, 12))]
        read = as_stored(stories)
        assert [(s.counts, s.weights) for s in stories] == [
            s.stored.counters(s.row) for s in read]
        results = []
        for case in (stories, read):
            weights = batch_weights(batch, case, params)
            assigned = assign(batch, case, params, weights)
            merged = merge_stories(case, params, weights)
            for s in case:
                s.own()
            results.append((assigned, merged, [(s.story_id, s.members, list(s.counts.items()),
                                                list(s.weights.items())) for s in case]))
        assert results[0] == results[1], seed
        changed += len(results[0][1]) + sum(s.startswith("sb") for s in results[0][0].values())
    assert changed > 50  # the cases merge and open stories, not only join


def test_the_weights_of_an_assignment_are_those_of_the_stories_after_it_and_its_merges():
    """assign_stories counts the IDF once (batch_weights) and gives it to merge_stories and
    central_titles: that holds only while assignment and merging leave the document
    frequencies and the article count as they were with the batch beside the stories."""
    params, when = StoryParams(), DAY
    stories = [story("s1", SBARRO_A, 6, False), story("s2", VOICE, 4, False),
               story("s3", SBARRO_B, 1, False)]
    batch = [(f"b{i}", when + timedelta(hours=i), features) for i, features in enumerate(
        [SBARRO_B, {**SBARRO_B, "w:court": 1.0}, VOICE, {"w:lonely": 1.0, "w:voic": 1.0}])]
    before = batch_weights(batch, stories, params)
    assign(batch, stories, params, before)
    assert merge_stories(stories, params, before)  # the batch made s3 like s1: they merge
    after = Weights(stories, [], params.idf_power, params.prior_docs)
    assert (after.df, after.n) == (before.df, before.n)


def test_a_batch_that_bridges_two_stored_stories_merges_them_in_the_warehouse(db_path):
    """Two stories stored by earlier loads; a batch joins one, which becomes like the other:
    the smaller one's articles move, its row goes, and the counts are the articles'."""
    rows = [("a1", "s1", SBARRO_A), ("a2", "s1", SBARRO_A), ("a3", "s1", SBARRO_A),
            ("a4", "s1", SBARRO_A), ("a5", "s1", SBARRO_A), ("b1", "s2", SBARRO_B),
            ("b2", "s2", SBARRO_B), ("v1", "s9", VOICE),
            ("v2", "s9", VOICE)]
    with open_warehouse(db_path) as con:
        con.register("given", pa.table({"article_id": [r[0] for r in rows],
                                        "story_id": [r[1] for r in rows]}))
        con.execute("insert into articles (article_id, key, source, title, language,"
                    " published_at, ingested_at, day, story_id) select article_id,"
                    " 'id:' || article_id, 'outlet ' || article_id, 'Sbarro', 'en', ?, ?,"
                    " cast(? as date), story_id from given", [DAY, DAY, DAY])
        con.unregister("given")
        for story_id in ("s1", "s2", "s9"):
            members = [f for _, s, f in rows if s == story_id]
            names = list(members[0])
            con.execute("insert into stories (story_id, title, title_article_id, first_seen,"
                        " last_seen, articles, outlets, members, feature_names, feature_counts,"
                        " feature_weights, updated_at)"
                        " values (?, 'Sbarro', null, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        [story_id, DAY, DAY, len(members), len(members), len(members),
                         names, [len(members)] * len(names), [2.0 * len(members)] * len(names),
                         DAY])
        when = DAY + timedelta(hours=5)
        batch = {"c1": {**SBARRO_B, "w:file": 2.0}, "c2": {**SBARRO_A, "w:chapter": 2.0}}
        con.register("given", pa.table({"article_id": list(batch)}))
        con.execute("insert into articles (article_id, key, source, title, language,"
                    " published_at, ingested_at, day) select article_id, 'id:' || article_id,"
                    " 'late outlet', 'Sbarro again', 'en', ?, ?, cast(? as date) from given",
                    [when, when, when])
        con.unregister("given")
        assign_stories(con, list(batch), batch, when, StoryParams())
        story_of = dict(con.execute("select article_id, story_id from articles").fetchall())
        assert {story_of[a] for a in ("a1", "a5", "b1", "b2", "c1", "c2")} == {"s1"}
        assert story_of["v1"] == story_of["v2"] == "s9"
        stored = dict(con.execute("select story_id, articles from stories").fetchall())
        assert stored == {"s1": 9, "s9": 2}
        # c1 and c2 come from one outlet
        assert con.execute("select outlets from stories where story_id = 's1'").fetchone() == (8,)
