"""Full-text search: a BM25 index (DuckDB FTS layout) over article titles and texts.

The index has the tables and the BM25 macro of DuckDB's FTS extension, but mediawatch
builds it with its own SQL (sql/search/): the extension takes one stemmer per index, and
each word here is stemmed in its own language (Cyrillic: Snowball Russian; else Porter),
with digits and hyphenated tokens kept (S-400, Su-57, 2026). The extension also has no
way to add a row. Rebuilding after every ingest costs time in the size of the warehouse
(20–25 s at 100,000 articles, every few minutes for a few new ones), so each batch load
keeps the index up to date instead, in its own transaction (`update_index`, SQL in
sql/search/update_index.sql): only the new and changed articles are tokenised. A fingerprint
of ids, titles and text hashes in `search_index` says what the index covers. When it does
not match the articles (an index from an older mediawatch, articles changed by hand), the
end of an ingest rebuilds the index in a side database while readers go on, and locks the
warehouse only to swap the new tables in.

Computing the fingerprint reads every article. A load therefore compares it in full once
per process and warehouse (and whenever the number of articles is not the one it expects),
then carries it forward by XOR (sql/search/fingerprint_delta.sql): at 100,000 articles the
two full reads per batch cost 0.1-0.2 s, and grew with the warehouse. The end of every
ingest still compares it in full (refresh_search_index).

A search scores only the articles its filters let through, and reads only the postings of
its terms: they are kept sorted by term (sort_postings; sql/search/update_index.sql says
how), so at a million articles it reads a few row groups of 139 million postings.
"""

from __future__ import annotations

import re
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from pathlib import Path

import duckdb

from .db import (WRITER_CONFIG, connect_config, load_fts, open_warehouse, registered,
                 signals_kept, sql, transaction)

INDEX_SCHEMA = "fts_main_articles"
# Database file -> the stored (fingerprint, articles) this process last found equal to the
# articles' (or carried forward itself): while both are unchanged and the articles still
# number as many, a load need not re-read them.
_VOUCHED: dict[str, tuple[int, int]] = {}
# Words of the query, for the snippet: letters, digits and inner hyphens (S-400, Su-57).
WORD = re.compile(r"\w+(?:-\w+)*")
CYRILLIC = re.compile(r"[\u0400-\u04ff]")
SNIPPET_CHARS = 200
# Postings a load appends land after the sorted ones, and every row group of them holds
# every termid: a search reads them all. Past this share of the table, the end of an ingest
# sorts them in (sort_postings). At 5% of a million articles' 139 million postings a search
# reads ~7 million more rows (~50 ms of CPU); the sort runs every ~50,000 new articles.
UNSORTED_SHARE = 0.05


@dataclass(frozen=True)
class IndexState:
    """What the search index was built from, and whether it was rebuilt just now."""

    rebuilt: bool
    articles: int
    build_s: float
    built_at: datetime | None
    locked_s: float = 0.0  # how long the warehouse was write-locked for it (or to sort)


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
    story_id: str | None = None  # hits of one story are shown together


def index_exists(con: duckdb.DuckDBPyConnection) -> bool:
    """Return True when the FTS index schema exists in this database."""
    return bool(con.execute(
        "select count(*) from duckdb_schemas() where schema_name = ?", [INDEX_SCHEMA]
    ).fetchone()[0])


@contextmanager
def one_thread(con: duckdb.DuckDBPyConnection) -> Iterator[None]:
    """Run DuckDB on one thread inside the block.

    Indexing (tokenise, stem, count) gains nothing from a second thread but burns twice the
    CPU (20,000 articles: 10.4 s wall and 18.8 s CPU on two threads, 10.1 s and 9.6 s on
    one), CPU the extraction processes need: batches are indexed while they work.
    """
    threads = con.execute("select current_setting('threads')").fetchone()[0]
    con.execute("set threads = 1")
    try:
        yield
    finally:
        con.execute(f"set threads = {int(threads)}")


def create_index_macros(con: duckdb.DuckDBPyConnection) -> None:
    """(Re-)create the index's tokenizer, stemmer and BM25 macros (sql/search/macros.sql)."""
    con.execute(sql("search/macros"))


