"""A stop signal never cuts DuckDB short while it reads a table Python registered.

Interrupted mid-scan of a registered Arrow table, DuckDB could deadlock on close (its worker
thread waits for the GIL the main thread holds): an ingest stopped by SIGTERM under load
never exited. `registered()` holds SIGINT and SIGTERM for its block and delivers them after.
"""

import os
import signal
import threading

import pyarrow as pa
import pytest

from warehouse import db


@pytest.fixture(autouse=True)
def main_thread():
    # Python runs signal handlers in the main thread only: the hold is tested where it acts.
    assert threading.current_thread() is threading.main_thread()


def rows(n: int) -> pa.Table:
    return pa.table({"n": pa.array(range(n), pa.int64())})


def test_ctrl_c_inside_the_block_lets_its_statements_finish_then_interrupts(tmp_path):
    con = db.connect(tmp_path / "w.duckdb")
    finished = None
    with pytest.raises(KeyboardInterrupt):
        with db.registered(con, incoming=rows(100_000)):
            os.kill(os.getpid(), signal.SIGINT)
            finished = con.execute("select count(*), sum(n) from incoming").fetchone()
    assert finished == (100_000, sum(range(100_000)))
    con.close()


def test_a_held_signal_arrives_after_the_commit_so_the_batch_is_kept(tmp_path):
    path = tmp_path / "w.duckdb"
    con = db.connect(path)
    con.execute("create table kept (n bigint)")
    with pytest.raises(KeyboardInterrupt):
        with db.registered(con, incoming=rows(1000)), db.transaction(con):
            con.execute("insert into kept select n from incoming")
            os.kill(os.getpid(), signal.SIGINT)
            con.execute("insert into kept select n + 1000 from incoming")
    con.close()
    con = db.connect(path, read_only=True)
    assert con.execute("select count(*) from kept").fetchone()[0] == 2000
    con.close()


def test_sigterm_reaches_the_handler_that_was_in_force_once_and_it_is_restored(tmp_path):
    con = db.connect(tmp_path / "w.duckdb")
    calls = []
    before = signal.signal(signal.SIGTERM, lambda signum, frame: calls.append(signum))
    try:
        with db.registered(con, first=rows(3)):
            with db.registered(con, second=rows(2)):  # nested: the outermost block delivers
                os.kill(os.getpid(), signal.SIGTERM)
                assert con.execute("select count(*) from first, second").fetchone()[0] == 6
            assert calls == []
        assert calls == [signal.SIGTERM]
        assert signal.getsignal(signal.SIGINT) is signal.default_int_handler
        os.kill(os.getpid(), signal.SIGTERM)  # after the block: straight to the handler
        assert calls == [signal.SIGTERM, signal.SIGTERM]
    finally:
        signal.signal(signal.SIGTERM, before)
        con.close()


def test_a_registered_name_is_gone_after_the_block(tmp_path):
    con = db.connect(tmp_path / "w.duckdb")
    with db.registered(con, incoming=rows(1)):
        pass
    with pytest.raises(Exception, match="incoming"):
        con.execute("select * from incoming")
    con.close()
