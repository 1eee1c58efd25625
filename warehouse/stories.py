"""Stories: each batch's new articles join the open stories they match, or open new ones.

The similarity features of an article come from extractors/stories.py (words, actors,
numbers, dates); here they are weighted, compared and stored. A batch is assigned in three
steps, all on the batch and the stories still open on its days (never the whole archive):

1. The batch's articles are clustered among themselves: average-link agglomerative
   clustering (SciPy's `linkage`) on cosine distance, with a penalty for articles days apart.
2. Each cluster of two or more joins the open story whose centroid is most similar, if that
   similarity reaches `join_story`; otherwise it opens a new story.
3. Single articles then meet every story, those just opened included, at `join_single`.
4. Stories merge when their centroids have become similar (`merge_stories`): two halves of
   one event, opened before either was big enough to recognise the other, meet as they
   grow. Only open stories merge, and only when a batch changed one of them: the archive is
   still never reclustered.

Weights are TF-IDF with document frequencies over the open window (the open stories'
members plus the batch), damped by (1 - 1/df): a word only one article has cannot link two
articles, and would otherwise dilute the cosine of the words that can. docs/stories.md
says what else was tried and what each scored on the development set.

Syndicated copies (duplicate_of) are not clustered: they join their original's story.
"""

from __future__ import annotations

import json
import math
from collections import Counter, defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from itertools import chain, repeat

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from scipy import sparse
from scipy.cluster.hierarchy import fcluster, linkage

from .db import registered, sql

MAX_FEATURES = 300  # per story centroid: the most frequent; keeps a big story's row small
CLUSTER_CHUNK = 1000  # articles clustered together at most (a 1000 x 1000 distance matrix)


@dataclass(frozen=True)
class StoryParams:
    """The knobs of story assignment (tuned on the development set: docs/stories.md)."""

    window_days: int = 3  # a story stays open this many days after its last article
    join_within: float = 0.45  # cosine for two articles of one batch to share a cluster
    join_story: float = 0.15  # cosine for a cluster to join a story
    join_single: float = 0.1  # cosine for a lone article to join a story
    small_margin: float = 0.1  # join_story + this / size of the smaller side (see threshold)
    single_margin: float = 0.6  # join_single + this / size of the story (see threshold)
    prior_docs: int = 0  # background documents in the IDF (1000 was tried: see Weights)
    idf_power: float = 1.0  # IDF ** this (0.5 was tried: see docs/stories.md)
    day_penalty: float = 0.25  # similarity / (1 + day_penalty * (days apart - 1))
    merge_at: float = 0.2  # cosine of centroids for two open stories to merge
    merge_margin: float = 0.2  # merge_at + this / size of the smaller story


@dataclass
class StoredCentroids:
    """The centroid state of the stories a batch read (`load_open_stories`), as matrices: row
    r is the r-th story's, columns are `names` (sorted). Most of the ~6,000 stories open on a
    busy day are never touched by a batch; kept as rows, they are weighed and compared in a
    few NumPy operations instead of a dict each (0.5-0.8 s a batch at 1M articles)."""

    names: list[str]
    counts: sparse.csr_matrix  # members having each feature
    sums: sparse.csr_matrix  # summed weight of each feature
    # each row's features in their stored order (the order trim() breaks ties by)
    indptr: np.ndarray
    codes: np.ndarray  # column of each stored feature
    values: np.ndarray  # (count, summed weight) of each stored feature

    def counters(self, row: int) -> tuple[Counter, Counter]:
        """Return (counts, weights) of one row as Counters, in the stored order."""
        start, end = self.indptr[row], self.indptr[row + 1]
        names = [self.names[c] for c in self.codes[start:end].tolist()]
        values = self.values[start:end].tolist()
        return (Counter({n: int(v[0]) for n, v in zip(names, values)}),
                Counter({n: v[1] for n, v in zip(names, values)}))


