"""Feed lists and feed documents (RSS 2.0, RSS 1.0/RDF, Atom, content:encoded, malformed XML,
HTML pages, 10,000 entries). A feed's DTD: test_feedxml.py."""

from datetime import datetime

import pytest

from extractors.feeds import FeedSpec, entry_document, load_feed_list, parse_feed, read_feed
from tests import hostile_feeds as hf
from tests.conftest import ROOT

FEEDS = ROOT / "tests" / "fixtures" / "web" / "feeds"
BASE = "http://news.example"


def feed_bytes(name):
    return (FEEDS / name).read_bytes().replace(b"{BASE}", BASE.encode())


def test_rss2_entries_have_canonical_links_guids_and_dates():
    entries = parse_feed(feed_bytes("rss2.xml"), FeedSpec("Delhi Desk", f"{BASE}/feeds/rss2.xml"))
    assert len(entries) == 6
    first = entries[0]
    assert first.url == f"{BASE}/news/s400-deliveries.html"
    assert first.guid == "ddr-s400-2024"
    assert first.published_at == datetime(2024, 7, 9, 3, 0)
    assert first.language == "en"
    # no <guid>: the entry's link is its identity
    assert entries[2].guid == f"{BASE}/flaky/sanctions-pressure.html"
    assert entries[3].author == "Rahul Menon"


def test_atom_and_rdf():
    atom = parse_feed(feed_bytes("atom.xml"), FeedSpec("Vestnik", f"{BASE}/feeds/atom.xml"))
    assert [e.language for e in atom] == ["ru", "ru"]
    assert atom[0].title.startswith("Россия и Индия")
    assert atom[1].url == f"{BASE}/gz/sanctions-reprint.html"
    rdf = parse_feed(feed_bytes("rdf.xml"), FeedSpec("Weekly", f"{BASE}/feeds/rdf.xml"))
    assert [e.url for e in rdf] == [f"{BASE}/news/s400-deliveries.html"]
    assert rdf[0].published_at == datetime(2024, 7, 9, 3, 0)


def test_content_encoded_is_the_entry_text():
    entries = parse_feed(feed_bytes("full-content.xml"), FeedSpec("TM", f"{BASE}/f.xml"))
    assert "largest supplier of urea" in entries[1].content
    assert "<p>" not in entries[1].content
    doc = entry_document(entries[1], None, None)
    assert doc.text == entries[1].content and doc.html is None and doc.key == entries[1].url
    with_page = entry_document(entries[1], "<html>page</html>", f"{BASE}/moved?utm_source=x")
    assert with_page.key == f"{BASE}/moved" and with_page.fallback_text == entries[1].content


@pytest.mark.parametrize("page", [b"<html><body>hello</body></html>",
                                  b"<!DOCTYPE html><html><body><p>Hello</p></body></html>"])
def test_an_html_page_is_not_a_feed(page):
    with pytest.raises(ValueError, match="not an RSS/Atom feed"):
        parse_feed(page, FeedSpec("x", BASE))


def test_malformed_xml_keeps_the_entries_it_can_read():
    good = hf.item("http://example.org/a", "Modi meets Putin", "guid-a", "Talks on energy.")
    later = hf.item("http://example.org/c", "After the break", "guid-c")
    entries, warning = read_feed(hf.malformed(good, hf.item("http://example.org/b", "Second", "b"),
                                              after=later).encode(), FeedSpec("x", BASE))
    guids = [e.guid.rsplit("/", 1)[-1] for e in entries]
    assert guids[:2] == ["guid-a", "b"]  # everything before the error
    assert "guid-c" in guids  # and, read leniently, what follows it
    assert warning.startswith("malformed XML (line")


def test_ten_thousand_entries():
    entries, warning = read_feed(hf.big_feed(10_000).encode(), FeedSpec("x", BASE))
    assert len(entries) == 10_000 and warning is None
    assert len({e.url for e in entries}) == 10_000


def test_feed_list_validation(tmp_path):
    good = tmp_path / "feeds.toml"
    good.write_text('[[feeds]]\nname = "A"\nurl = "https://a.example/rss"\ntags = ["wire"]\n'
                    '[[feeds]]\nname = "B"\nurl = "https://b.example/rss"\nenabled = false\n')
    feeds = load_feed_list(good)
    assert [(f.name, f.enabled, f.tags) for f in feeds] == [("A", True, ("wire",)), ("B", False, ())]
    for body, message in [('[[feeds]]\nurl = "https://a/rss"\n', "`name` is required"),
                          ('[[feeds]]\nname = "A"\nurl = "ftp://a/rss"\n', "http(s) URL"),
                          ('[[feeds]]\nname = "A"\nurl = "https://a/x"\n' * 2, "used twice"),
                          ("[[feeds]\n", "not valid TOML")]:
        bad = tmp_path / "bad.toml"
        bad.write_text(body)
        with pytest.raises(ValueError, match=message.replace("(", r"\(").replace(")", r"\)")):
            load_feed_list(bad)


def test_shipped_feed_list_is_valid_and_disabled():
    feeds = load_feed_list(ROOT / "seeds" / "feeds.toml")
    assert len(feeds) >= 5 and not any(f.enabled for f in feeds)


def test_shipped_feed_list_covers_the_russian_and_indian_press_with_language_and_country():
    from extractors.actors import load_gazetteer

    feeds = {f.name: f for f in load_feed_list(ROOT / "seeds" / "feeds.toml")}
    countries = {a.id for a in load_gazetteer().actors if a.kind == "country"}
    for name in ["TASS", "RIA Novosti", "Interfax", "Kommersant", "RBC", "Izvestia",
                 "Vedomosti", "BBC News Russian", "DW Russian"]:
        assert feeds[name].language == "ru", name
    for name in ["The Hindu — National", "Indian Express — India", "ThePrint",
                 "Economic Times — Defence", "Hindustan Times — World", "NDTV — Top Stories"]:
        assert feeds[name].country == "India", name
    assert all(f.language for f in feeds.values())
    with_country = [f for f in feeds.values() if f.country]
    assert len(with_country) >= len(feeds) - 2
    assert {f.country for f in with_country} <= countries
    assert len({f.url for f in feeds.values()}) == len(feeds)
