"""Article text and metadata out of an HTML page, with trafilatura."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass

import trafilatura
from htmldate import find_date
from lxml.html import HtmlElement
from trafilatura import metadata as trafilatura_metadata
from trafilatura.settings import use_config

from .text import count_words

LOGGER = logging.getLogger(__name__)

# trafilatura's default config stops extraction after a timeout using signals, which fails
# outside the main thread (process pools, Prefect workers); we bound work by size instead.
CONFIG = use_config()
CONFIG.set("DEFAULT", "EXTRACTION_TIMEOUT", "0")

LANGUAGE_TAG = re.compile(r"^([a-z]{2,3})(?:[-_][a-z0-9]+)*$", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class ExtractedPage:
    """What trafilatura found on a page; any field may be empty."""

    text: str
    title: str | None
    author: str | None
    date: str | None  # ISO date as trafilatura reports it
    site_name: str | None
    language: str | None
    date_source: str | None = None  # "published" (the page's metadata) or "estimated" (its URL)


@dataclass(frozen=True, slots=True)
class PageMetadata:
    """The page's own metadata: what its head, JSON-LD and <html lang> say."""

    title: str | None = None
    author: str | None = None
    date: str | None = None
    site_name: str | None = None
    language: str | None = None
    date_source: str | None = None  # "published" (the page's metadata) or "estimated" (its URL)


# The full extraction re-runs when the fast one finds fewer words than this. On the public
# benchmark half, of the 9 pages under 200 words the full run changed only the one under 25;
# the other 8 cost a second extraction (0.7 ms a page on average) for the same text.
FULL_EXTRACTION_BELOW_WORDS = 50


# trafilatura's options (benchmarks/extraction.py --cv; docs/decisions.md, "Extraction
# settings"). Comments are never article text and tables are (dropping them cost 0.009 F1).
# favor_precision scored 0.969 against 0.962 on the dev half, but 0.953 against 0.963 on the
# held-out half: its gain rests on a few dev pages (8 of 88 carry it, one by 0.24 F1), so
# we keep trafilatura's own precision/recall balance, tuned on its larger benchmark.
OPTIONS = {"include_comments": False, "include_tables": True, "favor_precision": False}


def _bare(tree: HtmlElement, url: str | None, fast: bool, options: dict | None = None):
    # bare_extraction works on a copy of a tree it is given, so one parse serves both passes.
    return trafilatura.bare_extraction(
        tree,
        url=url,
        with_metadata=False,
        fast=fast,
        config=CONFIG,
        **(OPTIONS if options is None else options),
    )


def main_text(tree: HtmlElement, url: str | None = None, options: dict | None = None,
              rerun_below_words: int = FULL_EXTRACTION_BELOW_WORDS) -> str:
    """Return the main text of a parsed page: trafilatura's fast pass, and its full pass
    when the fast one finds fewer than `rerun_below_words` words."""
    # trafilatura's `fast` mode skips its fallback extractors and is 1.6x faster, but loses
    # 0.011 F1 on pages where its main extractor finds little; running the full extraction
    # only then keeps the F1 of the full pass.
    doc = _bare(tree, url, True, options)
    if doc is None or count_words(doc.text) < rerun_below_words:
        doc = _bare(tree, url, False, options) or doc
    return (doc.text or "") if doc is not None else ""
def page_date_found(tree: HtmlElement, url: str | None) -> tuple[str | None, str | None]:
    """Return (ISO date, how it was known) of a page: "published" when its own metadata
    states it, "estimated" when only a date in its URL (or canonical link) gives it."""
    params = trafilatura_metadata.set_date_params(False)
    try:
        # url="" keeps htmldate off the URL (and the canonical link): the page's own word first
        date = find_date(tree, **{**params, "url": ""})
        if date:
            return date, "published"
        date = find_date(tree, **{**params, "url": url})
    except Exception:  # noqa: BLE001 - a date is optional
        return None, None
    return (date, "estimated") if date else (None, None)


def page_metadata(tree: HtmlElement, url: str | None = None) -> PageMetadata:
    """Return the title, author, date, site name and language a page declares.

    The cheap part of trafilatura's metadata pass: <meta> tags, JSON-LD, <title>, and
    htmldate without its extensive search. trafilatura's full pass also scans the body for
    bylines, categories, tags and licences and searches the whole page for dates; that
    costs 4 ms a page (more than a third of the extraction) for fields feeds mostly carry.
    """
    meta = trafilatura_metadata.examine_meta(tree)
    if meta.author and " " not in meta.author:  # a handle or a single word, as trafilatura
        meta.author = None
    try:
        meta = trafilatura_metadata.extract_meta_json(tree, meta)
    except Exception:  # noqa: BLE001 - malformed JSON-LD: keep what the meta tags said
        LOGGER.debug("JSON-LD metadata unreadable on %s", url, exc_info=True)
    title = meta.title or trafilatura_metadata.extract_title(tree)
    date, date_source = page_date_found(tree, url)
    site_name = meta.sitename or trafilatura_metadata.extract_sitename(tree)
    if site_name:
        site_name = site_name.lstrip("@") or None
    lang = LANGUAGE_TAG.match((tree.get("lang") or "").strip())
    return PageMetadata(title=title or None, author=meta.author or None, date=date,
                        site_name=site_name, language=lang[1].lower() if lang else None,
                        date_source=date_source)


def extract_page(html: str | bytes, url: str | None = None) -> ExtractedPage:
    """Return the main text and metadata of `html` (str, or UTF-8 bytes; empty text when
    there is none)."""
    if isinstance(html, bytes):
        html = html.decode("utf-8", "replace")
    tree = trafilatura.load_html(html)
    if tree is None:
        return ExtractedPage("", None, None, None, None, None)
    meta = page_metadata(tree, url)
    return ExtractedPage(
        text=main_text(tree, url),
        title=meta.title,
        author=meta.author,
        date=meta.date,
        site_name=meta.site_name,
        language=meta.language,
        date_source=meta.date_source,
    )
