"""Mirror the warehouse into a DuckLake: a catalog database plus Parquet data files.

A DuckDB file has one writer. DuckLake keeps the same tables as Parquet files listed in a
catalog database (a local DuckDB file here; PostgreSQL when many machines write), so many
processes can read and write with the same SQL. `mirror` copies the warehouse tables
into a lake incrementally, in one transaction (one lake snapshot per mirror), and
re-creates the public views there.

Table and column names cannot be bound as SQL parameters, so they are quoted with
`ident()`; paths in ATTACH/LOAD cannot either, so they are quoted with `literal()`.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from .db import VIEWS_DIR

LOGGER = logging.getLogger(__name__)
LAKE = "lake"
# Warehouse bookkeeping, not data: the lake has no migrations of its own.
SKIPPED_TABLES = frozenset({"schema_version"})


@dataclass
class MirrorCounts:
    """What one mirror changed, per table, and the lake snapshot it produced."""

    inserted: dict[str, int] = field(default_factory=dict)
    deleted: dict[str, int] = field(default_factory=dict)
    views: list[str] = field(default_factory=list)
    view_errors: dict[str, str] = field(default_factory=dict)
    snapshot: int | None = None


def ident(name: str) -> str:
    """Return `name` quoted as an SQL identifier."""
    return '"' + name.replace('"', '""') + '"'


def literal(text: str) -> str:
    """Return `text` quoted as an SQL string literal."""
    return "'" + text.replace("'", "''") + "'"


def extension_file() -> Path | None:
    """Return the DuckLake extension shipped in the duckdb-extension-ducklake wheel, if any."""
    try:
        import duckdb_extension_ducklake
    except ImportError:
        return None
    root = Path(duckdb_extension_ducklake.__file__).parent / "extensions" / f"v{duckdb.__version__}"
    found = root / "ducklake.duckdb_extension"
    return found if found.exists() else None


def load_ducklake(con: duckdb.DuckDBPyConnection) -> None:
    """Load the DuckLake extension from its wheel (offline); else DuckDB's own install."""
    path = extension_file()
    con.execute(f"load {literal(str(path))}" if path else "load ducklake")


def attach_lake(con: duckdb.DuckDBPyConnection, catalog: str, data_path: str) -> None:
    """Attach the lake as `lake`: `catalog` is a DuckDB file path, or `postgres:<dsn>`."""
    load_ducklake(con)
    if not catalog.startswith(("postgres:", "sqlite:", "mysql:")):
        Path(catalog).parent.mkdir(parents=True, exist_ok=True)
    con.execute(f"attach if not exists {literal('ducklake:' + catalog)} as {LAKE} "
                f"(data_path {literal(data_path)}, read_write)")


def open_lake(catalog: str, data_path: str) -> duckdb.DuckDBPyConnection:
    """Return an in-memory DuckDB connection with the lake attached and in use."""
    con = duckdb.connect()
    attach_lake(con, catalog, data_path)
    con.execute(f"use {LAKE}")
    return con


def columns(con: duckdb.DuckDBPyConnection, database: str, table: str) -> dict[str, str]:
    """Return {column: type} of `database`.main.`table`, in table order."""
    return dict(con.execute(
        "select column_name, data_type from duckdb_columns()"
        " where database_name = ? and schema_name = 'main' and table_name = ?"
        " order by column_index", [database, table]).fetchall())


# Keys the warehouse keeps unique without an index (migration 014: the index on `articles`
# cost a rewrite of its last row group at every batch load's checkpoint; 019: those of the
# tags, actors and focus marks, rewritten whole at that checkpoint; 020: that of `stories`).
UNINDEXED_KEYS = {"articles": ["article_id"], "article_themes": ["article_id", "theme"],
                  "article_actors": ["article_id", "actor"], "article_focus": ["article_id"],
                  "stories": ["story_id"]}


