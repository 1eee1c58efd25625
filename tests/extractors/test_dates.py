"""How an article's publication time was known (Article.date_source), for each way in."""

from datetime import datetime

from extractors.pipeline import build_article
from extractors.records import SourceDocument

BODY = "<p>India and Russia signed a deal on oil supplies for the coming winter months.</p>"


def page(head: str = "") -> str:
    return f"<html><head><title>Oil deal</title>{head}</head><body><article>{BODY}</article></body></html>"


def doc(**kw) -> SourceDocument:
    base = {"key": "k", "origin": "seed", "source": "s", "location": "x", "title": "Oil deal"}
    return SourceDocument(**{**base, **kw})


def test_a_record_s_own_date_is_published_and_a_feed_entry_s_is_feed():
    when = datetime(2024, 7, 1, 9)
    assert build_article(doc(text="Oil deal text here.", published_at=when)).date_source == "published"
    fed = build_article(doc(origin="feed", text="Oil deal text here.", published_at=when))
    assert (fed.published_at, fed.date_source) == (when, "feed")
    undated = build_article(doc(text="Oil deal text here."))
    assert (undated.published_at, undated.date_source) == (None, None)


def test_a_page_s_metadata_date_is_published_and_a_date_only_in_its_url_is_estimated():
    meta = '<meta property="article:published_time" content="2024-06-03T10:00:00+00:00">'
    stated = build_article(doc(html=page(meta), url="https://news.example/2020/01/05/oil-deal"))
    # the page's own word wins over its URL
    assert (stated.published_at, stated.date_source) == (datetime(2024, 6, 3), "published")
    guessed = build_article(doc(html=page(), url="https://news.example/2024/05/07/oil-deal"))
    assert (guessed.published_at, guessed.date_source) == (datetime(2024, 5, 7), "estimated")
    none = build_article(doc(html=page(), url="https://news.example/oil-deal"))
    assert (none.published_at, none.date_source) == (None, None)


def test_a_feed_date_loses_to_the_page_s_own_on_another_day():
    meta = '<meta property="article:published_time" content="2024-06-03T10:00:00+00:00">'
    fed = build_article(doc(origin="feed", html=page(meta), url="https://news.example/a",
                            published_at=datetime(2024, 6, 20, 8)))  # the feed's update time
    assert (fed.published_at, fed.date_source) == (datetime(2024, 6, 3), "published")
    same_day = build_article(doc(origin="feed", html=page(meta), url="https://news.example/a",
                                 published_at=datetime(2024, 6, 3, 8, 15)))  # more precise
    assert (same_day.published_at, same_day.date_source) == (datetime(2024, 6, 3, 8, 15), "feed")
