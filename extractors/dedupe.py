"""Near-duplicate detection over 64-bit SimHash fingerprints, with banding (LSH).

Two texts are near-duplicates when their SimHashes (extractors.identity.simhash, over word
3-shingles) differ in at most MAX_HAMMING of 64 bits: a similarity of at least 0.9. Comparing
every pair is quadratic; instead the fingerprint is cut into BANDS bands of BAND_BITS bits
(LSH with multi-probe). MAX_HAMMING differing bits spread over BANDS bands leave at least one
band with at most PROBE_BITS = MAX_HAMMING // BANDS of them, so a fingerprint is looked up
under each of its band values and their neighbours within PROBE_BITS bits (`probes`), and
two near-duplicates always meet under one of them. Only fingerprints that meet are compared,
and only first-seen articles are kept as candidates, so a thousand copies of one wire story
cost a thousand look-ups, not half a million comparisons.

Why 4 bands of 16 bits probed one bit wide, not 7 exact bands of 9 bits: a band of 9 bits
has 512 values, so each of a batch's 500 fingerprints met ~7/512 of every stored article,
and the warehouse compared ~7 x N pairs per batch (7 million at a million articles): the
batch's cost grew with the archive. A band of 16 bits has 65,536 values; with 17 probes per
band, a batch meets ~4 x 17 x 500 / 65,536 = 0.5 of N pairs, 13x fewer, and finds exactly
the same near-duplicates (the distance check is the same; only fewer non-matches reach it).

Before a batch is loaded, the warehouse returns the stored first-seen articles within
MAX_HAMMING bits of one of the batch's fingerprints, found through the bands
(warehouse/sql/near_candidates.sql); `near_duplicate_links` decides the
links here, and the load stores them in `articles.duplicate_of`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from itertools import combinations

MAX_HAMMING = 6  # bits of 64: similarity >= 1 - 6/64 = 0.906
BANDS = 4
BAND_BITS = 16  # 4 x 16 = 64 bits
PROBE_BITS = MAX_HAMMING // BANDS  # 1: 6 differing bits in 4 bands leave one band with <= 1
# the masks a band value is probed with: itself, and each of its bits flipped
FLIPS = (0, *(sum(1 << bit for bit in bits) for r in range(1, PROBE_BITS + 1)
              for bits in combinations(range(BAND_BITS), r)))
MIN_NEAR_COPY_WORDS = 20  # shorter texts are matched exactly only: their fingerprints are too coarse
MASK64 = (1 << 64) - 1


def similarity(a: int, b: int) -> float:
    """Return the share of equal bits of two 64-bit fingerprints (1.0 = identical)."""
    return 1 - ((a ^ b) & MASK64).bit_count() / 64


def bands(fingerprint: int) -> list[tuple[int, int]]:
    """Return the (band number, band value) keys of a fingerprint."""
    mask = (1 << BAND_BITS) - 1
    return [(band, (fingerprint >> (band * BAND_BITS)) & mask) for band in range(BANDS)]


def probes(fingerprint: int) -> list[tuple[int, int]]:
    """Return the (band number, band value) keys to look a fingerprint up under: each of its
    bands with up to PROBE_BITS of its bits flipped. Any fingerprint within MAX_HAMMING bits
    has one of its `bands` among them."""
    return [(band, value ^ flip) for band, value in bands(fingerprint) for flip in FLIPS]


class NearDuplicateIndex:
    """First-seen fingerprints, indexed by band; `add` returns what a new one duplicates."""

    def __init__(self) -> None:
        self.buckets: dict[tuple[int, int], list[tuple[int, str, int]]] = defaultdict(list)
        self.size = 0  # first-seen items indexed

    def add(self, item_id: str, fingerprint: int, word_count: int = MIN_NEAR_COPY_WORDS) -> str | None:
        """Return the id of the earliest indexed near-duplicate of this item; when there is
        none, index the item and return None."""
        if word_count >= MIN_NEAR_COPY_WORDS:
            matches = [(order, other_id) for key in probes(fingerprint)
                       for order, other_id, other in self.buckets.get(key, ())
                       if other_id != item_id
                       and ((other ^ fingerprint) & MASK64).bit_count() <= MAX_HAMMING]
            if matches:
                return min(matches)[1]
        self.insert(item_id, fingerprint)
        return None

    def insert(self, item_id: str, fingerprint: int) -> None:
        """Index an item as first-seen without looking for its duplicates."""
        for key in bands(fingerprint):
            self.buckets[key].append((self.size, item_id, fingerprint))
        self.size += 1


def fingerprints(articles: Iterable[object]) -> list[int]:
    """Return the SimHashes of the articles (with `simhash` and `word_count`) long enough for
    near-duplicate matching: what the warehouse compares with its stored first-seen ones."""
    return sorted({a.simhash for a in articles if a.word_count >= MIN_NEAR_COPY_WORDS})


def near_duplicate_links(articles: Iterable[object],
                         known: Iterable[tuple[str, int]] = ()) -> dict[str, str]:
    """Return {article_id: first-seen article_id} for the near copies among `articles`
    (in batch order), against `known` (article_id, simhash) first-seen articles, oldest first.
    """
    index = NearDuplicateIndex()
    for article_id, fingerprint in known:
        index.insert(article_id, fingerprint)
    links = {}
    for a in articles:
        first = index.add(a.article_id, a.simhash, a.word_count)
        if first is not None:
            links[a.article_id] = first
    return links


# Pages of one site whose whole text is the same while their headlines differ are not
# copies: the text is the site's boilerplate (a paywall, a cookie wall, navigation). From
# this many distinct headlines on, the text is taken for boilerplate; two could still be a
# corrected headline over one story.
BOILERPLATE_TITLES = 3


def boilerplate_keys(articles: Iterable[object],
                     stored_titles: dict[tuple[str, int], set[str]] | None = None
                     ) -> set[tuple[str, int]]:
    """Return the (source, simhash) keys whose text is boilerplate: shared, over the batch
    and the stored articles (`stored_titles`: key -> their titles), by pages with at least
    BOILERPLATE_TITLES distinct titles."""
    titles: dict[tuple[str, int], set[str]] = defaultdict(set)
    for key, stored in (stored_titles or {}).items():
        titles[key] |= stored
    for a in articles:
        titles[(a.source, a.simhash)].add(a.title)
    return {key for key, seen in titles.items() if len(seen) >= BOILERPLATE_TITLES}


def thin_ids(articles: Iterable[object], keys: set[tuple[str, int]]) -> set[str]:
    """Return the ids of the articles whose text is boilerplate (see boilerplate_keys)."""
    return {a.article_id for a in articles if (a.source, a.simhash) in keys}