def create_fts_index(con: duckdb.DuckDBPyConnection) -> None:
    """Build the FTS index of the `articles` table of `con` (replacing any).

    The tables have the layout of DuckDB's FTS extension, but mediawatch fills them itself
    with the statements that keep it up to date (update_index.sql), over every article:
    the extension's own build takes one stemmer for all, and each word here is stemmed in
    its own language (English and Russian; sql/search/macros.sql).
    """
    with one_thread(con):
        con.execute(sql("search/create_index"))
        con.execute(sql("search/stopwords"))
        create_index_macros(con)
        con.execute("create or replace temp view fts_incoming as "
                    "select article_id, day, title, text, false as indexed from articles")
        con.execute(sql("search/update_index"))
        con.execute("drop view fts_incoming")
        # one load over empty tables: every posting went in sorted
        con.execute(f"update {INDEX_SCHEMA}.layout set sorted_postings ="
                    f" (select count(*) from {INDEX_SCHEMA}.terms)")


def unsorted_postings(con: duckdb.DuckDBPyConnection) -> tuple[int, int]:
    """Return (postings appended after the sorted ones, all postings) of the index.

    An index from before the layout table counts as wholly unsorted."""
    total = con.execute(f"select count(*) from {INDEX_SCHEMA}.terms").fetchone()[0]
    has_layout = con.execute(
        "select count(*) from duckdb_tables() where schema_name = ? and table_name = 'layout'"
        " and database_name = current_database()", [INDEX_SCHEMA]).fetchone()[0]
    if not has_layout:
        return total, total
    row = con.execute(f"select sorted_postings from {INDEX_SCHEMA}.layout").fetchone()
    return max(0, total - (row[0] if row else 0)), total


def sort_postings(con: duckdb.DuckDBPyConnection, force: bool = False) -> float | None:
    """Sort the index's postings by (termid, docid) when loads appended more than
    UNSORTED_SHARE of them since the last sort (or when forced); return the seconds it took,
    or None when nothing was done.

    A search reads the row groups of its terms only when the postings are sorted (see
    sql/search/update_index.sql); the ranking does not depend on it.
    """
    unsorted, total = unsorted_postings(con)
    if not unsorted or (not force and unsorted <= UNSORTED_SHARE * total):
        return None
    t0 = time.perf_counter()
    with transaction(con):
        # Table names are our own constants.
        con.execute(f"create or replace table {INDEX_SCHEMA}.terms as"
                    f" select * from {INDEX_SCHEMA}.terms order by termid, docid")
        con.execute(f"create or replace table {INDEX_SCHEMA}.layout as"
                    f" select count(*) as sorted_postings from {INDEX_SCHEMA}.terms")
    return round(time.perf_counter() - t0, 3)


def database_file(con: duckdb.DuckDBPyConnection) -> str:
    """Return the file of the connection's database (':memory:' style names as they are)."""
    row = con.execute("select path from duckdb_databases() where database_name = "
                      "current_database()").fetchone()
    return str(row[0]) if row and row[0] else "memory"


def index_is_current(con: duckdb.DuckDBPyConnection) -> bool:
    """Return True when the index exists and covers the articles as they are now.

    The full comparison runs once per process and warehouse (and again whenever the stored
    fingerprint is not the one this process last vouched for); see the module docstring.
    """
    if not index_exists(con):
        return False
    stored = con.execute(
        "select fingerprint, articles from search_index where name = 'articles'").fetchone()
    if stored is None:
        return False
    key = database_file(con)
    # count(*) comes from the row groups' counts: an article added or deleted by hand shows
    # at once; a title edited by hand waits for the ingest's closing full comparison.
    if (_VOUCHED.get(key) == stored
            and con.execute("select count(*) from articles").fetchone()[0] == stored[1]):
        return True
    current = stored[0] == con.execute(sql("search/fingerprint")).fetchone()[1]
    if current:
        _VOUCHED[key] = stored
    return current


