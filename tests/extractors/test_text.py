"""One word counter for every stage (issue #19.2): CJK pages are not one word."""

from extractors.pipeline import fallback
from extractors.text import THIN_PAGE_WORDS, count_words, has_article_text


def test_cjk_text_has_words():
    assert count_words("インドとロシア") == 7
    assert count_words("India and Russia") == 3
    assert count_words("S-400 をインドへ") == 6
    assert count_words(None) == count_words("") == count_words(" \n\t ") == 0


def test_a_japanese_page_is_not_replaced_by_a_shorter_feed_summary():
    page = "インドとロシアは石油の支払いについて協議した。" * 12  # hundreds of words, no spaces
    summary = "India and Russia discussed oil payments, officials said."
    assert count_words(page) > THIN_PAGE_WORDS
    assert fallback(page, summary) == page
    assert fallback("Subscribe to read", summary) == summary  # a paywall stub still loses


def test_enough_text_counts_the_title_and_the_text_together():
    assert has_article_text("Iran", "talks resume today")
    assert has_article_text("India buys Russian oil", None)
    assert not has_article_text("Iran", "")
    assert not has_article_text(None, "  ")
