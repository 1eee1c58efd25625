"""Ad hoc SQL that cannot write: the guards of `sql` and `export` (docs/reliability.md, case 3).

A read-only connection keeps the warehouse's tables safe, but not its file: `COPY … TO
'<the warehouse>'` writes through the file system, not the database, and truncated a
warehouse to 8 bytes. So ad hoc SQL runs under two locks:

- only queries: every statement must be a SELECT (SHOW, DESCRIBE, SUMMARIZE, FROM … and
  PRAGMA show_tables parse as one) or a plain EXPLAIN; COPY, EXPORT, ATTACH, INSTALL/LOAD,
  SET, CALL and EXPLAIN ANALYZE (which runs its statement) are refused before anything runs;
- no file or network access (DuckDB's `enable_external_access = false`, which cannot be
  turned back on by the query): a query reads the warehouse only, unless the user asks for
  local files (`sql --read-files`); an export may write only its own temporary file.

`export_target` decides where an export may go: never onto a database this process holds
(or its WAL), never onto something that is not a regular file (a device, a FIFO, a folder).
"""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Iterable
from pathlib import Path

import duckdb

QUERY_STATEMENTS = {duckdb.StatementType.SELECT, duckdb.StatementType.EXPLAIN}
EXPLAIN_ANALYZE = re.compile(r"^\s*explain\s+analy[sz]e\b", re.IGNORECASE)


class NotReadOnly(ValueError):
    """A statement or an export target that would write where ad hoc SQL must not."""


def check_query(con: duckdb.DuckDBPyConnection, query: str) -> None:
    """Raise NotReadOnly unless every statement of `query` only reads (nothing runs here)."""
    for statement in con.extract_statements(query):
        kind = statement.type
        if kind not in QUERY_STATEMENTS or (
                kind == duckdb.StatementType.EXPLAIN and EXPLAIN_ANALYZE.match(statement.query)):
            name = "EXPLAIN ANALYZE" if kind == duckdb.StatementType.EXPLAIN else kind.name
            raise NotReadOnly(
                f"ad hoc SQL is read-only: a {name} statement is refused. Query with SELECT; "
                "to write a file, use `mediawatch export --query \"select …\" --out FILE`")


def seal(con: duckdb.DuckDBPyConnection, writable: Iterable[Path] = ()) -> None:
    """Turn off file and network access for the rest of this database instance's life,
    except for the `writable` paths (an export's temporary file)."""
    paths = [str(Path(p)).replace("'", "''") for p in writable]
    if paths:
        con.execute("set allowed_paths = [" + ", ".join(f"'{p}'" for p in paths) + "]")
    con.execute("set enable_external_access = false")


def held_databases(con: duckdb.DuckDBPyConnection) -> set[Path]:
    """Return the resolved files of the databases `con`'s instance holds open."""
    rows = con.execute("select path from duckdb_databases() where path is not null").fetchall()
    return {Path(path).resolve() for (path,) in rows if path}


def export_target(out: Path, held: Iterable[Path]) -> Path:
    """Return the file an export to `out` writes (symbolic links followed); NotReadOnly
    with what to do when it is a database file held open, its WAL, or not a regular file."""
    target = Path(os.path.abspath(out)).resolve()
    for db in held:
        db = Path(db).resolve()
        if target in (db, db.with_name(db.name + ".wal")):
            raise NotReadOnly(f"--out {out} is the DuckDB database {db} (or its WAL); an "
                              "export never writes there: choose another file name")
    try:
        mode = target.stat().st_mode
    except FileNotFoundError:
        return target
    if stat.S_ISDIR(mode):
        raise NotReadOnly(f"--out {out} is a folder: give a file name in it, "
                          f"e.g. --out {Path(out) / 'export.parquet'}")
    if not stat.S_ISREG(mode):
        raise NotReadOnly(f"--out {out} is not a regular file (a device, pipe or socket); "
                          "an export only creates or replaces regular files")
    return target


def may_replace(target: Path) -> bool:
    """Return True when `target` is absent or a regular file (checked again just before the
    rename: the path may have changed while the export ran)."""
    try:
        return stat.S_ISREG(os.lstat(target).st_mode)
    except FileNotFoundError:
        return True
