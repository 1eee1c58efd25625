"""Readers step aside for a writer that announced itself (flock works across file handles)."""

import time

import pytest

from warehouse import db
from warehouse.locking import write_intent, writer_waiting


def test_readers_wait_while_a_writer_holds_the_intent(db_path):
    db.connect(db_path).close()
    assert not writer_waiting(db_path)
    with write_intent(db_path, time.monotonic() + 1, 1):
        assert writer_waiting(db_path)
        started = time.monotonic()
        with pytest.raises(db.WarehouseBusy, match="MEDIAWATCH_LOCK_WAIT_S"):
            db.connect(db_path, read_only=True, wait_s=0.3)
        assert time.monotonic() - started >= 0.3
        with pytest.raises(db.WarehouseBusy):  # a second writer waits for the first
            with write_intent(db_path, time.monotonic() + 0.2, 0.2):
                pass
    with db.open_warehouse(db_path, read_only=True, wait_s=0.3) as con:
        assert con.execute("select count(*) from articles").fetchone()[0] == 0
