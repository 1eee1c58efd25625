"""`mediawatch stories`: one day's stories by outlets, with growth, optionally filtered."""

from __future__ import annotations

from datetime import date

import duckdb
import pyarrow as pa

from .db import registered, sql


def has_table(con: duckdb.DuckDBPyConnection, table: str) -> bool:
    """Return True when the warehouse has a table or view called `table`."""
    return con.execute("select count(*) > 0 from information_schema.tables "
                       "where table_name = ?", [table]).fetchone()[0]


def list_stories(con: duckdb.DuckDBPyConnection, day: date, theme: str | None = None,
                 focus: bool = False, limit: int = 20) -> list[dict]:
    """Return the stories with an article on `day`, most outlets first (see
    sql/stories/list.sql); LookupError when `focus` is asked of a warehouse without the flag."""
    focus_ids: list[str] = []
    if focus:
        if not has_table(con, "article_focus"):
            raise LookupError("--focus needs the focus marks (article_focus), which this "
                              "warehouse does not have yet: run `mediawatch ingest` or "
                              "`mediawatch retag` with this version")
        focus_ids = [r[0] for r in con.execute(
            "select distinct a.story_id from articles a join article_focus f using (article_id)"
            " where a.day = ? and f.is_focus", [day]).fetchall()]
    with registered(con, story_focus=pa.table({"story_id": pa.array(focus_ids, pa.string())})):
        cursor = con.execute(sql("stories/list"), {"day": day, "theme": theme,
                                                    "focus_only": focus, "limit": limit})
        columns = [d[0] for d in cursor.description]
        return [dict(zip(columns, r)) for r in cursor.fetchall()]
