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

from .locking import WarehouseBusy, busy, pause, write_intent, writer_waiting

__all__ = ["WarehouseBusy", "connect", "migrate", "open_warehouse", "registered", "signals_kept",
           "sql", "transaction"]

LOGGER = logging.getLogger(__name__)
SQL_DIR = Path(__file__).with_name("sql")
MIGRATIONS_DIR = SQL_DIR / "migrations"
VIEWS_DIR = SQL_DIR / "views"
MIGRATION_NAME = re.compile(r"^(\d{3})_[\w-]+\.sql$")
# DuckDB allows one writing process; another process's lock shows up as this IOException.
LOCK_ERROR = re.compile(r"Could not set lock|Conflicting lock", re.IGNORECASE)
# Extensions come from wheels (see load_fts); never try to download one on a query.
CONFIG = {"autoinstall_known_extensions": False}
# A writer (an ingest, a retag, an index build) shares the machine with the extraction
# processes: its DuckDB buffers are capped, and DuckDB spills past the cap to a temporary
# folder beside the database. Building the search index of 20,000 articles peaked at
# 809 MB uncapped and at 317 MB with 128 MB and one thread, in the same time (100,000
# articles: 835 MB, 57 s; the FTS tokeniser allocates outside the cap).
# Ad hoc reads keep DuckDB's default (80% of RAM): an analyst's query may need it.
WRITER_CONFIG = {**CONFIG, "memory_limit": "128MB"}


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
    numbers = [version for version, _, _ in found]
    if len(set(numbers)) != len(numbers):
        # Two branches picked the same number: renumber one before it ships.
        clashes = sorted(name for version, name, _ in found if numbers.count(version) > 1)
        raise ValueError(f"migrations share a number: {', '.join(clashes)}")
    return found


class SchemaTooNew(ValueError):
    """The database was migrated by a newer mediawatch than this one."""


def fts_extension_path() -> Path:
    """Return the FTS extension file shipped in the `duckdb-extension-fts` wheel.

    `LOAD '<file>'` works offline; `INSTALL fts` would need the network.
    """
    import duckdb_extension_fts

    version = duckdb.__version__
    path = (Path(duckdb_extension_fts.__file__).parent / "extensions" / f"v{version}"
            / "fts.duckdb_extension")
    if not path.exists():
        raise FileNotFoundError(f"no FTS extension for DuckDB {version} at {path}: "
                                f"install duckdb-extension-fts=={version}")
    return path


# DuckDB checks an extension file's signature at every LOAD: ~65 ms of CPU for the 11 MB
# FTS file, on each connection (each batch load, each reader: ~8 a command). It is checked
# once a process: after the first LOAD that checked it, this process's connections skip the
# check (allow_unsigned_extensions). They load only that file (our own installed wheel's),
# and ad hoc SQL refuses LOAD statements (warehouse/adhoc.py); whoever could swap the file
# in between could as well change this code.
_FTS_CHECKED = False


def connect_config(base: dict[str, object]) -> dict[str, object]:
    """Return the DuckDB config of a new connection: `base` (CONFIG, WRITER_CONFIG), and no
    second signature check of the FTS extension once this process has checked it."""
    return {**base, "allow_unsigned_extensions": True} if _FTS_CHECKED else base


def load_fts(con: duckdb.DuckDBPyConnection) -> None:
    """Load the full-text search extension into `con` from the wheel's file (no network)."""
    global _FTS_CHECKED
    # The path is our own installed file, never user input; LOAD takes no parameters.
    con.execute(f"load '{fts_extension_path().as_posix()}'")
    _FTS_CHECKED = True  # this LOAD checked the file, or an earlier one did


def schema_version(con: duckdb.DuckDBPyConnection) -> int:
    """Return the highest migration applied to this database (0 for a new one)."""
    con.execute(
        "create table if not exists schema_version ("
        " version integer primary key, name varchar not null, applied_at timestamp not null)"
    )
    return con.execute("select coalesce(max(version), 0) from schema_version").fetchone()[0]


def apply_migration(con: duckdb.DuckDBPyConnection, version: int, name: str, text: str) -> None:
    """Apply one migration and record it in `schema_version`, in one transaction."""
    LOGGER.info("applying migration %s", name)
    with transaction(con):
        con.execute(text)
        con.execute(
            "insert into schema_version values (?, ?, current_timestamp::timestamp)",
            [version, name],
        )


