"""Issue #21 case 3: "read-only" commands never write the warehouse, a device or a folder.

Every destructive command the outside probe ran, through the real `mediawatch` console
script, against a real warehouse file whose bytes are compared before and after.
"""

import hashlib
import os
import stat
import subprocess
from datetime import datetime

import duckdb
import pytest

from tests.flows import cli_process as cli
from tests.records import make_article
from warehouse.db import open_warehouse
from warehouse.load import load_batch

pytestmark = pytest.mark.slow


@pytest.fixture
def warehouse(tmp_path):
    db = tmp_path / "mw.duckdb"
    with open_warehouse(db) as con:
        load_batch(con, [make_article("a", "ka", "India buys Russian oil.", "h1")], [], [],
                   datetime(2024, 7, 3))
    return db


@pytest.fixture
def env(tmp_path):
    return cli.cli_env(tmp_path / "prefect")


def digest(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def articles(db):
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute("select count(*) from articles").fetchone()[0]
    finally:
        con.close()


def refused(result, *words):
    """The command failed with one actionable line, no traceback."""
    assert result.returncode == 1, (result.stdout, result.stderr)
    assert cli.clean_output(result.stderr), result.stderr
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    for word in words:
        assert word in result.stderr, result.stderr


def test_destructive_commands_leave_the_warehouse_and_devices_alone(warehouse, env, tmp_path):
    db, before = str(warehouse), digest(warehouse)
    link = tmp_path / "innocent.parquet"
    link.symlink_to(warehouse)
    (tmp_path / "folder").mkdir()
    attempts = [
        (["export", "--table", "articles", "--out", "/dev/null"], "not a regular file"),
        (["export", "--table", "articles", "--out", db], "is the DuckDB database"),
        (["export", "--table", "articles", "--out", str(link)], "is the DuckDB database"),
        (["export", "--table", "articles", "--out", db + ".wal"], "is the DuckDB database"),
        (["export", "--table", "articles", "--out", str(tmp_path / "folder")], "is a folder"),
        (["sql", f"copy (select 1) to '{db}'"], "COPY statement is refused"),
        (["sql", f"select 1; copy (select 1) to '{db}' (format csv)"], "COPY"),
        (["sql", f"attach '{tmp_path / 'new.duckdb'}'"], "ATTACH"),
        (["sql", "install httpfs"], "LOAD"),
        (["sql", f"explain analyze copy (select 1) to '{db}'"], "EXPLAIN ANALYZE"),
        (["export", "--query", f"copy (select 1) to '{db}'", "--out", str(tmp_path / "x.csv")],
         "COPY statement is refused"),
    ]
    for args, words in attempts:
        refused(cli.run([*args, "--db", db], env), words)
        assert digest(warehouse) == before, args
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)
    assert link.is_symlink() and not (tmp_path / "new.duckdb").exists()
    assert not list(tmp_path.glob(".*partial")) and not list(tmp_path.glob("tmp_*"))
    assert articles(warehouse) == 1


def test_sql_reads_only_the_warehouse_unless_asked_and_never_writes(warehouse, env, tmp_path):
    data = tmp_path / "extra.csv"
    data.write_text("n\n41\n")
    query = f"select n + 1 as answer from read_csv('{data}')"
    refused(cli.run(["sql", query, "--db", str(warehouse)], env), "--read-files")
    allowed = cli.run(["sql", query, "--read-files", "--db", str(warehouse)], env)
    assert allowed.returncode == 0 and "42" in allowed.stdout, allowed.stderr
    # reading files does not open writing
    out = tmp_path / "copy.csv"
    refused(cli.run(["sql", f"copy (select 1) to '{out}'", "--read-files", "--db",
                     str(warehouse)], env), "COPY")
    assert not out.exists()
    # an export still works, and replaces a regular file
    target = tmp_path / "a.csv"
    target.write_text("old")
    done = cli.run(["export", "--query", "select key from articles", "--out", str(target),
                    "--db", str(warehouse)], env)
    assert done.returncode == 0, done.stderr
    assert target.read_text() == "key\nka\n"


def test_the_shell_runs_in_safe_mode(warehouse, env, tmp_path):
    before = digest(warehouse)
    script = (f".open {warehouse}\ndrop table articles;\n.shell touch {tmp_path}/shell-ran\n"
              f".system touch {tmp_path}/system-ran\ninstall httpfs;\n"
              f"copy (select 1) to '{tmp_path}/copied.csv';\n"
              "select count(*) as n from articles;\n")
    done = subprocess.run([str(cli.MEDIAWATCH), "sql", "--db", str(warehouse)], env=env,
                          input=script, capture_output=True, text=True, timeout=120)
    assert "cannot be used in -safe mode" in done.stderr, done.stderr
    for name in ("shell-ran", "system-ran", "copied.csv"):
        assert not (tmp_path / name).exists(), name
    assert digest(warehouse) == before and articles(warehouse) == 1
