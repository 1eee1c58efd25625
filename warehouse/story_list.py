"""`mediawatch stories`: one day's stories by outlets, with growth, optionally filtered."""

from __future__ import annotations

from datetime import date

import duckdb
import pyarrow as pa

from .db import sql

# The per-article focus flag the relationship-focus work adds (articles.<FOCUS_COLUMN>).
FOCUS_COLUMN = "focus"


def has_column(con: duckdb.DuckDBPyConnection, table: str, column: str) -> bool:
    """Return True when `table` has a column called `column`."""
    return con.execute("select count(*) > 0 from information_schema.columns "
                       "where table_name = ? and column_name = ?", [table, column]).fetchone()[0]


def list_stories(con: duckdb.DuckDBPyConnection, day: date, theme: str | None = None,
                 focus: bool = False, limit: int = 20) -> list[dict]:
    """Return the stories with an article on `day`, most outlets first (see
    sql/stories/list.sql); LookupError when `focus` is asked of a warehouse without the flag."""
    focus_ids: list[str] = []
    if focus:
        if not has_column(con, "articles", FOCUS_COLUMN):
            raise LookupError(f"--focus needs the per-article focus flag (articles."
                              f"{FOCUS_COLUMN}), which this warehouse does not have yet: "
                              "upgrade mediawatch and run `mediawatch retag`")
        focus_ids = [r[0] for r in con.execute(
            f"select distinct story_id from articles where day = ? and {FOCUS_COLUMN}",  # noqa: S608 - a constant
            [day]).fetchall()]
    con.register("story_focus", pa.table({"story_id": pa.array(focus_ids, pa.string())}))
    try:
        cursor = con.execute(sql("stories/list"), {"day": day, "theme": theme,
                                                    "focus_only": focus, "limit": limit})
        columns = [d[0] for d in cursor.description]
        return [dict(zip(columns, r)) for r in cursor.fetchall()]
    finally:
        con.unregister("story_focus")