@dataclass
class Story:
    """The state of one story during assignment: its centroid and its time span.

    A story read from the warehouse keeps its centroid as a row of `stored` until it changes:
    `own()` then gives it its own Counters (every method that changes one calls it)."""

    story_id: str
    first_seen: datetime
    last_seen: datetime
    members: int = 0
    counts: Counter = None  # feature -> members that have it (None: still `stored`'s row)
    weights: Counter = None  # feature -> summed weight over members
    title_article_id: str | None = None
    title_features: dict | None = None
    title: str | None = None
    touched: bool = False
    absorbed: list = None  # (title_article_id, title_features, title) of merged stories
    saved_last_seen: datetime | None = None  # last_seen of its stored row (None: not stored)
    title_json: str | None = None  # title_features as stored, parsed when first needed
    stored: StoredCentroids | None = None
    row: int = -1  # its row in `stored`

    def own(self) -> None:
        """Give the story Counters of its own (from its stored row), before they change."""
        if self.counts is None:
            self.counts, self.weights = (self.stored.counters(self.row) if self.stored
                                         else (Counter(), Counter()))

    def title_state(self) -> dict | None:
        """Return the title article's features (parsed from the stored JSON the first time:
        most open stories are never touched, and parsing them all cost ~0.1 s a batch)."""
        if self.title_features is None and self.title_json:
            self.title_features = json.loads(self.title_json)
        return self.title_features

    def add(self, features: Mapping[str, float], seen_at: datetime) -> None:
        self.own()
        for name, weight in features.items():
            self.counts[name] += 1
            self.weights[name] += weight
        self.members += 1
        self.first_seen = min(self.first_seen, seen_at)
        self.last_seen = max(self.last_seen, seen_at)
        self.touched = True

    def trim(self, limit: int = MAX_FEATURES) -> None:
        """Keep the `limit` features most members have: what is stored of a centroid."""
        self.own()
        top = self.counts.most_common(limit)
        self.counts = Counter(dict(top))
        self.weights = Counter({name: self.weights[name] for name, _ in top})

    def absorb(self, other: Story) -> None:
        """Take in the members of `other` (a merge): its centroid, span and title."""
        self.own()
        other.own()
        self.counts.update(other.counts)
        self.weights.update(other.weights)
        self.members += other.members
        self.first_seen = min(self.first_seen, other.first_seen)
        self.last_seen = max(self.last_seen, other.last_seen)
        self.absorbed = [*(self.absorbed or []), *(other.absorbed or []),
                         (other.title_article_id, other.title_state(), other.title)]
        self.touched = True


def time_factor(gap_days: float, params: StoryParams) -> float:
    """Return how much of a similarity survives a gap of `gap_days` (0 past the window)."""
    if gap_days > params.window_days:
        return 0.0
    return 1.0 / (1.0 + params.day_penalty * max(0.0, gap_days - 1.0))


def gap_days(when: datetime, story: Story) -> float:
    """Return the days between `when` and the span of the story (0 inside it)."""
    if story.first_seen <= when <= story.last_seen:
        return 0.0
    other = story.last_seen if when > story.last_seen else story.first_seen
    return abs((when - other).total_seconds()) / 86400.0


class Weights:
    """IDF over the open window, damped for features only one article has."""

    def __init__(self, stories: list[Story], batch: list[dict[str, float]], power: float = 1.0,
                 prior_docs: int = 0):
        self.power = power
        # Background documents that name none of the features: a window of five articles
        # would otherwise find "deal" as telling as "S-400" (IDF needs a corpus).
        self.prior_docs = prior_docs
        self.df: Counter = Counter()
        for stored, positions in still_stored(stories):
            df = np.asarray(stored.counts[[stories[k].row for k in positions]].sum(axis=0)).ravel()
            named = np.flatnonzero(df)
            self.df.update(dict(zip([stored.names[c] for c in named.tolist()],
                                    df[named].astype(np.int64).tolist())))
        for story in stories:
            if story.counts is not None:
                self.df.update(story.counts)
        for features in batch:
            self.df.update(features.keys())
        self.n = sum(s.members for s in stories) + len(batch)
        # each feature's IDF, once (a batch asks for it ~400,000 times with 6,000 open stories)
        self.table = {name: self._idf(df) for name, df in self.df.items()}
        self.centroids: dict[int, tuple[Story, int, dict[str, float]]] = {}
        self.stored_idf: dict[int, np.ndarray] = {}  # id(StoredCentroids) -> IDF per column

    def _idf(self, df: int) -> float:
        if df <= 1:
            return 0.0
        return (math.log((self.n + self.prior_docs + 1) / (df + 1)) + 1.0) ** self.power

    def vector(self, features: Mapping[str, float]) -> dict[str, float]:
        get = self.table.get  # a feature nobody has: df 0, weighs 0 like df 1
        return {name: w * get(name, 0.0) for name, w in features.items()}

    def centroid(self, story: Story) -> dict[str, float]:
        """Return the weighted centroid of `story` (its summed weights / members, each times
        its feature's IDF), in one pass.

        Kept until the story changes (every change adds members: Story.add, absorb), so
        assignment, merging and titles weigh each of the ~6,000 open stories once a batch.
        The dict returned is shared: read it, do not change it."""
        known = self.centroids.get(id(story))
        if known is not None and known[0] is story and known[1] == story.members:
            return known[2]
        story.own()
        get, members = self.table.get, story.members
        vector = {name: w / members * get(name, 0.0) for name, w in story.weights.items()}
        self.centroids[id(story)] = (story, members, vector)
        return vector


    def rows(self, stories: list[Story], columns: Mapping[str, int]) -> sparse.csr_matrix:
        """Return the stories' weighted centroids as unit rows over `columns` (row k is
        stories[k]'s; `columns` must hold their features: `vocabulary(..., stories)`).

        The stories still on their stored rows are weighed as one matrix: the same numbers
        as `centroid` gives them, in the same column order (so the same cosines, bit for bit).
        """
        parts, order = [], []
        for stored, positions in still_stored(stories):
            idf = self.stored_idf.get(id(stored))
            if idf is None:
                idf = np.fromiter(map(self.table.get, stored.names, repeat(0.0)),
                                  dtype=np.float64, count=len(stored.names))
                self.stored_idf[id(stored)] = idf
            where = np.fromiter(map(columns.__getitem__, stored.names), dtype=np.int64,
                                count=len(stored.names))
            sums = stored.sums[[stories[k].row for k in positions]]
            members = np.array([stories[k].members for k in positions], dtype=np.float64)
            data = sums.data / np.repeat(members, np.diff(sums.indptr)) * idf[sums.indices]
            parts.append(normalized(sparse.csr_matrix(
                (data, where[sums.indices], sums.indptr),
                shape=(len(positions), max(1, len(columns))))))
            order += positions
        own = [k for k, story in enumerate(stories) if story.counts is not None
               or story.stored is None]
        if own or not parts:
            parts.append(unit_rows([self.centroid(stories[k]) for k in own], columns))
            order += own
        matrix = sparse.vstack(parts).tocsr() if len(parts) > 1 else parts[0]
        if order != list(range(len(order))):
            matrix = matrix[np.argsort(order)]
        return matrix


