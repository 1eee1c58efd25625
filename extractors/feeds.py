"""The feed list (TOML) and feed documents (RSS 0.9x/1.0/2.0, Atom) -> FeedEntry records."""

from __future__ import annotations

import calendar
import logging
import tomllib
import xml.sax
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path

import feedparser
import lxml.etree
import lxml.html

from .charset import CharsetUnknown, bom_codec, decode_text, http_charset, xml_encoding
from .feedxml import strip_dtd
from .keys import entry_key, url_key
from .normalise import one_line
from .fetch import Fetcher, FetchPolicy
from .records import Failure, FailureCode, FeedEntry, FeedPoll, SourceDocument
from .sources import SourceRegistry
from .text import has_article_text
from .urls import canonical_url

LOGGER = logging.getLogger(__name__)
BLOCK_TAGS = ("p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "tr")


@dataclass(frozen=True)
class FeedSpec:
    """One feed of the feed list."""

    name: str
    url: str
    language: str | None = None
    tags: tuple[str, ...] = field(default_factory=tuple)
    enabled: bool = True
    country: str | None = None  # the outlet's home country, a gazetteer country id


def load_feed_list(path: Path | str) -> list[FeedSpec]:
    """Return the feeds of a TOML feed list; ValueError naming the entry and field when invalid."""
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ValueError(f"feed list {path}: not valid TOML: {exc}") from None
    except UnicodeDecodeError as exc:
        raise ValueError(f"feed list {path}: not a text file (byte 0x{exc.object[exc.start]:02x} "
                         f"at offset {exc.start} is not UTF-8); a feed list is TOML text with "
                         "[[feeds]] tables") from None
    except OSError as exc:
        raise ValueError(f"feed list {path}: cannot read it ({exc.strerror})") from None
    items = data.get("feeds", [])
    if not isinstance(items, list):
        raise ValueError(f"{path}: `feeds` must be an array of tables ([[feeds]])")
    feeds, names = [], set()
    for i, item in enumerate(items, start=1):
        where = f"{path}: feed #{i}"
        if not isinstance(item, dict):
            raise ValueError(f"{where} is not a table")
        name, url = item.get("name"), item.get("url")
        if not isinstance(name, str) or not one_line(name):
            raise ValueError(f"{where}: `name` is required")
        # the name as stored: "A" and "A " (or "A\t") would otherwise pass as two feeds
        # and merge into one
        name = one_line(name)
        if name in names:
            raise ValueError(f"{where}: the name {name!r} is used twice (spaces at the ends "
                             "do not count); names must be unique")
        if not isinstance(url, str) or canonical_url(url) is None:
            raise ValueError(f"{where} ({name}): `url` must be an http(s) URL, got {url!r}")
        tags = item.get("tags", [])
        if not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
            raise ValueError(f"{where} ({name}): `tags` must be a list of strings")
        enabled = item.get("enabled", True)
        if not isinstance(enabled, bool):
            raise ValueError(f"{where} ({name}): `enabled` must be true or false")
        language, country = item.get("language"), item.get("country")
        if country is not None and (not isinstance(country, str) or not country.strip()):
            raise ValueError(f"{where} ({name}): `country` must be a gazetteer country id "
                             f"such as \"India\", got {country!r}")
        names.add(name)
        feeds.append(FeedSpec(name, url.strip(), str(language) if language else None,
                              tuple(tags), enabled, country.strip() if country else None))
    return feeds


def with_countries(feeds: list[FeedSpec], sources: SourceRegistry) -> list[FeedSpec]:
    """Return the feeds, each without a `country` given one from the registry (by the
    feed's name, else its URL's domain) when the registry knows the outlet."""
    return [f if f.country else replace(f, country=sources.country_of(f.name, f.url))
            for f in feeds]


def html_to_text(fragment: str | None) -> str:
    """Return the plain text of an HTML fragment (feed content), paragraphs kept apart."""
    if not fragment or not fragment.strip():
        return ""
    if "<" not in fragment:
        return fragment.strip()
    try:
        root = lxml.html.fragment_fromstring(fragment, create_parent="div")
    except (lxml.etree.ParserError, ValueError):
        return ""
    for junk in root.xpath(".//script|.//style"):
        junk.drop_tree()
    for element in root.iter(*BLOCK_TAGS):
        element.tail = "\n" + (element.tail or "")  # one line per block, as on the page
    lines = (" ".join(line.split()) for line in root.text_content().splitlines())
    return "\n".join(line for line in lines if line)


def entry_datetime(entry: dict) -> datetime | None:
    """Return the entry's published (else updated) time as naive UTC."""
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        parsed = entry.get(key)
        if parsed:
            return datetime.fromtimestamp(calendar.timegm(parsed), UTC).replace(tzinfo=None)
    return None


def entry_content(entry: dict) -> str:
    """Return the fullest text the feed gives: content:encoded / Atom content, else summary."""
    best = ""
    for content in entry.get("content") or []:
        text = html_to_text(content.get("value"))
        if len(text) > len(best):
            best = text
    summary = html_to_text(entry.get("summary"))
    return best if len(best) >= len(summary) else summary


def parse_feed(body: bytes, feed: FeedSpec, base_url: str | None = None) -> list[FeedEntry]:
    """Return the entries of a feed document; ValueError when it is not a feed at all."""
    return read_feed(body, feed, base_url)[0]


def feed_as_utf8(body: bytes, content_type: str | None = None) -> bytes:
    """Return a feed document feedparser can read: as it is when it is UTF-8 or says what
    it is itself (a BOM, an XML encoding); else decoded by extractors/charset.py (the HTTP
    charset, else a guess) and re-encoded as UTF-8, as feedparser would read it as
    windows-1252: mojibake. ValueError saying what to do when the charset cannot be told."""
    if bom_codec(body) or xml_encoding(body):
        return body
    try:
        body.decode("utf-8")
        return body
    except UnicodeDecodeError:
        pass
    try:
        return decode_text(body, [http_charset(content_type)]).encode("utf-8")
    except CharsetUnknown as exc:
        raise ValueError(f"the feed is {exc}, and declares no encoding: ask its publisher to "
                         "declare it (<?xml version=\"1.0\" encoding=\"…\"?>)") from None


def read_feed(body: bytes, feed: FeedSpec, base_url: str | None = None,
              content_type: str | None = None) -> tuple[list[FeedEntry], str | None]:
    """Return the entries of a feed document and a warning when it was not clean XML.

    A DTD is removed unread (see feedxml); malformed XML is read by feedparser's lenient
    parser, so the entries before (and often after) the error still come back, with a
    warning naming the error. ValueError when the document is not a feed at all.
    """
    body, had_entities = strip_dtd(feed_as_utf8(body, content_type))
    parsed = feedparser.parse(body, response_headers={"content-location": base_url or feed.url})
    if not parsed.entries and parsed.get("bozo") and not parsed.get("version"):
        if b"<html" in body[:4096].lower():
            raise ValueError("not an RSS/Atom feed: the URL serves an HTML page "
                             "(check the feed URL; sites often link their feed from it)")
        reason = parsed.get("bozo_exception")
        raise ValueError(f"not an RSS/Atom feed: {str(reason)[:200] or 'unparseable'}")
    warning = None
    error = parsed.get("bozo_exception")
    if had_entities:
        warning = "the feed declares XML entities (a DTD); they were ignored, not expanded"
    elif isinstance(error, xml.sax.SAXParseException):
        warning = (f"malformed XML (line {error.getLineNumber()}: {error.getMessage()}); "
                   f"read leniently, {len(parsed.entries)} entries kept")
    language = feed.language or parsed.feed.get("language") or None
    entries = []
    for entry in parsed.entries:
        url = canonical_url(entry.get("link") or "", base_url or feed.url)
        guid = (entry.get("id") or "").strip() or url
        if not guid:
            continue  # neither id nor link: nothing to identify or fetch
        entries.append(FeedEntry(
            feed=feed.name,
            guid=guid,
            url=url,
            title=(entry.get("title") or "").strip() or None,
            content=entry_content(entry) or None,
            author=(entry.get("author") or "").strip() or None,
            published_at=entry_datetime(entry),
            language=(language or "").split("-")[0].lower() or None,
            country=feed.country,
        ))
    return entries, warning


def entry_document(entry: FeedEntry, html: str | bytes | None,
                   final_url: str | None) -> SourceDocument:
    """Return the SourceDocument of an entry: its fetched page, else only the feed's content.

    The article's identity is the canonical URL of the page (after redirects), else of the
    entry link, else the feed's GUID.
    """
    key = entry_key(entry.feed, entry.guid, entry.url, final_url)
    url = url_key(final_url) or entry.url
    return SourceDocument(
        key=key,
        origin="feed",
        source=entry.feed,
        location=entry.url or key,
        url=url,
        title=entry.title,
        text=None if html else entry.content,
        html=html,
        author=entry.author,
        published_at=entry.published_at,
        language=entry.language,
        feed=entry.feed,
        guid=entry.guid,
        fallback_text=entry.content if html else None,
        source_country=entry.country,
    )


def poll_feed(fetcher: Fetcher, feed: FeedSpec, validators: tuple | None) -> FeedPoll:
    """Fetch one feed with a conditional GET (`validators`: etag, last_modified) and parse
    its entries; never raises: an error is in the FeedPoll."""
    etag, modified = validators or (None, None)
    page = fetcher.fetch(feed.url, html=False, etag=etag, last_modified=modified)
    status = str(page.status) if page.status else "error"
    if not page.ok:
        return FeedPoll(feed.name, feed.url, False, status, error=page.error,
                        http_status=page.status, transient=page.transient, code=page.code)
    if page.status == 304:
        return FeedPoll(feed.name, feed.url, True, status, etag, modified)
    try:
        entries, warning = read_feed(page.body, feed, page.final_url, page.content_type)
    except ValueError as exc:
        return FeedPoll(feed.name, feed.url, False, "invalid", error=str(exc),
                        http_status=page.status, code=FailureCode.MALFORMED)
    return FeedPoll(feed.name, feed.url, True, status, page.etag, page.last_modified,
                    http_status=page.status, warning=warning, entries=entries,
                    code=FailureCode.MALFORMED if warning else None)


def retry_entry(feed: str, url: str, country: str | None = None) -> FeedEntry:
    """Return an entry to fetch again from what its failure recorded (feed and URL), with
    the feed's home country."""
    return FeedEntry(feed=feed, guid=url, url=url, country=country)


def iter_entry_documents(entries: list[FeedEntry], policy: FetchPolicy
                         ) -> Iterator[SourceDocument | Failure]:
    """Fetch entries' pages concurrently; yield a document per entry, or a fetch Failure.

    An entry whose page cannot be fetched still becomes a document when the feed itself
    carries enough text (content:encoded). Documents come one at a time, so a caller can
    hand them on while later pages are still downloading.
    """
    with_url = [e for e in entries if e.url]
    for entry in entries:
        if not entry.url:
            yield entry_document(entry, None, None)
    with Fetcher(policy) as fetcher:
        for index, page in fetcher.fetch_many((e.url for e in with_url), html=True):
            entry = with_url[index]
            if page.ok:
                # UTF-8 bytes take a quarter of the memory of a str with wide characters,
                # and pickle to the extraction processes as they are.
                yield entry_document(entry, page.body, page.final_url)
            elif has_article_text(entry.content):
                yield entry_document(entry, None, None)
            else:
                yield Failure(entry.location, entry.feed, "fetch", page.code, page.error,
                              http_status=page.status, transient=page.transient,
                              feed=entry.feed)


def new_entry_batches(entries: Iterable[FeedEntry], wanted: set[tuple[str, str]],
                      batch_size: int) -> Iterator[list[FeedEntry]]:
    """Yield the wanted entries in batches, each entry and each page once (two feeds often
    list the same page)."""
    batch, seen = [], set()
    for entry in entries:
        ident = (entry.feed, entry.guid)
        if ident in wanted and ident not in seen and entry.url not in seen:
            seen.update((ident, entry.url))
            batch.append(entry)
            if len(batch) >= batch_size:
                yield batch
                batch = []
    if batch:
        yield batch
