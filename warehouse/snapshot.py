"""A private copy of the warehouse, for long read sessions that must not block ingests."""

from __future__ import annotations

import shutil
from pathlib import Path

from .db import connect


def snapshot(db: Path | str, dest_dir: Path | str, wait_s: float = 30.0) -> Path:
    """Copy the database at `db` into `dest_dir` and return the copy's path.

    The copy is taken while a read-only connection holds the file, so no writer is half
    way through a batch; the write-ahead log is copied too when one is pending.
    """
    db, dest_dir = Path(db), Path(dest_dir)
    dest = dest_dir / db.name
    con = connect(db, read_only=True, wait_s=wait_s)
    try:
        shutil.copyfile(db, dest)
        wal = db.with_name(db.name + ".wal")
        if wal.exists():
            shutil.copyfile(wal, dest.with_name(dest.name + ".wal"))
    finally:
        con.close()
    return dest