def still_stored(stories: list[Story]) -> list[tuple[StoredCentroids, list[int]]]:
    """Return each StoredCentroids with the positions (in `stories`) of the stories still on
    its rows (not changed since they were read)."""
    groups: dict[int, tuple[StoredCentroids, list[int]]] = {}
    for k, story in enumerate(stories):
        if story.counts is None and story.stored is not None:
            groups.setdefault(id(story.stored), (story.stored, []))[1].append(k)
    return list(groups.values())


def vocabulary(vectors: list[Mapping[str, float]],
               stories: list[Story] = ()) -> dict[str, int]:
    """Return {feature: column} over every feature of `vectors` and of `stories`' centroids,
    in sorted order."""
    names = set(chain.from_iterable(vectors))
    for stored, _ in still_stored(stories):
        names.update(stored.names)
    for story in stories:
        if story.weights is not None:
            names.update(story.weights)
    return {name: i for i, name in enumerate(sorted(names))}


def unit_rows(vectors: list[Mapping[str, float]],
              columns: Mapping[str, int] | None = None) -> sparse.csr_matrix:
    """Return the vectors as rows of a sparse matrix, each scaled to length 1 (or all 0).

    Columns come from `columns` (features it lacks are left out), else from the vectors'
    own vocabulary. Not scikit-learn's DictVectorizer and normalize: importing scikit-learn
    cost each ingest ~1.2 s CPU (Prefect's own import is ~1.6 s) for these ten lines.
    """
    columns = vocabulary(vectors) if columns is None else columns
    names = list(chain.from_iterable(vectors))  # every vector's features, row after row
    try:  # every feature has a column (the usual call): a lookup at C speed
        where = np.fromiter(map(columns.__getitem__, names), dtype=np.int64, count=len(names))
    except KeyError:
        where = np.fromiter((columns.get(name, -1) for name in names), dtype=np.int64,
                            count=len(names))
    data = np.fromiter(chain.from_iterable(v.values() for v in vectors), dtype=np.float64,
                       count=len(names))
    rows = np.repeat(np.arange(len(vectors)), [len(v) for v in vectors])
    known = where >= 0
    return normalized(sparse.csr_matrix((data[known], (rows[known], where[known])),
                                        shape=(len(vectors), max(1, len(columns)))))


def normalized(matrix: sparse.csr_matrix) -> sparse.csr_matrix:
    """Return the rows of `matrix` scaled to length 1 (a row of zeros stays zeros)."""
    matrix.sort_indices()
    norms = np.sqrt(np.asarray(matrix.multiply(matrix).sum(axis=1)).ravel())
    norms[norms == 0.0] = 1.0
    return sparse.csr_matrix(sparse.diags(1.0 / norms) @ matrix)


