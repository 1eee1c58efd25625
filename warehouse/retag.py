"""Re-tagging stored articles: read them in batches, replace their tags and actors."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

import duckdb

from . import trend_counts
from .db import sql, transaction
from .load import enriched, replace_enriched


def count_articles(con: duckdb.DuckDBPyConnection) -> int:
    """Return how many articles are stored."""
    return con.execute("select count(*) from articles").fetchone()[0]


def article_pages(con: duckdb.DuckDBPyConnection, size: int,
                  after: str = "") -> Iterator[list[tuple[str, str, str, str | None, str | None]]]:
    """Yield lists of up to `size` (article_id, title, text, language, source_country), in
    article_id order."""
    while True:
        rows = con.execute(sql("retag/page"), {"after": after, "size": size}).fetchall()
        if not rows:
            return
        yield rows
        after = rows[-1][0]


def replace_enrichment(con: duckdb.DuckDBPyConnection, article_ids: Sequence[str],
                       tags: Sequence[object], actors: Sequence[object],
                       focus: Sequence[object] = ()) -> int:
    """Replace the tags, actors and focus marks of `article_ids` in one transaction, by the
    load's own rule (warehouse/load.py replace_enriched).

    Returns how many of these articles had tags from another taxonomy version, or tags that
    differ from the new ones (the articles whose themes changed).
    """
    # a held stop signal comes after the commit (db.registered)
    with enriched(con, article_ids, tags, actors, focus), transaction(con):
        changed = con.execute(sql("retag/changed")).fetchone()[0]
        trend_counts.retract(con, "enriched_ids")
        replace_enriched(con)
    return changed
