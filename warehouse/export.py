"""Exports of a table, view or query to Parquet, CSV or JSON Lines files."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path

import duckdb

from .adhoc import NotReadOnly, may_replace

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


def export(relation: duckdb.DuckDBPyRelation, fmt: str, out: Path,
           seal: Callable[[Path], None] | None = None) -> int:
    """Write `relation` to `out` as parquet, csv (header line) or json (one object per line).

    The file appears complete or not at all: written to a new temporary file beside it,
    then renamed over `out` only if `out` is absent or a regular file (see
    warehouse/adhoc.py: pass `out` through export_target first). `seal(temporary file)` is
    called before anything runs, to restrict the connection's file access to that file.
    Returns the number of rows written.
    """
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r}: use one of {', '.join(FORMATS)}")
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    # a fresh file of our own (O_EXCL): never a name someone could have put a link at
    handle, name = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".partial", dir=out.parent)
    os.close(handle)
    partial = Path(name)
    os.chmod(partial, file_mode(out))
    try:
        if seal is not None:
            seal(partial)
        rows = relation.aggregate("count(*)").fetchone()[0]
        if fmt == "parquet":
            relation.write_parquet(str(partial), use_tmp_file=False)
        elif fmt == "csv":
            relation.write_csv(str(partial), header=True, use_tmp_file=False)  # ours is one
        else:
            # DuckDB renders each row as JSON (dates as ISO strings, lists as arrays).
            with open(partial, "w", encoding="utf-8") as handle:
                reader = relation.query("export_rows", "select to_json(export_rows)::varchar "
                                        "from export_rows").fetchmany
                while chunk := reader(10_000):
                    handle.writelines(line + "\n" for (line,) in chunk)
        if not may_replace(out):
            raise NotReadOnly(f"{out} is no longer a regular file; the export was not written")
        os.replace(partial, out)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return rows


def file_mode(out: Path) -> int:
    """Return the permissions an export to `out` gets: those of the file it replaces, else
    what the umask gives a new file (mkstemp's own are owner-only)."""
    try:
        return os.stat(out).st_mode & 0o777
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask
