"""Deterministic identities and fingerprints: article ids, content hashes, SimHash."""

from __future__ import annotations

import hashlib
import re

import numpy as np

WORDS = re.compile(r"\w+", re.UNICODE)
SHINGLE_WORDS = 3


def article_id(key: str) -> str:
    """Return the stable 16-hex-digit id of the article whose identity key is `key`."""
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]


def content_hash(text: str) -> str:
    """Return a hash of the text's words, blind to case, punctuation and spacing."""
    words = " ".join(WORDS.findall(text.lower()))
    return hashlib.sha256(words.encode("utf-8")).hexdigest()[:32]


def simhash(text: str) -> int:
    """Return the 64-bit SimHash of `text` over word 3-shingles (as a signed int64).

    Near-identical texts (a wire story with a changed byline) differ in a few bits;
    unrelated texts differ in about 32.
    """
    words = WORDS.findall(text.lower())
    if not words:
        return 0
    n = max(1, len(words) - SHINGLE_WORDS + 1)
    digests = b"".join(
        hashlib.blake2b(" ".join(words[i : i + SHINGLE_WORDS]).encode(), digest_size=8).digest()
        for i in range(n)
    )
    bits = np.unpackbits(np.frombuffer(digests, dtype=np.uint8)).reshape(n, 64)
    votes = bits.sum(axis=0, dtype=np.int64) * 2 - n
    packed = np.packbits((votes > 0).astype(np.uint8)).view(">i8")
    return int(packed[0])


def hamming(a: int, b: int) -> int:
    """Return the number of differing bits between two 64-bit fingerprints."""
    return ((a ^ b) & 0xFFFFFFFFFFFFFFFF).bit_count()
