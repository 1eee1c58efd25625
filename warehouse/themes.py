"""Reading stored theme tags back, e.g. to score them against gold labels."""

from __future__ import annotations

from collections.abc import Sequence

import duckdb
import pyarrow as pa

from .db import registered


def theme_sets(con: duckdb.DuckDBPyConnection,
               article_ids: Sequence[str]) -> tuple[dict[str, set[str]], set[str]]:
    """Return (article_id -> its stored themes, the ids of those articles that are stored)."""
    ids = pa.table({"article_id": pa.array(list(article_ids), pa.string())})
    with registered(con, wanted_ids=ids):
        stored = {r[0] for r in con.execute(
            "select article_id from articles semi join wanted_ids using (article_id)").fetchall()}
        themes: dict[str, set[str]] = {}
        for article_id, theme in con.execute(
            "select article_id, theme from article_themes semi join wanted_ids using (article_id)"
        ).fetchall():
            themes.setdefault(article_id, set()).add(theme)
    return themes, stored
