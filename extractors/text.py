"""How much text there is: the one word counter and the word limits every stage shares."""

from __future__ import annotations

import re

# A headline with a one-line summary is an article; an empty page is not.
MIN_ARTICLE_WORDS = 3
# A fetched page with fewer words than this (a cookie wall, a paywall stub) loses to a feed
# entry that carries more text of its own.
THIN_PAGE_WORDS = 50
# Hiragana, Katakana, Han and Hangul: scripts written without spaces between words.
CJK_CHAR = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]")


def count_words(text: str | None) -> int:
    """Return the words of `text`: whitespace-separated tokens, each CJK character counting
    as one (a 265-word Japanese page is not one word)."""
    if not text:
        return 0
    cjk = len(CJK_CHAR.findall(text))
    return len(CJK_CHAR.sub(" ", text).split()) + cjk if cjk else len(text.split())


def has_article_text(*parts: str | None) -> bool:
    """Return whether the parts (e.g. title and text) hold enough words to be an article."""
    return sum(count_words(p) for p in parts) >= MIN_ARTICLE_WORDS
