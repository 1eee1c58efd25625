"""Exit codes and messages of the real `mediawatch` console script (subprocesses).

0 when the run completed, even with recorded failures (and it says how many); 1 with an
actionable message and no traceback when it could not run.
"""

import os
import sqlite3
import time

import duckdb
import pytest

from tests.flows import cli_process as cli

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def env(tmp_path_factory, prefect_api_url):
    """The session's Prefect API: what is tested here is the command's own exit and words."""
    return cli.cli_env(tmp_path_factory.mktemp("prefect-home"), prefect_api_url)


@pytest.fixture(scope="module")
def temporary_api_env(tmp_path_factory):
    """No API URL: each command starts (and must stop) its own temporary Prefect server."""
    return cli.cli_env(tmp_path_factory.mktemp("prefect-home"))


def test_completed_with_failures_exits_0_and_counts_them(tmp_path, env):
    seeds = tmp_path / "seeds"
    cli.write_jsonl(seeds / "wire.jsonl", 5)
    (seeds / "bad.jsonl").write_text('{"title": "no text"}\n{broken\n')
    (seeds / "bin.txt").write_bytes(b"\x00\x01")
    db = tmp_path / "mw.duckdb"
    result = cli.run(["ingest", "--seeds", str(seeds), "--db", str(db)], env)
    assert result.returncode == 0, result.stderr
    assert "5 stored" in result.stderr and "3 failures" in result.stderr
    # grouped by code, each with an example reason, and where to look for the rest
    assert "2 x seed: malformed (e.g." in result.stderr and "1 x seed: unreadable" in result.stderr
    assert "from ingest_failures where resolved_at is null" in result.stderr
    assert cli.clean_output(result.stderr), result.stderr


def db_under_a_file(tmp):
    (tmp / "a-file").write_text("")
    return tmp / "a-file" / "mw.duckdb"


def db_that_is_not_duckdb(tmp):
    (tmp / "junk.duckdb").write_bytes(b"not a database\n" * 100)
    return tmp / "junk.duckdb"


@pytest.mark.parametrize("make_db, message", [
    (db_under_a_file, "is a file, not a folder"),
    (db_that_is_not_duckdb, "not a valid DuckDB database file"),
])
def test_unusable_warehouse_exits_1_with_a_message(tmp_path, env, make_db, message):
    db = make_db(tmp_path)
    seeds = cli.write_jsonl(tmp_path / "seeds" / "wire.jsonl", 3).parent
    result = cli.run(["ingest", "--seeds", str(seeds), "--db", str(db)], env)
    assert result.returncode == 1
    assert message in result.stderr and "--db" in result.stderr
    assert cli.clean_output(result.stderr), result.stderr


def test_warehouse_held_open_by_another_program_exits_1_with_a_message(tmp_path, env):
    seeds = cli.write_jsonl(tmp_path / "seeds" / "wire.jsonl", 3).parent
    db = tmp_path / "mw.duckdb"
    holder = duckdb.connect(str(db))  # like a DuckDB shell left open on the file
    try:
        result = cli.run(["ingest", "--seeds", str(seeds), "--db", str(db)],
                         {**env, "MEDIAWATCH_LOCK_WAIT_S": "1"})
    finally:
        holder.close()
    assert result.returncode == 1
    assert "is locked by another process" in result.stderr and "waited 1 s" in result.stderr
    assert cli.clean_output(result.stderr), result.stderr


def test_missing_seeds_folder_exits_1(tmp_path, env):
    result = cli.run(["ingest", "--seeds", str(tmp_path / "nope"), "--db", str(tmp_path / "x.db")],
                     env)
    assert result.returncode == 1 and "no such folder" in result.stderr
    assert cli.clean_output(result.stderr)
    assert not (tmp_path / "x.db").exists()


def test_bad_setting_value_exits_1(tmp_path, env):
    seeds = cli.write_jsonl(tmp_path / "seeds" / "wire.jsonl", 1).parent
    result = cli.run(["ingest", "--seeds", str(seeds), "--db", str(tmp_path / "x.db")],
                     {**env, "MEDIAWATCH_INGEST_LOCK_WAIT_S": "soon"})
    assert result.returncode == 1
    assert "MEDIAWATCH_INGEST_LOCK_WAIT_S='soon' is not a valid float" in result.stderr
    assert cli.clean_output(result.stderr), result.stderr


def test_prefect_server_that_cannot_start_is_a_message_not_a_hang(tmp_path, temporary_api_env):
    # Prefect's own server cannot open its database: the command says so and what to do.
    seeds = tmp_path / "seeds"
    cli.write_jsonl(seeds / "wire.jsonl", 1)
    broken = {**temporary_api_env, "PREFECT_HOME": str(tmp_path / "ph"),
              "PREFECT_SERVER_DATABASE_CONNECTION_URL":
                  f"sqlite+aiosqlite:///{tmp_path}/missing-folder/prefect.db"}
    result = cli.run(["ingest", "--seeds", str(seeds), "--db", str(tmp_path / "mw.duckdb")],
                     broken)
    assert result.returncode == 1
    last = result.stderr.strip().splitlines()[-1]
    assert last.startswith("error: the temporary Prefect server exited")
    assert "PREFECT_API_URL" in last
    # started once: only a port taken by another process is worth a second start
    log = (tmp_path / "ph" / "mediawatch-server.log").read_text()
    assert log.count("mediawatch: starting") == 1, log


def test_a_command_on_its_temporary_api_ends_its_output_with_it_and_sends_no_heartbeats(
        tmp_path, migrated_prefect_home):
    """One command on its own temporary Prefect server (a migrated PREFECT_HOME), two
    checks (one run: each temporary server costs ~7 s of CPU, ~15 s on a fresh home):

    - nothing the command leaves behind (the Prefect server's watchdog) holds its stdout or
      stderr open: a pipe reading them (`| tee`, a scheduler capturing logs) ends with it;
    - no flow-run heartbeats: they only serve a lasting server; on ours Prefect would wait
      up to a second for the heartbeat thread at the end of every command.
    """
    home = migrated_prefect_home
    seeds = tmp_path / "seeds"
    cli.write_jsonl(seeds / "wire.jsonl", 2)
    proc = cli.start(["ingest", "--seeds", str(seeds), "--db", str(tmp_path / "mw.duckdb")],
                     cli.cli_env(home))
    fds = [proc.stdout.fileno(), proc.stderr.fileno()]
    for fd in fds:
        os.set_blocking(fd, False)
    err = []

    def drain(fd: int) -> bool:
        """Read what is there; return True at end of file (every writer has closed)."""
        try:
            while chunk := os.read(fd, 65536):
                if fd == fds[1]:
                    err.append(chunk)
            return True
        except BlockingIOError:
            return False

    try:
        while proc.poll() is None:  # drain as it runs, so a full pipe never blocks it
            for fd in fds:
                drain(fd)
            time.sleep(0.05)
        ended = [drain(fd) for fd in fds]
        assert proc.returncode == 0, b"".join(err).decode(errors="replace")
        assert all(ended), "the output is still held open after the command exited"
    finally:
        if proc.poll() is None:
            proc.kill()
    with sqlite3.connect(home / "prefect.db") as con:
        events = dict(con.execute("select event, count(*) from events group by event"))
    assert events.get("prefect.flow-run.Completed") == 1  # the server did record the run
    assert "prefect.flow-run.heartbeat" not in events