def primary_key(con: duckdb.DuckDBPyConnection, database: str, table: str) -> list[str]:
    """Return the primary-key columns of a warehouse table ([] when it has none)."""
    found = con.execute(
        "select constraint_column_names from duckdb_constraints()"
        " where database_name = ? and schema_name = 'main' and table_name = ?"
        " and constraint_type = 'PRIMARY KEY'", [database, table]).fetchone()
    return list(found[0]) if found else UNINDEXED_KEYS.get(table, [])


def ensure_lake_table(con: duckdb.DuckDBPyConnection, source: str, table: str) -> None:
    """Create the lake table like the warehouse one, or add the columns it has gained."""
    wanted = columns(con, source, table)
    have = columns(con, LAKE, table)
    if not have:
        con.execute(f"create table {LAKE}.{ident(table)} as"
                    f" select * from {ident(source)}.{ident(table)} limit 0")
        return
    for name, kind in wanted.items():
        if name not in have:
            con.execute(f"alter table {LAKE}.{ident(table)} add column {ident(name)} {kind}")


def sync_table(con: duckdb.DuckDBPyConnection, source: str, table: str) -> tuple[int, int]:
    """Make the lake table equal to the warehouse table; returns (inserted, deleted) rows.

    With a primary key only the difference moves: rows gone or changed are deleted, then
    rows new or changed are inserted. Without one, the table is replaced.
    """
    ensure_lake_table(con, source, table)
    src = f"{ident(source)}.{ident(table)}"
    dst = f"{LAKE}.{ident(table)}"
    cols = ", ".join(ident(c) for c in columns(con, source, table))
    key = primary_key(con, source, table)
    if not key:
        deleted = con.execute(f"delete from {dst}").fetchone()[0]
        inserted = con.execute(f"insert into {dst} by name select {cols} from {src}").fetchone()[0]
        return inserted, deleted
    same_key = " and ".join(f"x.{ident(k)} = {dst}.{ident(k)}" for k in key)
    deleted = con.execute(
        f"delete from {dst} where not exists (select 1 from {src} x where {same_key})"
        f" or exists (select 1 from (select {cols} from {src} except select {cols} from {dst}) x"
        f" where {same_key})").fetchone()[0]
    inserted = con.execute(
        f"insert into {dst} by name"
        f" (select {cols} from {src} except select {cols} from {dst})").fetchone()[0]
    return inserted, deleted


def create_lake_views(con: duckdb.DuckDBPyConnection, source: str, counts: MirrorCounts) -> None:
    """Re-create the public views over the lake tables; a view that fails is reported."""
    con.execute(f"use {LAKE}")
    try:
        for path in sorted(VIEWS_DIR.glob("*.sql")):
            try:
                con.execute(path.read_text(encoding="utf-8"))
                counts.views.append(path.stem)
            except duckdb.Error as exc:
                counts.view_errors[path.stem] = str(exc).splitlines()[0]
    finally:
        con.execute(f"use {ident(source)}")


def mirror(con: duckdb.DuckDBPyConnection, catalog: str, data_path: str) -> MirrorCounts:
    """Mirror the warehouse open on `con` into the lake, as one lake snapshot."""
    source = con.execute("select current_database()").fetchone()[0]
    attach_lake(con, catalog, data_path)
    tables = [t for (t,) in con.execute(
        "select table_name from duckdb_tables() where database_name = ? and schema_name = 'main'"
        " order by table_name", [source]).fetchall() if t not in SKIPPED_TABLES]
    counts = MirrorCounts()
    con.execute("begin transaction")
    try:
        for table in tables:
            counts.inserted[table], counts.deleted[table] = sync_table(con, source, table)
        con.execute("commit")
    except BaseException:
        con.execute("rollback")
        raise
    create_lake_views(con, source, counts)
    counts.snapshot = con.execute(
        f"select max(snapshot_id) from ducklake_snapshots({literal(LAKE)})").fetchone()[0]
    return counts
