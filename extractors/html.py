"""Article text and metadata out of an HTML page, with trafilatura."""

from __future__ import annotations

import logging
from dataclasses import dataclass

import trafilatura
from trafilatura.settings import use_config

LOGGER = logging.getLogger(__name__)

# trafilatura's default config stops extraction after a timeout using signals, which fails
# outside the main thread (process pools, Prefect workers); we bound work by size instead.
CONFIG = use_config()
CONFIG.set("DEFAULT", "EXTRACTION_TIMEOUT", "0")


@dataclass(frozen=True, slots=True)
class ExtractedPage:
    """What trafilatura found on a page; any field may be empty."""

    text: str
    title: str | None
    author: str | None
    date: str | None  # ISO date as trafilatura reports it
    site_name: str | None
    language: str | None


def extract_page(html: str, url: str | None = None) -> ExtractedPage:
    """Return the main text and metadata of `html` (empty text when there is none)."""
    # Chosen with benchmarks/extraction.py (F1 on the public article-extraction benchmark):
    # favor_precision drops more boilerplate, comments are never article text, and tables
    # are (dropping them cost 0.009 F1 of recall).
    doc = trafilatura.bare_extraction(
        html,
        url=url,
        with_metadata=True,
        include_comments=False,
        include_tables=True,
        favor_precision=True,
        config=CONFIG,
    )
    if doc is None:
        return ExtractedPage("", None, None, None, None, None)
    return ExtractedPage(
        text=doc.text or "",
        title=doc.title,
        author=doc.author,
        date=doc.date,
        site_name=doc.sitename,
        language=doc.language,
    )
