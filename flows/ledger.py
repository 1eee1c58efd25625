"""The run ledger for every flow: a `runs` row when a flow starts, its outcome when it ends."""

from __future__ import annotations

import functools
import inspect
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
from prefect.runtime import flow_run
from prefect.states import Failed

from warehouse.db import open_warehouse
from warehouse.runs import finish_run, now_utc, start_run

from . import settings


def unusable_warehouse(db: str, exc: BaseException) -> str:
    """Return the one-line message for a warehouse DuckDB cannot open or write."""
    detail = str(exc).splitlines()[0].removeprefix("IO Error: ")
    return (f"cannot use the warehouse {db}: {detail}. If the disk is full, free space and "
            "run again; if the file is damaged (truncated, not DuckDB), restore it from a "
            "backup or pass --db (or set MEDIAWATCH_DB) to another file.")


@dataclass
class RunEntry:
    """One flow run's row in `runs`, while it runs: `counts()` is what is recorded at the
    end, whether the run completes or fails (so a failed run keeps its partial counts)."""

    run_id: str
    flow: str
    started: Any
    counts: Callable[[], dict] = field(default=lambda: {})


@contextmanager
def run_entry(db: str, flow: str, parameters: dict,
              prepare: Callable[[duckdb.DuckDBPyConnection, RunEntry], None] | None = None
              ) -> Iterator[RunEntry]:
    """Record the block as a run of `flow` in the warehouse `db`.

    `prepare(con, entry)` runs in the connection that inserts the row, before it (e.g.
    closing runs a killed process left `running`). A block that raises or is interrupted
    is recorded `failed` with the error and its counts so far, then the error goes on; a
    warehouse that cannot take that row (a full disk) leaves it `running`, and the next
    run of the flow marks it crashed.
    """
    wait_s = float(settings.get("lock_wait_s"))
    entry = RunEntry(str(flow_run.id or f"local-{time.time_ns()}"), flow, now_utc())
    with open_warehouse(db, wait_s=wait_s) as con:
        if prepare is not None:
            prepare(con, entry)
        start_run(con, entry.run_id, flow, entry.started, parameters)
    try:
        yield entry
    except BaseException as exc:
        try:
            with open_warehouse(db, wait_s=wait_s) as con:
                finish_run(con, entry.run_id, now_utc(), "failed", entry.counts(),
                           f"{type(exc).__name__}: {exc}".rstrip(": "))
        except duckdb.Error:
            pass  # the warehouse cannot take it now; the next run closes this one
        raise
    with open_warehouse(db, wait_s=wait_s) as con:
        finish_run(con, entry.run_id, now_utc(), "completed", entry.counts())


def recorded_run(flow: str, counts: Callable[[Any], dict] = lambda result: {}) -> Callable:
    """Decorate a flow function so each call is a row in `runs` (put it under `@flow`).

    The row names the flow, its bound parameters, and on success `counts(result)`; a call
    that raises or is interrupted is recorded `failed` with the error. The warehouse is the
    call's `db` argument, else the `db` setting; nothing is recorded when it does not exist
    (a digest of a missing warehouse should say so, not create an empty one).
    """

    def decorate(fn: Callable) -> Callable:
        signature = inspect.signature(fn)

        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            bound = signature.bind(*args, **kwargs)
            bound.apply_defaults()
            parameters = dict(bound.arguments)
            db = str(parameters.get("db") or settings.get("db"))
            if not Path(db).exists():
                return fn(*args, **kwargs)
            try:
                with run_entry(db, flow, parameters) as entry:
                    result = fn(*args, **kwargs)
                    entry.counts = lambda: counts(result)
            except duckdb.Error as exc:  # truncated, not DuckDB, disk full: say so, no traceback
                return Failed(message=unusable_warehouse(db, exc))
            return result

        return wrapper

    return decorate
