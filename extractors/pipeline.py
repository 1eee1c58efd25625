"""From SourceDocument to Article and ThemeTags: the pure per-batch work of an ingest."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from . import identity
from .html import extract_page
from .normalise import normalise_text, normalise_title
from .records import Article, Failure, SourceDocument, ThemeTag
from .seeds import parse_datetime
from .taxonomy import Taxonomy
from .themes import tag_text

LOGGER = logging.getLogger(__name__)
MIN_WORDS = 3  # a headline with a one-line summary is an article; an empty page is not
# Hiragana, Katakana, Han and Hangul: scripts written without spaces between words.
CJK_CHAR = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]")


def count_words(text: str) -> int:
    """Return the words of `text`: space-separated tokens, each CJK character counting as one."""
    cjk = len(CJK_CHAR.findall(text))
    return len(CJK_CHAR.sub(" ", text).split()) + cjk if cjk else len(text.split())


@dataclass
class BatchResult:
    """What one batch produced: articles, their tags, and the documents that failed."""

    articles: list[Article] = field(default_factory=list)
    tags: list[ThemeTag] = field(default_factory=list)
    failures: list[Failure] = field(default_factory=list)


def build_article(doc: SourceDocument) -> Article | Failure:
    """Return the Article of a document (extracting HTML if needed), or why it has none."""
    title, text = doc.title, doc.text
    author, published_at, language = doc.author, doc.published_at, doc.language
    if not text and doc.html:
        page = extract_page(doc.html, doc.url)
        text = page.text
        title = title or page.title
        author = author or page.author
        language = language or page.language
        if published_at is None and page.date:
            try:
                published_at = parse_datetime(page.date)
            except ValueError:
                published_at = None
    text = normalise_text(text or "")
    title = normalise_title(title) or normalise_title(text.split("\n", 1)[0])[:200]
    word_count = count_words(text)
    if word_count < MIN_WORDS:
        return Failure(doc.location, doc.source, "extract",
                       f"no article text found ({word_count} words)")
    return Article(
        article_id=identity.article_id(doc.key),
        key=doc.key,
        origin=doc.origin,
        source=doc.source,
        url=doc.url,
        title=title,
        text=text,
        author=normalise_title(author) or None,
        published_at=published_at,
        language=language,
        word_count=word_count,
        content_hash=identity.content_hash(f"{title}\n{text}"),
        simhash=identity.simhash(text),
        feed=doc.feed,
        guid=doc.guid,
    )


def process_batch(docs: Iterable[SourceDocument], taxonomy: Taxonomy) -> BatchResult:
    """Return the articles, tags and failures of a batch of documents.

    A document that breaks a stage becomes a Failure; it never stops the batch.
    """
    result = BatchResult()
    for doc in docs:
        try:
            built = build_article(doc)
        except Exception as exc:  # noqa: BLE001 - one bad page must not stop the batch
            LOGGER.debug("extract failed for %s", doc.location, exc_info=True)
            built = Failure(doc.location, doc.source, "extract", f"{type(exc).__name__}: {exc}")
        if isinstance(built, Failure):
            result.failures.append(built)
            continue
        result.articles.append(built)
        result.tags.extend(tag_text(built.article_id, built.title, built.text, taxonomy))
    return result
