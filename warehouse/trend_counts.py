"""Daily counts the trend views read (daily_counts, daily_theme_counts), kept exact by writers.

theme_trend over two years of a million articles must answer in under 100 ms; joining every
tag with its article to count them took 430-570 ms at 1M tags (benchmarks/warehouse.py).
So each write that changes articles or tags takes back what the changed articles counted
before it and adds what they count after, in its own transaction: O(batch), not O(history).
`rebuild` recomputes everything (a timezone change, rows written by hand).
"""

from __future__ import annotations

from collections.abc import Iterable

import duckdb
import pyarrow as pa

from .db import registered, sql, transaction

__all__ = ["add", "counts_match", "rebuild", "rebuild_if_drifted", "retract"]


def _change(con: duckdb.DuckDBPyConnection, relation: str, sign: int,
            tags: str = "article_themes", rows: str | None = None) -> None:
    # `relation`, `tags` and `rows` are table names (or a subquery) of our own code
    # (incoming, retag_ids, incoming_tags, loaded), never user input
    rows = rows or f"(select a.* from articles a semi join {relation} c using (article_id))"
    con.execute("create or replace temp view trend_changed_rows as select article_id, day, "
                f"published_at, duplicate_of from {rows}")
    con.execute(f"create or replace temp view trend_changed_tags as "
                f"select article_id, theme from {tags}")
    try:
        for part in ("days", "themes"):
            con.execute(sql(f"trend_counts/change_{part}"), {"sign": sign})
    finally:
        con.execute("drop view trend_changed_rows")
        con.execute("drop view trend_changed_tags")


def retract(con: duckdb.DuckDBPyConnection, relation: str) -> None:
    """Take back what the stored articles named in `relation` (a table with article_id) count;
    call it inside the writer's transaction, before their rows or tags change."""
    _change(con, relation, -1)


def add(con: duckdb.DuckDBPyConnection, relation: str, tags: str = "article_themes",
        rows: str | None = None) -> None:
    """Add what the articles named in `relation` count now; call it after they are written.
    `tags` may name a table holding exactly their stored tags, and `rows` one holding
    exactly their stored rows (cheaper than article_themes and articles at a million).
    Days and themes whose count drops to 0 are removed."""
    _change(con, relation, 1, tags, rows)
    con.execute("delete from daily_theme_counts where articles = 0")
    con.execute("delete from daily_counts where dated = 0 and undated = 0")


def add_ids(con: duckdb.DuckDBPyConnection, article_ids: Iterable[str]) -> None:
    """Add what these articles count (articles written by hand: tests, benchmarks)."""
    with registered(con, trend_ids=pa.table({"article_id": pa.array(list(article_ids), pa.string())})):
        add(con, "trend_ids")


def rebuild(con: duckdb.DuckDBPyConnection) -> None:
    """Recompute both tables from every article; call it inside the writer's transaction."""
    con.execute("delete from daily_counts")
    con.execute("delete from daily_theme_counts")
    _change(con, "articles", 1)


def counts_match(con: duckdb.DuckDBPyConnection) -> bool:
    """Return True when the tables hold exactly what trend_counts/reference.sql computes."""
    stored = ("select day, null as theme, dated, undated from daily_counts union all "
              "select day, theme, articles, 0 from daily_theme_counts")
    reference = sql("trend_counts/reference")
    diff = con.execute(f"select count(*) from (({stored}) except all ({reference})"
                       f" union all (({reference}) except all ({stored})))").fetchone()[0]
    return diff == 0


def counts_drifted(con: duckdb.DuckDBPyConnection) -> bool:
    """Return True when the counts' totals disagree with the articles (rows added or removed
    by hand, by an older mediawatch). Costs two counts, not a join."""
    stored, actual = con.execute(
        "select (select coalesce(sum(dated + undated), 0) from daily_counts),"
        " (select count(*) from articles where duplicate_of is null)").fetchone()
    return stored != actual


def rebuild_if_drifted(con: duckdb.DuckDBPyConnection) -> bool:
    """Rebuild the counts when they have drifted (`counts_drifted`); return True when it did."""
    if not counts_drifted(con):
        return False
    with transaction(con):
        rebuild(con)
    return True
