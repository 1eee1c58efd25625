"""The ingest lock: one ingest writer per warehouse, as an flock on a file beside the DB.

DuckDB's own file lock is taken per batch (so readers can get in between batches); this lock
is held for a whole ingest run, so two ingests never interleave their batches or their run
ledger rows. The kernel releases an flock when its process dies (even after `kill -9`), so a
crashed run never leaves a stale lock behind. The holder writes its pid and start time into
the file only so that the one waiting can say who it is waiting for.

flock is advisory and local: it does not protect a warehouse on a network filesystem shared
by several machines (use DuckLake for that, see docs/reliability.md).
"""

from __future__ import annotations

import fcntl
import json
import os
import socket
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

POLL_S = 0.2  # how often a waiting process retries the lock


class IngestLocked(RuntimeError):
    """Another ingest kept the warehouse for longer than we were willing to wait."""


def lock_path(db: Path | str) -> Path:
    """Return the lock file of warehouse `db`: `<db>.ingest.lock` beside it."""
    db = Path(db).expanduser().resolve()
    return db.with_name(db.name + ".ingest.lock")


def describe_holder(path: Path) -> str:
    """Return who holds the lock at `path`, from what the holder wrote into it."""
    try:
        info = json.loads(path.read_text(encoding="utf-8") or "{}")
    except (OSError, ValueError):
        info = {}
    if not info.get("pid"):
        return "another ingest"
    host = f" on {info['host']}" if info.get("host") and info["host"] != socket.gethostname() else ""
    return f"another ingest (pid {info['pid']}{host}, started {info.get('started_at', '?')})"


@contextmanager
def ingest_lock(
    db: Path | str,
    wait_s: float,
    on_wait: Callable[[str], None] = lambda message: None,
) -> Iterator[Path]:
    """Hold the ingest lock of warehouse `db` for the block; yields the lock file's path.

    When another process holds it, call `on_wait` once with a message saying who and for how
    long we wait, then poll; raise IngestLocked after `wait_s` seconds. OSError when the lock
    file cannot be created (the warehouse folder is missing or not writable).
    """
    path = lock_path(db)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        deadline = time.monotonic() + wait_s
        told = False
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                holder = describe_holder(path)
                if time.monotonic() >= deadline:
                    raise IngestLocked(
                        f"{holder} still holds {Path(db)} after {wait_s:g} s of waiting. "
                        "Try again when it finishes, or wait longer with "
                        "MEDIAWATCH_INGEST_LOCK_WAIT_S (seconds)."
                    ) from None
                if not told:
                    on_wait(f"{holder} holds {Path(db)}; waiting up to {wait_s:g} s…")
                    told = True
                time.sleep(POLL_S)
        started = datetime.now(UTC).isoformat(timespec="seconds")
        record = {"pid": os.getpid(), "host": socket.gethostname(), "started_at": started}
        data = json.dumps(record).encode()
        os.pwrite(fd, data, 0)  # write, then cut: a reader never sees an empty file mid-way
        os.ftruncate(fd, len(data))
        try:
            yield path
        finally:
            # Emptied, not deleted: unlinking a lock file lets a third process lock a new
            # inode while a second still waits on the old one.
            os.ftruncate(fd, 0)
    finally:
        os.close(fd)  # closing the descriptor releases the flock


@contextmanager
def exclusive(path: Path) -> Iterator[None]:
    """Hold an exclusive flock on `path` for the block, waiting as long as it takes."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)