def update_index(con: duckdb.DuckDBPyConnection, now: datetime, was_current: bool,
                 delta: tuple[int, int, int]) -> None:
    """Index the articles a load just inserted or changed (temp table `upserted`).

    Call it inside the load's transaction, with `was_current` = `index_is_current(con)` and
    `delta` = the row of sql/search/fingerprint_delta.sql, both as they were before the
    load: then the index never disagrees with the articles a reader sees. A warehouse
    without an index gets one over all its articles. An index that was already behind is
    left to `refresh_search_index`, which rebuilds it without holding the lock.
    """
    t0 = time.perf_counter()
    if not index_exists(con):
        create_fts_index(con)
        articles, fingerprint = con.execute(sql("search/fingerprint")).fetchone()
    elif was_current:
        with one_thread(con):
            # the batch's rows as the load just stored them (upsert_articles.sql's `upserted`:
            # every one inserted or updated with this day, title and text): reading them back
            # from `articles` scanned every stored text (~1 s at a million articles), and
            # then every stored day (~40 ms)
            # only articles stored before can have an indexed version to forget (the usual
            # batch has none: then the lookup among all indexed documents is skipped, ~30 ms
            # at a million)
            con.execute("create or replace temp table fts_incoming as "
                        "select article_id, day, title, text, stored as indexed from upserted")
            con.execute(sql("search/update_index"))
            con.execute("drop table fts_incoming")
        existing, stored_part, incoming_part = delta
        articles, fingerprint = con.execute(
            "select articles + ? - ?, xor(fingerprint, xor(?::ubigint, ?::ubigint))"
            " from search_index where name = 'articles'",
            [con.execute("select count(*) from incoming").fetchone()[0], existing,
             stored_part, incoming_part]).fetchone()
    else:
        return
    con.execute("insert or replace into search_index values ('articles', ?, ?, ?, ?)",
                [now, articles, fingerprint, round(time.perf_counter() - t0, 3)])
    _VOUCHED[database_file(con)] = (fingerprint, articles)


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
        create_fts_index(con)
        build_s = round(time.perf_counter() - t0, 3)
        con.execute(
            "insert or replace into search_index values ('articles', ?, ?, ?, ?)",
            [now, articles, fingerprint, build_s],
        )
    return IndexState(True, articles, build_s, now)


def _build_side_index(db: Path, side_path: Path, wait_s: float) -> tuple[int, int]:
    """Copy the articles' ids, titles, texts and days into a side database and index them there.

    Returns the (articles, fingerprint) it was built from. The warehouse is open read-only
    meanwhile (other readers go on; a writer would wait).
    """
    with signals_kept():
        side = duckdb.connect(str(side_path), config=connect_config(WRITER_CONFIG))
        try:
            load_fts(side)
            # `day` numbers the documents in day order (sql/search/update_index.sql)
            side.execute("create table articles (article_id varchar primary key, title varchar,"
                         " text varchar, day date)")
            with open_warehouse(db, read_only=True, wait_s=wait_s) as source:
                articles, fingerprint = source.execute(sql("search/fingerprint")).fetchone()
                rows = source.execute("select article_id, title, text, day from articles")
                for batch in rows.to_arrow_reader(50_000):
                    with registered(side, article_batch=batch):
                        side.execute("insert into articles select * from article_batch")
            create_fts_index(side)
        finally:
            side.close()
    return articles, fingerprint


