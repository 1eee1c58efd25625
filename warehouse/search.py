"""Full-text search: a BM25 index (DuckDB FTS) over article titles and texts.

DuckDB's FTS index is a set of tables built in one pass (`create_fts_index`); it cannot be
updated row by row. So the index is rebuilt after an ingest, and only when the articles
it covers changed (a fingerprint of ids, titles and text hashes is kept in `search_index`).
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from datetime import date, datetime

import duckdb

from .db import sql, transaction

INDEX_SCHEMA = "fts_main_articles"
# Words of the query, for the snippet: letters, digits and inner hyphens (S-400, Su-57).
WORD = re.compile(r"\w+(?:-\w+)*")
SNIPPET_CHARS = 200


@dataclass(frozen=True)
class IndexState:
    """What the search index was built from, and whether it was rebuilt just now."""

    rebuilt: bool
    articles: int
    build_s: float
    built_at: datetime | None


@dataclass(frozen=True)
class Hit:
    """One search result: the article, its rank score, themes, copies and a snippet."""

    score: float
    article_id: str
    title: str
    day: date
    source: str
    url: str | None
    themes: list[str]
    copies: int
    snippet: str


def index_exists(con: duckdb.DuckDBPyConnection) -> bool:
    """Return True when the FTS index schema exists in this database."""
    return bool(con.execute(
        "select count(*) from duckdb_schemas() where schema_name = ?", [INDEX_SCHEMA]
    ).fetchone()[0])


def refresh_index(con: duckdb.DuckDBPyConnection, now: datetime, force: bool = False) -> IndexState:
    """Rebuild the FTS index when the articles changed since the last build (or when forced).

    Returns what the index now covers. The rebuild reads every article: its cost grows with
    the warehouse (see benchmarks/warehouse.py), which is why an unchanged warehouse is
    never re-indexed.
    """
    articles, fingerprint = con.execute(sql("search/fingerprint")).fetchone()
    stored = con.execute(
        "select fingerprint, articles, build_s, built_at from search_index where name = 'articles'"
    ).fetchone()
    if not force and stored and stored[0] == fingerprint and index_exists(con):
        return IndexState(False, stored[1], stored[2], stored[3])
    t0 = time.perf_counter()
    with transaction(con):
        # Porter stemming, English stop words, case and accents folded: the FTS defaults.
        con.execute(
            "pragma create_fts_index('articles', 'article_id', 'title', 'text', overwrite = 1)"
        )
        build_s = round(time.perf_counter() - t0, 3)
        con.execute(
            "insert or replace into search_index values ('articles', ?, ?, ?, ?)",
            [now, articles, fingerprint, build_s],
        )
    return IndexState(True, articles, build_s, now)


def snippet(text: str, query: str, width: int = SNIPPET_CHARS) -> str:
    """Return about `width` characters of `text` around the first word of `query` found in it.

    Matching is by word prefix (the index stems words: 'sanctions' finds 'sanctioned'),
    case-insensitive; without a match, the start of the text.
    """
    text = " ".join((text or "").split())
    stems = [w.lower()[: max(4, len(w) - 3)] for w in WORD.findall(query)]
    start = None
    for match in WORD.finditer(text):
        word = match.group().lower()
        if any(word.startswith(stem) for stem in stems):
            start = match.start()
            break
    if start is None or start < width // 3:
        cut = text[:width]
        return cut + ("…" if len(text) > width else "")
    begin = text.rfind(" ", 0, start - width // 3) + 1
    cut = text[begin : begin + width]
    return "…" + cut + ("…" if begin + width < len(text) else "")


def search(
    con: duckdb.DuckDBPyConnection,
    query: str,
    *,
    theme: str | None = None,
    since: date | None = None,
    source: str | None = None,
    limit: int = 10,
) -> list[Hit]:
    """Return the distinct articles matching `query`, best BM25 score first.

    `query` is bound as a parameter: quotes and SQL in it are searched for, never run.
    Raises LookupError when the database has no search index yet.
    """
    if not index_exists(con):
        raise LookupError("this warehouse has no search index yet: run `mediawatch ingest`")
    rows = con.execute(
        sql("search/search"),
        {"query": query, "theme": theme, "since": since, "source": source, "limit": limit},
    ).fetchall()
    return [
        Hit(score, article_id, title, day, source_, url, list(themes), copies,
            snippet(text, query))
        for score, article_id, title, day, source_, url, themes, copies, text in rows
    ]