def cluster_batch(vectors: sparse.csr_matrix, times: list[datetime],
                  params: StoryParams) -> list[int]:
    """Return a cluster label per row: average-link clusters at cosine >= join_within."""
    n = vectors.shape[0]
    if n < 2:
        return [0] * n
    similarity = (vectors @ vectors.T).toarray()
    seconds = np.array([t.timestamp() for t in times])
    gaps = np.abs(seconds[:, None] - seconds[None, :]) / 86400.0
    factor = np.where(gaps > params.window_days, 0.0,
                      1.0 / (1.0 + params.day_penalty * np.maximum(0.0, gaps - 1.0)))
    distance = np.clip(1.0 - similarity * factor, 0.0, 1.0)
    upper = np.triu_indices(n, k=1)  # linkage takes the condensed (upper-triangle) form
    tree = linkage(distance[upper], method="average")
    # a merge joins when its distance is < 1 - join_within; fcluster's cut keeps <= t
    cut = np.nextafter(1.0 - params.join_within, -np.inf)
    return fcluster(tree, cut, criterion="distance").tolist()


def threshold(group_size: int, story_size: int, params: StoryParams) -> float:
    """Return the similarity a group needs to join a story: join_single for a lone article,
    join_story for a cluster, each plus a margin when the story (or the cluster) is small:
    the centroid of one or two articles is a noisy guess of what their story is."""
    if group_size == 1:
        return params.join_single + params.single_margin / story_size
    return params.join_story + params.small_margin / min(group_size, story_size)


def batch_weights(batch: list[tuple[str, datetime, dict[str, float]]], stories: list[Story],
                  params: StoryParams) -> Weights:
    """Return the weights of a batch's assignment: IDF over the open stories and the batch.

    They are also the weights of the stories after it (each article of the batch adds its
    features to one story's counts, and 1 to its members), and after any merge (which adds
    counts): merge_stories and central_titles may be given them instead of counting again.
    """
    return Weights(stories, [f for _, _, f in batch], params.idf_power, params.prior_docs)


def assign(batch: list[tuple[str, datetime, dict[str, float]]], stories: list[Story],
           params: StoryParams, weights: Weights | None = None) -> dict[str, str]:
    """Return {article_id: story_id} for the batch (in order), updating `stories` in place
    (new stories are appended). Pure: no database.

    Clusters meet the stories one at a time, biggest first, and a story's centroid is
    updated as soon as a cluster joins it, so clusters of one batch can also meet each
    other's stories (B-cubed F1 0.75 -> 0.79 on the development set).
    """
    if not batch:
        return {}
    weights = weights or batch_weights(batch, stories, params)
    groups: list[list[int]] = []
    for start in range(0, len(batch), CLUSTER_CHUNK):
        chunk = list(range(start, min(len(batch), start + CLUSTER_CHUNK)))
        rows = unit_rows([weights.vector(batch[i][2]) for i in chunk])
        labels = cluster_batch(rows, [batch[i][1] for i in chunk], params)
        by_label: dict[int, list[int]] = defaultdict(list)
        for i, label in zip(chunk, labels):
            by_label[label].append(i)
        groups += by_label.values()
    # clusters biggest first (ties in batch order), then single articles in batch order
    groups.sort(key=lambda g: (len(g) == 1, -len(g), g[0]))
    centroids = []
    for group in groups:
        total: Counter = Counter()
        for i in group:
            total.update(batch[i][2])
        centroids.append({k: v / len(group) for k, v in total.items()})
    group_vectors = [weights.vector(c) for c in centroids]
    columns = vocabulary(group_vectors, stories)
    group_rows = unit_rows(group_vectors, columns).tocsc()
    # similarity[g, s]: group g against story s (a column for each story the groups may
    # open, 0 until it is); a column is recomputed when s changes
    opened = sparse.csr_matrix((len(groups), group_rows.shape[1]))
    similarity = (group_rows @ sparse.vstack([weights.rows(stories, columns), opened]).T
                  if stories else group_rows @ opened.T).toarray()
    result: dict[str, str] = {}
    for g, group in enumerate(groups):
        when = min(batch[i][1] for i in group)
        best, best_index, best_score = None, -1, 0.0
        for s in np.argsort(-similarity[g, :len(stories)])[:10]:
            score = similarity[g, s] * time_factor(gap_days(when, stories[s]), params)
            if score >= threshold(len(group), stories[s].members, params) and score > best_score:
                best, best_index, best_score = stories[s], s, score
        if best is None:
            first = batch[group[0]]
            best = Story(f"s{first[0]}", first[1], first[1], counts=Counter(), weights=Counter())
            best_index = len(stories)
            stories.append(best)
        for i in group:
            article_id, seen_at, features = batch[i]
            best.add(features, seen_at)
            result[article_id] = best.story_id
        # one column, straight from the vocabulary: a whole unit_rows per group costs more
        # (x hundreds of groups per batch)
        vector = weights.centroid(best)
        where = np.fromiter(map(columns.__getitem__, vector), dtype=np.int64,
                            count=len(vector))
        values = np.fromiter(vector.values(), dtype=np.float64, count=len(vector))
        norm = float(np.sqrt(values @ values)) or 1.0
        similarity[:, best_index] = group_rows[:, where] @ (values / norm)
    return result