def refresh_search_index(db: Path | str, now: datetime, wait_s: float = 30.0) -> IndexState:
    """Bring the search index of the warehouse at `db` up to date, holding its lock briefly.

    Nothing happens when the index covers the articles (batch loads keep it so). The first
    index of a warehouse is built in place (the FTS macros must be created there once);
    later ones are built in a side database and their tables swapped in, in one transaction.
    """
    db = Path(db)
    t0 = time.perf_counter()
    with open_warehouse(db, wait_s=wait_s) as con:  # a writable open also applies migrations
        current = con.execute(sql("search/fingerprint")).fetchone()[1]
        stored = con.execute(
            "select fingerprint, articles, build_s, built_at from search_index"
            " where name = 'articles'"
        ).fetchone()
        exists = index_exists(con)
        if exists and stored and stored[0] == current:
            # current, but the loads' postings may have piled up unsorted
            sorted_s = sort_postings(con) or 0.0
            return IndexState(False, stored[1], stored[2], stored[3], sorted_s)
        if not exists:
            state = refresh_index(con, now, force=True)
            return IndexState(True, state.articles, state.build_s, now, state.build_s)
    with tempfile.TemporaryDirectory(prefix="mediawatch-fts-") as tmp:
        side_path = Path(tmp) / "side.duckdb"
        articles, fingerprint = _build_side_index(db, side_path, wait_s)
        with open_warehouse(db, wait_s=wait_s) as con:
            t_lock = time.perf_counter()
            if con.execute(sql("search/fingerprint")).fetchone()[1] != fingerprint:
                # Articles changed while we built (another writer): index them in place.
                state = refresh_index(con, now, force=True)
                return IndexState(True, state.articles, state.build_s, now, state.build_s)
            # The path is our own temporary file; ATTACH takes no parameters.
            con.execute(f"attach '{side_path.as_posix()}' as fts_side (read_only)")
            try:
                tables = [r[0] for r in con.execute(
                    "select table_name from duckdb_tables() where database_name = 'fts_side'"
                    " and schema_name = ?", [INDEX_SCHEMA]).fetchall()]
                with transaction(con):
                    for table in tables:
                        # Replace, not delete and insert: deleting 30 million term rows
                        # of 100,000 articles ran out of the writer's 128 MB.
                        # Table names come from the FTS extension's own catalog.
                        con.execute(f"create or replace table {INDEX_SCHEMA}.{table} as"
                                    f" select * from fts_side.{INDEX_SCHEMA}.{table}")
                    # an index from an older mediawatch had other rules: take these
                    create_index_macros(con)
                    build_s = round(time.perf_counter() - t0, 3)
                    con.execute(
                        "insert or replace into search_index values ('articles', ?, ?, ?, ?)",
                        [now, articles, fingerprint, build_s],
                    )
            finally:
                con.execute("detach fts_side")
            locked_s = round(time.perf_counter() - t_lock, 3)
    return IndexState(True, articles, build_s, now, locked_s)


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


@cache
def _morphology():
    import pymorphy3  # ~0.2 s to load: only when a query has a Russian word

    return pymorphy3.MorphAnalyzer()


def russian_word_forms(word: str) -> set[str]:
    """Return every form of the Russian word's most likely lemma (Индии -> индия, индии,
    индию, индией…), from pymorphy3's dictionaries."""
    parses = _morphology().parse(word.lower())
    return {form.word for form in parses[0].lexeme} if parses else {word.lower()}


def expand_query(query: str) -> str:
    """Return `query` with the other case forms of each Russian word added.

    The index stems Russian words with Snowball, which maps most forms of a noun to one stem
    (Индия, Индии, Индию -> инд) but not all (Китай -> кита, Китая -> кит). Searching for
    every form of the word's lemma makes any form of a noun find the same articles.
    """
    extra: list[str] = []
    for word in WORD.findall(query):
        if CYRILLIC.search(word) and "-" not in word and not any(c.isdigit() for c in word):
            extra.extend(sorted(russian_word_forms(word) - {word.lower()}))
    return " ".join([query, *extra]) if extra else query


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
    own_rules = con.execute(
        "select count(*) from duckdb_functions()"
        " where schema_name = ? and function_name = 'stem_term'", [INDEX_SCHEMA]).fetchone()[0]
    ranked = con.execute(
        sql("search/search" if own_rules else "search/search_legacy"),
        {"query": expand_query(query), "theme": theme, "since": since, "source": source, "limit": limit},
    ).fetchall()
    if not ranked:
        return []
    ids = [article_id for _, article_id in ranked]
    shown = {row[0]: row for row in con.execute(sql("search/hits"), {"ids": ids}).fetchall()}
    hits = []
    for score, article_id in ranked:
        _, title, day, source_, url, themes, copies, text, story_id = shown[article_id]
        hits.append(Hit(score, article_id, title, day, source_, url, list(themes), copies,
                        snippet(text, query), story_id))
    return hits
