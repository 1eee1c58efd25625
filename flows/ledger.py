"""The run ledger for flows: a `runs` row when a flow starts, its outcome when it ends."""

from __future__ import annotations

import functools
import inspect
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb
from prefect.runtime import flow_run
from prefect.states import Failed

from warehouse.db import open_warehouse
from warehouse.runs import finish_run, start_run

from . import settings


def now_utc() -> datetime:
    """Return the current UTC time as a naive timestamp (the warehouse stores UTC)."""
    return datetime.now(UTC).replace(tzinfo=None)


def unusable_warehouse(db: str, exc: BaseException) -> str:
    """Return the one-line message for a warehouse DuckDB cannot open or write."""
    detail = str(exc).splitlines()[0].removeprefix("IO Error: ")
    return (f"cannot use the warehouse {db}: {detail}. If the disk is full, free space and "
            "run again; if the file is damaged (truncated, not DuckDB), restore it from a "
            "backup or pass --db (or set MEDIAWATCH_DB) to another file.")


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
            wait_s = float(settings.get("lock_wait_s"))
            run_id = str(flow_run.id or f"local-{time.time_ns()}")
            try:
                with open_warehouse(db, wait_s=wait_s) as con:
                    start_run(con, run_id, flow, now_utc(), parameters)
            except duckdb.Error as exc:  # truncated, not DuckDB, disk full: say so, no traceback
                return Failed(message=unusable_warehouse(db, exc))
            try:
                result = fn(*args, **kwargs)
            except BaseException as exc:
                try:
                    with open_warehouse(db, wait_s=wait_s) as con:
                        finish_run(con, run_id, now_utc(), "failed", {},
                                   f"{type(exc).__name__}: {exc}".rstrip(": "))
                except duckdb.Error:
                    pass  # the warehouse cannot take it now; the next run closes this one
                if isinstance(exc, duckdb.Error):
                    return Failed(message=unusable_warehouse(db, exc))
                raise
            with open_warehouse(db, wait_s=wait_s) as con:
                finish_run(con, run_id, now_utc(), "completed", counts(result))
            return result

        return wrapper

    return decorate
