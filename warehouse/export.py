"""Exports of a table, view or query to Parquet, CSV or JSON Lines files."""

from __future__ import annotations

import os
from pathlib import Path

import duckdb

FORMATS = ("parquet", "csv", "json")


def relation_names(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Return the names of the tables and views a user may export (main schema)."""
    return [r[0] for r in con.execute(
        "select table_name from information_schema.tables where table_schema = 'main' order by 1"
    ).fetchall()]


def table_relation(con: duckdb.DuckDBPyConnection, table: str) -> duckdb.DuckDBPyRelation:
    """Return the relation of table or view `table`; an unknown name raises ValueError."""
    names = relation_names(con)
    if table not in names:
        raise ValueError(f"no table or view named {table!r}; there are: {', '.join(names)}")
    # The name was checked against the catalog above: it is a name, not SQL.
    return con.table(table)


def export(relation: duckdb.DuckDBPyRelation, fmt: str, out: Path) -> int:
    """Write `relation` to `out` as parquet, csv (header line) or json (one object per line).

    The file appears complete or not at all (written beside it, then renamed).
    Returns the number of rows written.
    """
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r}: use one of {', '.join(FORMATS)}")
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    partial = out.with_name(f".{out.name}.partial")
    rows = relation.aggregate("count(*)").fetchone()[0]
    try:
        if fmt == "parquet":
            relation.write_parquet(str(partial))
        elif fmt == "csv":
            relation.write_csv(str(partial), header=True)
        else:
            # DuckDB renders each row as JSON (dates as ISO strings, lists as arrays).
            with open(partial, "w", encoding="utf-8") as handle:
                reader = relation.query("export_rows", "select to_json(export_rows)::varchar "
                                        "from export_rows").fetchmany
                while chunk := reader(10_000):
                    handle.writelines(line + "\n" for (line,) in chunk)
        os.replace(partial, out)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return rows
