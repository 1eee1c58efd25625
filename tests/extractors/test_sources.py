"""The home country of an article's outlet: JSONL, feed list, seeds sources.toml, registry."""

import json

import pytest

from extractors.actors import load_gazetteer
from extractors.feeds import FeedSpec, entry_document, load_feed_list, read_feed, with_countries
from extractors.pipeline import build_article
from extractors.records import Failure, SourceDocument
from extractors.seeds import iter_seed_documents
from extractors.sources import load_sources, parse_sources

RSS = b"""<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>
<item><title>Talks</title><link>https://example.org/a</link><description>India and Russia
held talks on oil.</description></item></channel></rss>"""


def test_every_shipped_country_is_a_gazetteer_country():
    countries = {a.id for a in load_gazetteer().actors if a.kind == "country"}
    registry = load_sources()
    used = set(registry.by_name.values()) | set(registry.by_domain.values())
    assert used and used <= countries, used - countries


@pytest.mark.parametrize("source, url, site_name, country", [
    ("RIA Novosti", None, None, "Russia"),
    ("риа новости", None, None, "Russia"),            # case-folded, other script
    ("The Hindu — International", None, None, "India"),  # a feed named outlet + section
    ("Economic Times (Defence)", None, None, "India"),
    (None, "https://radiosputnik.ru/20231203/gaz-1913425608.html", None, "Russia"),
    (None, "https://www.bbc.com/russian/articles/x", None, "United Kingdom"),
    (None, "https://economictimes.indiatimes.com/news/defence", None, "India"),
    ("Some Blog", "https://blog.example.org/p", "NDTV", "India"),  # by the page's site name
    ("Some Blog", "https://blog.example.org/p", None, None),
    (None, "https://notria.ru/x", None, None),         # a domain is matched whole, not as a suffix
])
def test_registry_finds_outlets_by_name_domain_and_site_name(source, url, site_name, country):
    assert load_sources().country_of(source, url, site_name) == country


def test_invalid_registry_entries_are_named():
    with pytest.raises(ValueError, match=r"entry #1 \('X'\): `country`"):
        parse_sources(b'[[sources]]\nname = "X"\n')
    with pytest.raises(ValueError, match="not valid TOML"):
        parse_sources(b"[[sources]\n")


def write_jsonl(path, records):
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in records) + "\n")


def test_seed_country_from_the_line_then_the_seeds_file_then_the_registry(tmp_path):
    write_jsonl(tmp_path / "a.jsonl", [
        {"id": "1", "title": "t", "text": "x y z", "source": "RIA Novosti",
         "source_country": "India"},                       # the line wins
        {"id": "2", "title": "t", "text": "x y z", "source": "RIA Novosti"},
        {"id": "3", "title": "t", "text": "x y z", "url": "https://tass.ru/politika/1"},
        {"id": "4", "title": "t", "text": "x y z", "source": "Local Desk"},
        {"id": "5", "title": "t", "text": "x y z", "source": "Unknown Gazette"},
        {"id": "6", "title": "t", "text": "x y z", "source_country": 7},
    ])
    (tmp_path / "sources.toml").write_text(
        '[[sources]]\nname = "Local Desk"\ncountry = "Nepal"\n'
        '[[sources]]\nname = "TASS"\ndomains = ["tass.ru"]\ncountry = "Belarus"\n')
    out = list(iter_seed_documents(tmp_path))
    docs = {d.key: d.source_country for d in out if isinstance(d, SourceDocument)}
    # ids are scoped to their file (extractors/keys.py)
    assert docs == {"jsonl:a.jsonl#1": "India", "jsonl:a.jsonl#2": "Russia",
                    "https://tass.ru/politika/1": "Belarus", "jsonl:a.jsonl#4": "Nepal",
                    "jsonl:a.jsonl#5": None}
    [bad] = [f for f in out if isinstance(f, Failure)]
    assert bad.location == "a.jsonl:6" and "source_country" in bad.reason


def test_invalid_seeds_sources_file_is_a_failure_and_the_registry_still_applies(tmp_path):
    write_jsonl(tmp_path / "a.jsonl", [{"id": "1", "title": "t", "text": "x y z",
                                        "source": "Kommersant"}])
    (tmp_path / "sources.toml").write_text("[[sources]]\nname = 3\n")
    out = list(iter_seed_documents(tmp_path))
    failure, doc = out
    assert isinstance(failure, Failure) and failure.location == "sources.toml"
    assert "shipped sources registry was used" in failure.reason
    assert doc.source_country == "Russia"


def test_feed_country_from_the_list_else_the_registry(tmp_path):
    feeds = tmp_path / "feeds.toml"
    feeds.write_text('[[feeds]]\nname = "Desk"\nurl = "https://desk.example/rss"\n'
                     'country = "India"\n'
                     '[[feeds]]\nname = "Izvestia"\nurl = "https://iz.ru/xml/rss/all.xml"\n'
                     '[[feeds]]\nname = "Other"\nurl = "https://other.example/rss"\n')
    listed = with_countries(load_feed_list(feeds), load_sources())
    assert [f.country for f in listed] == ["India", "Russia", None]
    [entry] = read_feed(RSS, listed[0])[0]
    assert entry_document(entry, None, None).source_country == "India"
    feeds.write_text('[[feeds]]\nname = "Desk"\nurl = "https://desk.example/rss"\ncountry = 1\n')
    with pytest.raises(ValueError, match="`country` must be a gazetteer country id"):
        load_feed_list(feeds)


def test_article_takes_the_documents_country_else_the_pages_site_name():
    html = ('<html><head><meta property="og:site_name" content="The Hindu"><title>Talks</title>'
            '</head><body><article><p>India and Russia held talks on oil and defence in '
            'Moscow, officials said on Monday.</p></article></body></html>')
    doc = SourceDocument(key="seed:a.html", origin="seed", source="seed", location="a.html",
                         html=html)
    assert build_article(doc).source_country == "India"
    given = SourceDocument(key="k", origin="seed", source="seed", location="k", title="Talks",
                           text="India and Russia held talks.", source_country="Russia")
    assert build_article(given).source_country == "Russia"
    unknown = SourceDocument(key="k", origin="seed", source="seed", location="k", title="Talks",
                             text="India and Russia held talks.")
    assert build_article(unknown).source_country is None
    assert FeedSpec("n", "https://e.org").country is None
