import random

from extractors.dedupe import BAND_BITS, BANDS, MAX_HAMMING, NearDuplicateIndex, bands, probes, similarity
from extractors.identity import simhash

WORDS = ("india russia oil defence missile deal trade rupee ruble sanctions washington delhi "
         "moscow summit energy refinery tanker squadron delivery payment bank minister "
         "official analyst export import partner pressure agreement").split()


def story(seed, n=150):
    rng = random.Random(seed)
    return [rng.choice(WORDS) + str(rng.randint(0, 40)) for _ in range(n)]


def test_one_changed_word_is_near_and_unrelated_text_is_not():
    a = story(1)
    b = a.copy()
    b[70] = "changed"
    assert similarity(simhash(" ".join(a)), simhash(" ".join(b))) >= 0.9
    assert similarity(simhash(" ".join(a)), simhash(" ".join(story(2)))) < 0.8


def test_near_fingerprints_meet_through_a_probe():
    rng = random.Random(7)
    for _ in range(200):
        a = rng.getrandbits(64)
        b = a
        for bit in rng.sample(range(64), MAX_HAMMING):
            b ^= 1 << bit
        assert set(bands(a)) & set(probes(b))
    # the hardest spread: MAX_HAMMING bits over the bands as evenly as can be
    a = rng.getrandbits(64)
    b = a
    for k in range(MAX_HAMMING):
        b ^= 1 << ((k % BANDS) * BAND_BITS + k // BANDS)
    assert set(bands(a)) & set(probes(b))
    # and a fingerprint one bit further away than probes reach, in every band, is missed
    far = a
    for band in range(BANDS):
        far ^= 0b11 << (band * BAND_BITS)
    assert not set(bands(a)) & set(probes(far))


def test_index_links_copies_to_the_first_and_stays_small():
    index = NearDuplicateIndex()
    base = story(3)
    first = simhash(" ".join(base))
    assert index.add("first", first) is None
    assert index.add("other", simhash(" ".join(story(4)))) is None
    near = 0
    for i in range(2000):  # thousands of near-identical copies (one word changed)
        copy = base.copy()
        copy[i % 150] = f"edit{i}"
        fingerprint = simhash(" ".join(copy))
        link = index.add(f"copy{i}", fingerprint)
        if similarity(first, fingerprint) >= 0.9:
            near += 1
            assert link == "first"
        assert link != "other"
    # most copies are >= 0.9 similar; those are never indexed, so candidates stay few
    assert near > 1500 and index.size < 2000 - near + 3
    assert index.add("short", first, word_count=5) is None  # short texts: exact match only