def merge_threshold(a: np.ndarray, b: np.ndarray, params: StoryParams) -> np.ndarray:
    """Return the similarity two stories of `a` and `b` members (arrays, broadcast) need to
    merge: more when the smaller one is small (a story of two articles is a noisy guess of
    its event, as in `threshold`); a story of one article merges as a lone article joins
    (join_single)."""
    small = np.minimum(a, b)
    big = np.maximum(a, b)
    return np.where(small == 1, params.join_single + params.single_margin / big,
                    params.merge_at + params.merge_margin / np.maximum(small, 1))


def merge_stories(stories: list[Story], params: StoryParams,
                  weights: Weights | None = None) -> dict[str, str]:
    """Merge the stories whose centroids have become similar; return {merged_id: kept_id}.

    Greedy, most similar pair first, centroids recomputed after each merge; only pairs with a
    story the batch touched (the others were compared before), within the window of each
    other, and damped by days apart like articles. The bigger story keeps its id. Updates
    `stories` in place (merged stories are removed). Pure: no database.
    """
    if len(stories) < 2 or not any(s.touched for s in stories):
        return {}
    weights = weights or Weights(stories, [], params.idf_power, params.prior_docs)
    columns = vocabulary([], stories)
    n = len(stories)
    rows = weights.rows(stories, columns)
    seconds = np.array([[s.first_seen.timestamp(), s.last_seen.timestamp()] for s in stories])
    sizes = np.array([s.members for s in stories], dtype=np.float64)
    alive = np.ones(n, dtype=bool)

    def factors(i: int | np.ndarray) -> np.ndarray:
        # days between the spans of story i (or of each story of an array: one row each)
        # and every story (0 where they overlap)
        first, last = (seconds[i, 0], seconds[i, 1]) if np.isscalar(i) else (
            seconds[i, 0][:, None], seconds[i, 1][:, None])
        gap = np.maximum(0.0, np.maximum(seconds[:, 0] - last, first - seconds[:, 1])) / 86400.0
        return np.where(gap > params.window_days, 0.0,
                        1.0 / (1.0 + params.day_penalty * np.maximum(0.0, gap - 1.0)))

    # Only a pair with a touched story can merge (two untouched ones were compared before),
    # so the margins (similarity minus what the pair needs) are kept for the touched
    # stories' rows only: k x n, not n x n (a desk's 40,000 open stories would be ~13 GB).
    # Row r is story keys[r]'s; a merge's kept story gets a row (the spare ones at the end)
    # and a merged story's row and column go to -inf. Each row's best margin is kept too,
    # so a merge looks at the rows it changed, not all k x n cells.
    keys = [int(i) for i in np.flatnonzero([s.touched for s in stories])]
    margin = np.empty((len(keys) + 16, n))
    margin[:len(keys)] = 0.0  # written in place: a k x n temporary costs its page faults
    (rows[keys] @ rows.T).toarray(out=margin[:len(keys)])
    margin[len(keys):] = -np.inf
    for start in range(0, len(keys), 64):  # blocks of rows, for the same reason
        block = np.array(keys[start:start + 64])
        cells = margin[start:start + len(block)]
        cells *= factors(block)
        cells[np.arange(len(block)), block] = -1.0
        cells -= merge_threshold(sizes[block][:, None], sizes, params)
    row_of = {i: r for r, i in enumerate(keys)}
    best_in = margin.max(axis=1)
    merged: dict[str, str] = {}
    changed: dict[int, sparse.csr_matrix] = {}  # story -> its unit row since a merge
    while True:
        best = best_in[:len(keys)].max()
        if best < 0:
            break
        # the pair the whole n x n matrix's argmax would take: the lowest (row, column)
        # of the pair's two cells (ties between pairs happen: stories with one article)
        i, j = min(tuple(sorted((keys[r], int(c))))
                   for r in np.flatnonzero(best_in[:len(keys)] == best)
                   for c in np.flatnonzero(margin[r] == best))
        if (sizes[j], -seconds[j, 0]) > (sizes[i], -seconds[i, 0]):
            i, j = j, i  # the bigger (then the older) story keeps its id
        stories[i].absorb(stories[j])
        merged[stories[j].story_id] = stories[i].story_id
        alive[j] = False
        sizes[i] = stories[i].members
        seconds[i] = [stories[i].first_seen.timestamp(), stories[i].last_seen.timestamp()]
        # `rows` stays as built; the rows of stories a merge changed since are in `changed`
        # (rebuilding the whole matrix at every merge cost ~2 ms each, x ~50 a batch)
        changed[i] = unit_rows([weights.centroid(stories[i])], columns)
        vector = changed[i].T
        row = (rows @ vector).toarray().ravel()
        ids = list(changed)
        row[ids] = (sparse.vstack([changed[k] for k in ids]) @ vector).toarray().ravel()
        row *= factors(i)
        row[~alive] = -1.0
        row[i] = -1.0
        row -= merge_threshold(sizes[i], sizes, params)
        m = len(keys)
        before_i, before_j = margin[:m, i].copy(), margin[:m, j].copy()
        if j in row_of:
            dropped = row_of.pop(j)
            margin[dropped], best_in[dropped] = -np.inf, -np.inf
        if i not in row_of:
            if m == len(margin):
                margin = np.vstack([margin, np.full(margin.shape, -np.inf)])
                best_in = np.concatenate([best_in, np.full(m, -np.inf)])
            row_of[i] = m
            keys.append(i)
        live = np.array([row_of.get(key) == r for r, key in enumerate(keys)])
        margin[row_of[i]] = row
        margin[:len(keys), i] = np.where(live, row[keys], -np.inf)
        margin[:, j] = -np.inf
        # a row whose best was in column i or j is looked at again; the others can only
        # have gained column i's new value
        stale = ((before_i == best_in[:m]) | (before_j == best_in[:m])) & live[:m]
        best_in[:m] = np.maximum(best_in[:m], margin[:m, i])
        for r in [*np.flatnonzero(stale), row_of[i]]:
            best_in[r] = margin[r].max()
    stories[:] = [s for s, keep in zip(stories, alive) if keep]
    # a story merged into one that was merged later points at the one that is left
    for old, new in merged.items():
        while new in merged:
            new = merged[new]
        merged[old] = new
    return merged


