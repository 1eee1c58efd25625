"""Re-tagging stored articles: read them in batches, replace their tags and actors."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

import duckdb
import pyarrow as pa

from . import trend_counts
from .db import registered, transaction
from .load import ACTOR_SCHEMA, FOCUS_SCHEMA, TAG_SCHEMA, replace_focus, to_arrow

# Keyset pagination (article_id > last) keeps every page query cheap on a large table.
PAGE_SQL = (
    "select article_id, title, text, language, source_country from articles "
    "where article_id > ? order by article_id limit ?"
)


def count_articles(con: duckdb.DuckDBPyConnection) -> int:
    """Return how many articles are stored."""
    return con.execute("select count(*) from articles").fetchone()[0]


def article_pages(con: duckdb.DuckDBPyConnection, size: int,
                  after: str = "") -> Iterator[list[tuple[str, str, str, str | None, str | None]]]:
    """Yield lists of up to `size` (article_id, title, text, language, source_country), in
    article_id order."""
    while True:
        rows = con.execute(PAGE_SQL, [after, size]).fetchall()
        if not rows:
            return
        yield rows
        after = rows[-1][0]


def replace_enrichment(con: duckdb.DuckDBPyConnection, article_ids: Sequence[str],
                       tags: Sequence[object], actors: Sequence[object],
                       focus: Sequence[object] = ()) -> int:
    """Replace the tags, actors and focus marks of `article_ids` in one transaction.

    Returns how many of these articles had tags from another taxonomy version, or tags that
    differ from the new ones (the articles whose themes changed).
    """
    ids = pa.table({"article_id": pa.array(list(article_ids), pa.string())})
    tag_table = to_arrow(tags, TAG_SCHEMA)
    actor_table = to_arrow(actors, ACTOR_SCHEMA)
    focus_table = to_arrow(focus, FOCUS_SCHEMA)
    staged = registered(con, retag_ids=ids, retag_tags=tag_table, retag_actors=actor_table,
                        retag_focus=focus_table)
    with staged, transaction(con):  # a held stop signal comes after the commit
        changed = con.execute(
            "with old as (select article_id, theme, taxonomy_version from article_themes "
            "  semi join retag_ids using (article_id)), "
            "new as (select article_id, theme, taxonomy_version from retag_tags), "
            "diff as ((select * from old except select * from new) "
            "  union (select * from new except select * from old)) "
            "select count(distinct article_id) from diff"
        ).fetchone()[0]
        trend_counts.retract(con, "retag_ids")
        con.execute("delete from article_themes where article_id in "
                    "(select article_id from retag_ids)")
        con.execute("insert into article_themes by name select * from retag_tags")
        trend_counts.add(con, "retag_ids")
        con.execute("delete from article_actors where article_id in "
                    "(select article_id from retag_ids)")
        con.execute("insert into article_actors by name select * from retag_actors")
        if focus:
            replace_focus(con, "retag_ids", "retag_focus")
    return changed
