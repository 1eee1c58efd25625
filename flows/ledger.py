"""The run ledger for flows: a `runs` row when a flow starts, its outcome when it ends."""

from __future__ import annotations

import functools
import inspect
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from prefect.runtime import flow_run

from warehouse.db import open_warehouse
from warehouse.runs import finish_run, start_run

from . import settings


def now_utc() -> datetime:
    """Return the current UTC time as a naive timestamp (the warehouse stores UTC)."""
    return datetime.now(UTC).replace(tzinfo=None)


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
            with open_warehouse(db, wait_s=wait_s) as con:
                start_run(con, run_id, flow, now_utc(), parameters)
            try:
                result = fn(*args, **kwargs)
            except BaseException as exc:
                with open_warehouse(db, wait_s=wait_s) as con:
                    finish_run(con, run_id, now_utc(), "failed", {},
                               f"{type(exc).__name__}: {exc}".rstrip(": "))
                raise
            with open_warehouse(db, wait_s=wait_s) as con:
                finish_run(con, run_id, now_utc(), "completed", counts(result))
            return result

        return wrapper

    return decorate