def migrate(con: duckdb.DuckDBPyConnection) -> int:
    """Apply pending migrations, each in its own transaction, then (re)create the views.

    A migration that fails leaves no trace (its transaction rolls back) and stops the
    upgrade there. Returns the schema version now in force.
    """
    current = schema_version(con)
    known = migrations()
    newest = known[-1][0] if known else 0
    if current > newest:
        raise SchemaTooNew(
            f"this database is at schema version {current}, but this mediawatch knows only up "
            f"to {newest}: upgrade mediawatch before writing to it"
        )
    applied = dict(con.execute("select version, name from schema_version").fetchall())
    for version, name, text in known:
        if version in applied:
            if applied[version] != name:
                LOGGER.warning("migration %s was applied under the name %s", name, applied[version])
            continue
        apply_migration(con, version, name, text)
        current = max(current, version)
    create_views(con)
    return current


def create_views(con: duckdb.DuckDBPyConnection) -> None:
    """Create or replace every public view from `warehouse/sql/views/*.sql`, in one transaction.

    Files run in name order, so a view may use the views whose file names sort before it.
    """
    with transaction(con):
        for path in sorted(VIEWS_DIR.glob("*.sql")):
            con.execute(path.read_text(encoding="utf-8"))


def _connect_retrying(
    path: Path, read_only: bool, deadline: float, wait_s: float
) -> duckdb.DuckDBPyConnection:
    """Return duckdb.connect(path), retrying while another process holds the file."""
    delay = 0.02
    while True:
        if not (read_only and writer_waiting(path)):
            try:
                return duckdb.connect(str(path), read_only=read_only,
                                      config=connect_config(CONFIG if read_only
                                                            else WRITER_CONFIG))
            except duckdb.IOException as exc:
                if not LOCK_ERROR.search(str(exc)):
                    raise
        if time.monotonic() >= deadline:
            raise busy(path, wait_s)
        delay = pause(delay)


def connect(
    path: Path | str, *, read_only: bool = False, wait_s: float = 30.0, bare: bool = False
) -> duckdb.DuckDBPyConnection:
    """Return a connection to the warehouse at `path`, migrated when opened for writing.

    When another process holds the write lock, retry for up to `wait_s` seconds, then
    raise WarehouseBusy with a message saying what to do. `bare` skips the search extension
    and the migrations (0.1 s instead of 0.45 s on the loaded test machine): for short
    bookkeeping writes to a warehouse this process has already opened and migrated.
    """
    path = Path(path)
    if read_only and not path.exists():
        raise FileNotFoundError(
            f"no warehouse at {path}: run `mediawatch ingest` first, or pass --db"
        )
    if not read_only:
        path.parent.mkdir(parents=True, exist_ok=True)
    deadline = time.monotonic() + wait_s
    if read_only:
        con = _connect_retrying(path, True, deadline, wait_s)
    else:
        # Announce the writer first, so a stream of readers cannot keep the file from it.
        with write_intent(path, deadline, wait_s):
            con = _connect_retrying(path, False, deadline, wait_s)
    try:
        if not bare:
            load_fts(con)
        if not (read_only or bare):
            migrate(con)
    except BaseException:
        con.close()
        raise
    return con


@contextmanager
def open_warehouse(
    path: Path | str, *, read_only: bool = False, wait_s: float = 30.0, bare: bool = False
) -> Iterator[duckdb.DuckDBPyConnection]:
    """Connect for the length of a `with` block, so the write lock is held only that long."""
    with signals_kept():
        con = connect(path, read_only=read_only, wait_s=wait_s, bare=bare)
        try:
            yield con
        except BaseException:
            # A statement a signal stopped can go on in DuckDB's threads, and close() waits
            # for it: a minutes-long statement kept a stopped process for minutes.
            con.interrupt()
            raise
        finally:
            con.close()


@contextmanager
def signals_kept() -> Iterator[None]:
    """Let a stop signal that DuckDB caught leave the block as itself.

    DuckDB stops a statement on Ctrl-C (or SIGTERM, whose handler raises too) and raises
    RuntimeError("Query interrupted") with the signal's exception as its cause. As a
    RuntimeError it is a failure to any `except Exception`, and a retrying task retried it:
    an ingest went on loading 90 s after SIGINT (tests/flows/test_signals.py, under load).
    """
    try:
        yield
    except RuntimeError as exc:
        cause = exc.__cause__
        if isinstance(cause, BaseException) and not isinstance(cause, Exception):
            raise cause from None
        raise


@contextmanager
def registered(con: duckdb.DuckDBPyConnection, **tables: object) -> Iterator[None]:
    """Make each Arrow table queryable under its keyword's name for the block only (a later
    batch's table of the same name must not find this one)."""
    for name, table in tables.items():
        con.register(name, table)
    try:
        yield
    finally:
        for name in tables:
            con.unregister(name)


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
