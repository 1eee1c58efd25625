"""Issue #21 case 9: one charset decoder for seeds, pages and feeds (extractors/charset.py),
and how fetched pages are decoded, declared or not.

UTF-16 with a BOM was refused as "binary"; a short Latin-1 text was stored as cp1250
mojibake; a windows-1251 feed without a declaration was stored as mojibake.
"""

import pytest

from extractors.charset import CharsetUnknown, decode_text
from extractors.feeds import FeedSpec, read_feed
from extractors.fetch import decode_html, html_as_utf8
from extractors.records import Failure, SourceDocument
from extractors.seeds import iter_seed_documents
from tests.fetching import fetch, fetch_from
from tests.hostile_web import hostile  # noqa: F401 - pytest fixture
from tests.webserver import web  # noqa: F401 - pytest fixture

RUSSIAN = "Индия и Россия подписали соглашение о поставках нефти"
FEED = ('<rss version="2.0"><channel><title>Вести</title><item><title>' + RUSSIAN +
        "</title><link>https://vesti.example/a</link><description>Москва и Нью-Дели "
        "договорились о расширении торговли в рублях и рупиях.</description></item>"
        "</channel></rss>")


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-8-sig"])
def test_a_byte_order_mark_is_honoured(codec):
    text = "Визит в Москву\nIndia and Russia"
    data = text.encode(codec)
    if codec in ("utf-16-le", "utf-16-be"):
        data = ("\ufeff" + text).encode(codec)
    assert decode_text(data) == text


def test_seed_files_utf16_loads_and_a_weak_guess_is_a_failure_naming_the_fix(tmp_path):
    (tmp_path / "utf16.txt").write_bytes("Визит в Москву\nИндия и Россия обсудили нефть.".encode("utf-16"))
    (tmp_path / "latin1.txt").write_bytes("Café à Moscou\nLe président a parlé du pétrole.".encode("latin-1"))
    (tmp_path / "declared.html").write_bytes(
        '<meta charset="latin-1"><title>Café</title><p>Le président a parlé.</p>'.encode("latin-1"))
    out = {o.location: o for o in iter_seed_documents(tmp_path)}
    assert isinstance(out["utf16.txt"], SourceDocument) and out["utf16.txt"].title == "Визит в Москву"
    failure = out["latin1.txt"]
    assert isinstance(failure, Failure) and "cannot be told for sure" in failure.reason
    assert "iconv -f CHARSET -t utf-8" in failure.reason  # what to do
    assert "Le président" in out["declared.html"].html  # a declaration is used, no guess


def test_an_undeclared_windows_1251_feed_is_read_as_russian():
    entries, _ = read_feed(FEED.encode("cp1251"), FeedSpec("Vesti", "https://vesti.example/rss"))
    assert [e.title for e in entries] == [RUSSIAN]
    # an HTTP charset counts as a declaration
    entries, _ = read_feed(FEED.encode("koi8_r"), FeedSpec("Vesti", "https://vesti.example/rss"),
                           content_type="application/rss+xml; charset=koi8-r")
    assert [e.title for e in entries] == [RUSSIAN]


def test_an_undeclared_feed_in_a_charset_that_cannot_be_told_is_refused():
    feed = FEED.replace("Вести", "Café").replace(RUSSIAN, "Le président à Moscou")
    feed = feed.replace("Москва и Нью-Дели договорились о расширении торговли в рублях и рупиях.",
                        "Un accord signé.")
    with pytest.raises(ValueError, match="declares no encoding"):
        read_feed(feed.encode("latin-1"), FeedSpec("Le Monde", "https://lm.example/rss"))


def test_pages_use_the_same_decoder():
    page = f"<html><body><p>{RUSSIAN}</p></body></html>"
    assert html_as_utf8(page.encode("utf-16")).decode() == page
    assert html_as_utf8(page.encode("cp1251"), "text/html; charset=windows-1251").decode() == page
    with pytest.raises(CharsetUnknown):
        html_as_utf8("<p>Le président à Moscou</p>".encode("latin-1"))


def test_decode_html_prefers_declarations_and_survives_wrong_ones():
    text = "<p>Индия</p>"
    assert decode_html(text.encode("cp1251"), "text/html; charset=windows-1251") == text
    assert decode_html(text.encode("utf-8"), "text/html; charset=bogus") == text


@pytest.mark.parametrize("route", ["/ru/", "/ru-meta/"])
def test_a_fetched_windows_1251_page_declared_in_the_header_or_meta(web, route):
    page = fetch(f"{web.base}{route}rossiya-indiya.html")
    assert "Россия и Индия обсудили в Москве" in page.text


def test_fetched_pages_declared_nowhere_and_with_invalid_utf8(hostile):
    russian = fetch_from(hostile, "/cp1251/rossiya-indiya.html")
    assert "Россия и Индия" in russian.text
    japanese = fetch_from(hostile, "/sjis")
    assert "インドとロシア" in japanese.text
    broken = fetch_from(hostile, "/badutf8/s400-deliveries.html")
    assert broken.ok and "S-400 Triumf" in broken.text and "\ufffd" in broken.text