def central_titles(batch: list[tuple[str, datetime, dict[str, float]]],
                   assigned: Mapping[str, str], stories: list[Story],
                   params: StoryParams, weights: Weights | None = None) -> None:
    """Set each touched story's title article to its most central headline: the member (of
    the batch, or the title so far) most similar to the centroid."""
    by_story: dict[str, list[tuple[str, dict]]] = defaultdict(list)
    for article_id, _, features in batch:
        by_story[assigned[article_id]].append((article_id, features))
    weights = weights or Weights(stories, [], params.idf_power, params.prior_docs)
    for story in stories:
        if not story.touched:
            continue
        candidates = by_story.get(story.story_id, [])
        # the title so far, and those of the stories it took in, stay in the running
        known_titles = {}
        for title_id, title_features, title in [(story.title_article_id, story.title_state(),
                                                 story.title), *(story.absorbed or [])]:
            if title_id and title_features is not None:
                candidates = [(title_id, title_features), *candidates]
                known_titles[title_id] = title
        centroid = weights.centroid(story)
        norm = math.sqrt(sum(v * v for v in centroid.values())) or 1.0

        def centrality(features: dict) -> float:
            vector = weights.vector(features)
            length = math.sqrt(sum(v * v for v in vector.values())) or 1.0
            return sum(v * centroid.get(k, 0.0) for k, v in vector.items()) / (length * norm)

        if not candidates:
            continue
        best_id, best_features = max(candidates, key=lambda c: centrality(c[1]))
        story.title_article_id, story.title_features = best_id, best_features
        story.title = known_titles.get(best_id, story.title)


def load_open_stories(con: duckdb.DuckDBPyConnection, days: list, window_days: int) -> list[Story]:
    """Return the stories open on any of `days` (see sql/stories/open.sql), their centroids
    as the rows of one StoredCentroids."""
    batch_days = pa.table({"day": pa.array(sorted(set(days)), pa.timestamp("us"))})
    with registered(con, batch_days=batch_days):
        table = con.execute(sql("stories/open"), {"window_days": window_days}).to_arrow_table()
    stored = stored_centroids(table.column("feature_names"), table.column("feature_counts"),
                              table.column("feature_weights"))
    # (timestamps through NumPy: Arrow's to_pylist makes datetimes ~4x slower)
    columns = [table.column(name).to_numpy().astype("datetime64[us]").tolist()
               if name.endswith("_seen") else table.column(name).to_pylist()
               for name in ("story_id", "first_seen", "last_seen", "members", "title_features",
                            "title_article_id", "title")]
    return [Story(story_id, first, last, members, title_article_id=title_id,
                  title_json=title_features, title=title, saved_last_seen=last,
                  stored=stored, row=row)
            for row, (story_id, first, last, members, title_features, title_id, title)
            in enumerate(zip(*columns))]


