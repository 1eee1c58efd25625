"""Sharing one DuckDB file between one writing process and many reading ones.

DuckDB locks the whole file: a writer excludes every other process, and any reader
(even read-only) excludes a writer. Both sides therefore retry briefly on a lock error.
Retrying alone lets a steady stream of readers starve the writer (their shared locks
overlap, so the file is never free), so a writer first takes an *intent* lock in a file
beside the database; readers that see it step aside until the writer has connected.
The writer then waits only for the reads already under way. Where `fcntl` is missing
(Windows) there is no intent lock and plain retries remain.
"""

from __future__ import annotations

import os
import random
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

try:
    import fcntl
except ImportError:  # Windows: no flock
    fcntl = None

INTENT_SUFFIX = ".write-intent"


class WarehouseBusy(RuntimeError):
    """The database file stayed locked by another process for longer than we would wait."""


def intent_path(db: Path) -> Path:
    """Return the intent lock file of the database at `db`."""
    return db.with_name(db.name + INTENT_SUFFIX)


def busy(db: Path, wait_s: float) -> WarehouseBusy:
    """Return the error raised when the lock did not come free in time, saying what to do."""
    return WarehouseBusy(
        f"{db} is locked by another process (a DuckDB client, a `mediawatch sql` shell, a "
        f"digest or an ingest?); waited {wait_s:.0f} s. Close it or try again when it "
        "finishes, or raise MEDIAWATCH_LOCK_WAIT_S."
    )


# A writer loading batch after batch frees the file for a few tens of milliseconds between
# them; a reader retrying less often than this would wait out the whole ingest. An attempt
# costs about a millisecond (a flock test and a refused open).
MAX_RETRY_DELAY_S = 0.1


def pause(delay_s: float) -> float:
    """Sleep about `delay_s` (with jitter, so retrying processes do not move in step).

    Returns the next delay: doubled, at most MAX_RETRY_DELAY_S.
    """
    time.sleep(delay_s * random.uniform(0.5, 1.5))
    return min(delay_s * 2, MAX_RETRY_DELAY_S)


def writer_waiting(db: Path) -> bool:
    """Return True when a writer holds the intent lock of `db` (readers then wait)."""
    if fcntl is None:
        return False
    try:
        fd = os.open(intent_path(db), os.O_RDONLY)
    except OSError:  # no writer ever ran here, or we may not read the folder: no intent
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    else:
        fcntl.flock(fd, fcntl.LOCK_UN)
        return False
    finally:
        os.close(fd)


@contextmanager
def write_intent(db: Path, deadline: float, wait_s: float) -> Iterator[None]:
    """Hold the intent lock of `db` for the block (waiting until `deadline` for other writers)."""
    if fcntl is None:
        yield
        return
    fd = os.open(intent_path(db), os.O_RDWR | os.O_CREAT, 0o644)
    try:
        delay = 0.02
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise busy(db, wait_s) from None
                delay = pause(delay)
        try:
            yield
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)
