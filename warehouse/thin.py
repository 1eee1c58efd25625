"""Thin pages: articles whose text is their site's boilerplate (paywall, cookie wall, navigation).

extractors/dedupe.py decides which (source, simhash) texts are boilerplate; this module reads
the stored pages that share a batch's texts and flags them. A thin page is never a copy nor
an original of copies; it still counts, by its headline, in stories and themes.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

import duckdb
import pyarrow as pa

from .db import registered

KEY_SCHEMA = pa.schema([("source", pa.string()), ("simhash", pa.int64())])


def _keys_table(keys: Iterable[tuple[str, int]]) -> pa.Table:
    keys = sorted(set(keys))
    return pa.table({"source": [k[0] for k in keys], "simhash": [k[1] for k in keys]},
                    schema=KEY_SCHEMA)


def stored_titles(con: duckdb.DuckDBPyConnection,
                  keys: Iterable[tuple[str, int]]) -> dict[tuple[str, int], set[str]]:
    """Return {(source, simhash): titles} of the stored articles with those texts."""
    with registered(con, thin_keys=_keys_table(keys)):
        rows = con.execute(
            "select a.source, a.simhash, a.title from articles a "
            "semi join thin_keys k using (source, simhash)").fetchall()
    found: dict[tuple[str, int], set[str]] = defaultdict(set)
    for source, simhash, title in rows:
        found[(source, simhash)].add(title)
    return dict(found)


def mark_thin(con: duckdb.DuckDBPyConnection, keys: Iterable[tuple[str, int]]) -> int:
    """Flag every stored article with a boilerplate text as thin and undo copy links that
    ran through it; returns the articles flagged. Call inside the load's transaction."""
    table = _keys_table(keys)
    if not len(table):
        return 0
    with registered(con, thin_keys=table):
        flagged = con.execute(
            "update articles set thin = true, duplicate_of = null "
            "where article_id in (select article_id from articles "
            "semi join thin_keys using (source, simhash))").fetchone()[0]
        con.execute(
            "update articles set duplicate_of = null where duplicate_of in ("
            "select article_id from articles semi join thin_keys using (source, simhash))")
    return flagged
