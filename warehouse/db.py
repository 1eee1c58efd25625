"""The one DuckDB access layer: connecting (with lock retries), migrations, and views."""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path

import duckdb

LOGGER = logging.getLogger(__name__)
SQL_DIR = Path(__file__).with_name("sql")
MIGRATIONS_DIR = SQL_DIR / "migrations"
VIEWS_DIR = SQL_DIR / "views"
MIGRATION_NAME = re.compile(r"^(\d{3})_[\w-]+\.sql$")
# DuckDB allows one writing process; another process's lock shows up as this IOException.
LOCK_ERROR = re.compile(r"Could not set lock|Conflicting lock", re.IGNORECASE)


class WarehouseBusy(RuntimeError):
    """The database file stayed locked by another process for longer than we would wait."""


@cache
def sql(name: str) -> str:
    """Return the text of `warehouse/sql/<name>.sql`."""
    return (SQL_DIR / f"{name}.sql").read_text(encoding="utf-8")


def migrations() -> list[tuple[int, str, str]]:
    """Return (version, file name, SQL) of every migration, in order."""
    found = []
    for path in sorted(MIGRATIONS_DIR.glob("*.sql")):
        match = MIGRATION_NAME.match(path.name)
        if not match:
            raise ValueError(f"migration file {path.name} is not named NNN_description.sql")
        found.append((int(match.group(1)), path.name, path.read_text(encoding="utf-8")))
    return found


def schema_version(con: duckdb.DuckDBPyConnection) -> int:
    """Return the highest migration applied to this database (0 for a new one)."""
    con.execute(
        "create table if not exists schema_version ("
        " version integer primary key, name varchar not null, applied_at timestamp not null)"
    )
    return con.execute("select coalesce(max(version), 0) from schema_version").fetchone()[0]


def migrate(con: duckdb.DuckDBPyConnection) -> int:
    """Apply pending migrations, each in its own transaction, then (re)create the views.

    Returns the schema version now in force.
    """
    current = schema_version(con)
    for version, name, text in migrations():
        if version <= current:
            continue
        LOGGER.info("applying migration %s", name)
        con.execute("begin transaction")
        try:
            con.execute(text)
            con.execute(
                "insert into schema_version values (?, ?, current_timestamp::timestamp)",
                [version, name],
            )
            con.execute("commit")
        except Exception:
            con.execute("rollback")
            raise
        current = version
    create_views(con)
    return current


def create_views(con: duckdb.DuckDBPyConnection) -> None:
    """Create or replace every public view from `warehouse/sql/views/*.sql` (name order)."""
    for path in sorted(VIEWS_DIR.glob("*.sql")):
        con.execute(path.read_text(encoding="utf-8"))


def connect(
    path: Path | str, *, read_only: bool = False, wait_s: float = 30.0
) -> duckdb.DuckDBPyConnection:
    """Return a connection to the warehouse at `path`, migrated when opened for writing.

    When another process holds the write lock, retry for up to `wait_s` seconds, then
    raise WarehouseBusy with a message saying what to do.
    """
    path = Path(path)
    if read_only and not path.exists():
        raise FileNotFoundError(
            f"no warehouse at {path}: run `mediawatch ingest` first, or pass --db"
        )
    if not read_only:
        path.parent.mkdir(parents=True, exist_ok=True)
    deadline = time.monotonic() + wait_s
    delay = 0.05
    while True:
        try:
            con = duckdb.connect(str(path), read_only=read_only)
            break
        except duckdb.IOException as exc:
            if not LOCK_ERROR.search(str(exc)) or time.monotonic() >= deadline:
                if LOCK_ERROR.search(str(exc)):
                    raise WarehouseBusy(
                        f"{path} is locked by another process (a DuckDB client, a `mediawatch "
                        f"sql` shell, a digest or an ingest?); waited {wait_s:.0f} s. Close it "
                        "or try again when it finishes."
                    ) from exc
                raise
            time.sleep(delay)
            delay = min(delay * 2, 0.5)
    if not read_only:
        migrate(con)
    return con


@contextmanager
def open_warehouse(
    path: Path | str, *, read_only: bool = False, wait_s: float = 30.0
) -> Iterator[duckdb.DuckDBPyConnection]:
    """Connect for the length of a `with` block, so the write lock is held only that long."""
    con = connect(path, read_only=read_only, wait_s=wait_s)
    try:
        yield con
    finally:
        con.close()


@contextmanager
def transaction(con: duckdb.DuckDBPyConnection) -> Iterator[duckdb.DuckDBPyConnection]:
    """Run the block in one transaction: all of it is visible afterwards, or none of it."""
    con.execute("begin transaction")
    try:
        yield con
    except BaseException:
        con.execute("rollback")
        raise
    con.execute("commit")
