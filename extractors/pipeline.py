"""From SourceDocument to Article and ThemeTags: the pure per-batch work of an ingest."""

from __future__ import annotations

import logging
import signal
import time
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import datetime

from . import identity
from .html import extract_page
from .normalise import normalise_text, normalise_title, one_line
from .actors import Gazetteer, find_actors, load_gazetteer
from .records import ActorMention, Article, Failure, FailureCode, SourceDocument, ThemeTag
from .seeds import DEFAULT_SOURCE, parse_datetime
from .sources import load_sources
from .taxonomy import Taxonomy
from .text import THIN_PAGE_WORDS, count_words, has_article_text
from .themes import tag_text
from .tone import article_tone

LOGGER = logging.getLogger(__name__)


@dataclass
class BatchResult:
    """What one batch produced: articles, their tags, and the documents that failed."""

    articles: list[Article] = field(default_factory=list)
    tags: list[ThemeTag] = field(default_factory=list)
    failures: list[Failure] = field(default_factory=list)
    actors: list[ActorMention] = field(default_factory=list)
    # CPU seconds spent per stage ("extract", "tag"), for the run's timings.
    stage_s: dict[str, float] = field(default_factory=dict)
    documents: int = 0  # documents that reached extraction
    repeats: int = 0  # documents left out as their key was taken earlier in the run

    def merge(self, other: BatchResult) -> None:
        """Append another batch's results to this one (e.g. from a worker process)."""
        self.articles += other.articles
        self.tags += other.tags
        self.failures += other.failures
        self.actors += other.actors
        self.documents += other.documents
        self.repeats += other.repeats
        for stage, seconds in other.stage_s.items():
            self.stage_s[stage] = self.stage_s.get(stage, 0.0) + seconds


def page_date(found: str | None, given: datetime | None, prefer_page: bool) -> datetime | None:
    """Return the publication time: the page's date when preferred (a feed entry's date is
    often the feed's update time) unless it is the same day as the more precise `given`."""
    try:
        parsed = parse_datetime(found) if found else None
    except ValueError:
        parsed = None
    if parsed is None or given is None:
        return given or parsed
    return parsed if prefer_page and parsed.date() != given.date() else given


def fallback(page_text: str | None, entry_text: str | None) -> str | None:
    """Return the page's text, or the feed entry's own content when the page has little."""
    page_words = count_words(page_text)
    entry_words = count_words(entry_text)
    if page_words < THIN_PAGE_WORDS and entry_words > page_words:
        return entry_text
    return page_text


def build_article(doc: SourceDocument) -> Article | Failure:
    """Return the Article of a document (extracting HTML if needed), or why it has none."""
    title, text = doc.title, doc.text
    author, published_at, language = doc.author, doc.published_at, doc.language
    site_name = None
    date_source = ("feed" if doc.origin == "feed" else "published") if published_at else None
    if not text and doc.html:
        page = extract_page(doc.html, doc.url)
        text = page.text
        title = title or page.title
        author = author or page.author
        language = language or page.language
        site_name = page.site_name
        chosen = page_date(page.date, published_at, prefer_page=doc.origin == "feed")
        if chosen is not published_at:
            published_at, date_source = chosen, page.date_source
        text = fallback(text, doc.fallback_text)
    text = normalise_text(text or "")
    title = normalise_title(title) or normalise_title(text.split("\n", 1)[0])[:200]
    word_count = count_words(text)
    # A headline counts: "Iran" under a full headline is a (short) article, not a failure.
    if not has_article_text(title, text):
        return Failure(doc.location, doc.source, "extract", FailureCode.NO_TEXT,
                       f"no article text found ({word_count} words)")
    return Article(
        article_id=identity.article_id(doc.key),
        key=doc.key,
        origin=doc.origin,
        source=one_line(doc.source) or doc.source,
        url=one_line(doc.url) or None,
        title=title,
        text=text,
        author=normalise_title(author) or None,
        published_at=published_at,
        language=one_line(language) or None,
        word_count=word_count,
        content_hash=identity.content_hash(f"{title}\n{text}"),
        simhash=identity.simhash(text),
        feed=doc.feed,
        guid=doc.guid,
        site_name=one_line(site_name) or None,
        location=doc.location,
        # Seeds and feeds set it when their record or feed list says; the shipped registry
        # is the last resort (an HTML seed's og:site_name, a retried page's feed).
        source_country=doc.source_country or load_sources().country_of(
            doc.source if doc.source != DEFAULT_SOURCE else None, doc.url, site_name),
        date_source=date_source,
    )


def process_batch(docs: Iterable[SourceDocument], taxonomy: Taxonomy,
                  gazetteer: Gazetteer | None = None) -> BatchResult:
    """Return the articles (with tone), tags, actors and failures of a batch of documents.

    A document that breaks a stage becomes a Failure; it never stops the batch.
    """
    gazetteer = gazetteer or load_gazetteer()
    result = BatchResult()
    extract_s = tag_s = 0.0
    documents = 0
    for doc in docs:
        documents += 1
        t0 = time.process_time()
        try:
            built = build_article(doc)
        except Exception as exc:  # noqa: BLE001 - one bad page must not stop the batch
            LOGGER.debug("extract failed for %s", doc.location, exc_info=True)
            built = Failure(doc.location, doc.source, "extract", FailureCode.EXTRACT_ERROR,
                            f"{type(exc).__name__}: {exc}")
        t1 = time.process_time()
        extract_s += t1 - t0
        if isinstance(built, Failure):
            result.failures.append(built)
            continue
        built = replace(built, tone=article_tone(built.title, built.text, built.language))
        result.articles.append(built)
        actors = find_actors(built.article_id, built.title, built.text, gazetteer)
        result.actors.extend(actors)
        result.tags.extend(tag_text(built.article_id, built.title, built.text, taxonomy,
                                    built.source_country, actors, gazetteer))
        tag_s += time.process_time() - t1
    result.stage_s = {"extract": extract_s, "tag": tag_s}
    result.documents = documents
    return result


WARM_UP_PAGE = (b"<html><head><title>Warm-up</title></head><body><article><p>India and Russia "
                b"discussed oil, defence and trade in Moscow, officials said.</p></article>"
                b"</body></html>")


def warm_up(taxonomy: Taxonomy, gazetteer: Gazetteer | None = None) -> None:
    """Load and compile everything a batch needs (extractor, taxonomy, lexicons) once.

    An extraction process calls this when it starts, so the first real batch does not
    wait for dictionaries to load.
    """
    doc = SourceDocument(key="warm-up", origin="feed", source="warm-up", location="warm-up",
                         html=WARM_UP_PAGE)
    process_batch([doc], taxonomy, gazetteer)


def start_worker(taxonomy: Taxonomy, gazetteer: Gazetteer | None = None) -> None:
    """Set up an extraction process: leave Ctrl-C to its parent, then warm up.

    A terminal's Ctrl-C reaches the whole process group; the parent decides what stops, and
    a KeyboardInterrupt here would only print a traceback. Lives here, not with the pool in
    flows/, so that a process imports only the extractors (flows/ would pull in Prefect:
    ~50 MB and ~1.5 s of CPU per process).
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    warm_up(taxonomy, gazetteer)