def stored_centroids(names: pa.ChunkedArray, counts: pa.ChunkedArray,
                     sums: pa.ChunkedArray) -> StoredCentroids:
    """Return the centroid rows of stored stories from their feature_names, feature_counts
    and feature_weights (a list per story, position by position), columns sorted by name
    (as `vocabulary`)."""
    names, counts, sums = (column.combine_chunks() for column in (names, counts, sums))
    flat_names = pc.list_flatten(names)
    values = np.column_stack([pc.list_flatten(column).to_numpy(zero_copy_only=False)
                              .astype(np.float64) for column in (counts, sums)])
    if len(values) != len(flat_names):
        raise ValueError("a stored story centroid has lists of different lengths")
    indptr = np.concatenate([[0], np.cumsum(pc.list_value_length(names).fill_null(0)
                                            .to_numpy(zero_copy_only=False))]).astype(np.int64)
    # each feature's column: its name's rank among the distinct names (sorted)
    encoded = pc.dictionary_encode(flat_names)
    order = pc.array_sort_indices(encoded.dictionary).to_numpy(zero_copy_only=False)
    rank = np.empty(len(order), dtype=np.int64)
    rank[order] = np.arange(len(order))
    codes = rank[encoded.indices.to_numpy(zero_copy_only=False)]
    shape = (len(indptr) - 1, max(1, len(order)))
    counts_matrix = sparse.csr_matrix((values[:, 0].copy(), codes.copy(), indptr.copy()),
                                      shape=shape)
    sums_matrix = sparse.csr_matrix((values[:, 1].copy(), codes.copy(), indptr.copy()),
                                    shape=shape)
    counts_matrix.sort_indices()
    sums_matrix.sort_indices()
    return StoredCentroids(encoded.dictionary.take(pa.array(order)).to_pylist(), counts_matrix,
                           sums_matrix, indptr, codes, values)


def assign_stories(con: duckdb.DuckDBPyConnection, article_ids: list[str],
                   features: Mapping[str, Mapping[str, float]], now: datetime,
                   params: StoryParams | None = None, inserted: str | None = None) -> int:
    """Give every article of the batch (`article_ids`, in batch order) that has no story yet
    its story; return how many stories the batch opened.

    Runs inside the load's transaction, after the articles are stored. Articles missing
    from `features` count as featureless (each its own story); copies (duplicate_of) join
    their original's story. `inserted`: a relation holding the stored rows of the batch's
    articles just inserted (a load's), so they are not looked up among all articles.
    """
    params = params or StoryParams()
    ids = pa.table({"article_id": pa.array(list(article_ids), pa.string())})
    # `inserted` is a relation of our own code (load.py's), never user input
    con.execute("create or replace temp view story_new as select article_id, duplicate_of, "
                "published_at, ingested_at, title from "
                + (inserted or "articles where false"))
    try:
        with registered(con, story_batch=ids):
            rows = con.execute(sql("stories/unassigned")).fetchall()
    finally:
        con.execute("drop view story_new")
    order = {article_id: i for i, article_id in enumerate(article_ids)}
    rows.sort(key=lambda r: order[r[0]])  # batch order decides which article opens a story
    originals = [(r[0], r[2], dict(features.get(r[0]) or {})) for r in rows if r[1] is None]
    titles = {r[0]: r[3] for r in rows}
    if not originals and not rows:
        return 0
    stories = load_open_stories(con, [r[2] for r in rows], params.window_days) if originals else []
    known = {s.story_id for s in stories}
    weights = batch_weights(originals, stories, params)  # counted once for all three
    assigned = assign(originals, stories, params, weights)
    merged = merge_stories(stories, params, weights)
    assigned = {a: merged.get(s, s) for a, s in assigned.items()}
    central_titles(originals, assigned, stories, params, weights)
    touched = [s for s in stories if s.touched]
    if merged:
        move_merged(con, merged)
    copies, lone = copy_stories(con, {r[0]: r[1] for r in rows if r[1] is not None}, assigned)
    set_stories(con, {**assigned, **copies})  # one update for the batch and its copies
    if lone:
        with registered(con, story_copies=copies_table(lone)):
            con.execute(sql("stories/lone_copies"), [now])
    save_stories(con, touched, set(copies.values()), titles, now)
    return len({s.story_id for s in stories} - known)


def move_merged(con: duckdb.DuckDBPyConnection, merged: Mapping[str, str]) -> None:
    """Move the articles of merged stories to the story that took them in, and drop the
    merged stories' rows (stories opened in this batch have none yet)."""
    with registered(con, story_merged=pa.table({
            "story_id": pa.array(list(merged), pa.string()),
            "kept_id": pa.array(list(merged.values()), pa.string())})):
        con.execute(sql("stories/move_merged"))


def save_stories(con: duckdb.DuckDBPyConnection, touched: list[Story], joined: set[str],
                 titles: Mapping[str, str], now: datetime) -> None:
    """Store the touched stories (new centroid state and aggregates: save.sql) and the
    aggregates of the stories in `joined` that only syndicated copies joined (refresh.sql).
    Runs after the batch's articles have their story_id."""
    refreshed = sorted(joined - {s.story_id for s in touched})
    if not touched and not refreshed:
        return

    for story in touched:
        story.trim()

    table = pa.table({
        "story_id": pa.array([s.story_id for s in touched], pa.string()),
        "title_article_id": pa.array([s.title_article_id for s in touched], pa.string()),
        "title": pa.array([titles.get(s.title_article_id, s.title) for s in touched], pa.string()),
        "first_seen": pa.array([s.first_seen for s in touched], pa.timestamp("us")),
        "last_seen": pa.array([s.last_seen for s in touched], pa.timestamp("us")),
        "saved_last_seen": pa.array([s.saved_last_seen for s in touched], pa.timestamp("us")),
        "members": pa.array([s.members for s in touched], pa.int32()),
        "feature_names": pa.array([list(s.counts) for s in touched], pa.list_(pa.string())),
        "feature_counts": pa.array([list(s.counts.values()) for s in touched],
                                   pa.list_(pa.int32())),
        "feature_weights": pa.array([[round(s.weights[k], 3) for k in s.counts]
                                     for s in touched], pa.list_(pa.float64())),
        "title_features": pa.array([json.dumps(s.title_state() or {}, ensure_ascii=False)
                                    for s in touched], pa.string()),
        "updated_at": pa.array([now] * len(touched), pa.timestamp("us")),
    })
    ids = sorted({s.story_id for s in touched} | joined)
    with registered(con, touched_stories=pa.table({"story_id": pa.array(ids, pa.string())}),
                    story_state=table,
                    story_refresh=pa.table({"story_id": pa.array(refreshed, pa.string())})):
        con.execute(sql("stories/aggregates"))
        try:
            if touched:
                con.execute(sql("stories/save"))
            if refreshed:
                con.execute(sql("stories/refresh"))
        finally:
            con.execute("drop table story_aggregates")


def set_stories(con: duckdb.DuckDBPyConnection, stories: Mapping[str, str]) -> None:
    """Set articles.story_id of each article in `stories` ({article_id: story_id})."""
    if not stories:
        return
    with registered(con, story_assigned=pa.table({
            "article_id": pa.array(list(stories), pa.string()),
            "story_id": pa.array(list(stories.values()), pa.string())})):
        con.execute(sql("stories/assign"))


def copy_stories(con: duckdb.DuckDBPyConnection, copies: Mapping[str, str],
                 assigned: Mapping[str, str]) -> tuple[dict[str, str], list[str]]:
    """Return the story of each syndicated copy ({copy_id: original_id}): its original's,
    from the batch's own assignment or as stored (after any merge was moved), else one of
    its own; and the copies that got one of their own (they need a story row).

    The stored originals are read by id: an update joining articles on duplicate_of joined
    every article with every article (~100 ms at 1M articles).
    """
    if not copies:
        return {}, []
    stored = sorted({o for o in copies.values() if o not in assigned})
    found: dict[str, str] = {}
    if stored:
        with registered(con, story_originals=pa.table(
                {"article_id": pa.array(stored, pa.string())})):
            found = dict(con.execute(sql("stories/originals")).fetchall())
    stories, lone = {}, []
    for copy, original in copies.items():
        story = assigned.get(original) or found.get(original)
        if story is None:
            story = f"s{copy}"
            lone.append(copy)
        stories[copy] = story
    return stories, lone


def copies_table(copies: list[str]) -> pa.Table:
    return pa.table({"article_id": pa.array(copies, pa.string())})


def stored_stories(con: duckdb.DuckDBPyConnection, article_ids: list[str]) -> dict[str, str]:
    """Return article_id -> story_id of the stored articles among `article_ids`."""
    wanted = pa.table({"article_id": pa.array(article_ids, pa.string())})
    with registered(con, wanted_ids=wanted):
        return dict(con.execute("select article_id, story_id from articles "
                                "semi join wanted_ids using (article_id)").fetchall())
