"""The verbs of the `mediawatch` command line, one module each.

To add a verb, write `flows/verbs/NAME.py` that ends with

    VERB = Verb("one line for `mediawatch --help`", add_arguments, run)

(`add_arguments(parser)` adds its options, `run(args)` does the work and returns the exit
code) and add NAME to `flows.cli.VERBS`, which orders `mediawatch --help`. The CLI imports
only the module of the verb it runs, so a verb module imports what it needs at the top:
the extraction processes never import it (they re-import `flows.cli` only), and `status`
never pays for the imports of `ingest`.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from dataclasses import dataclass

from .. import settings


@dataclass(frozen=True)
class Verb:
    """One verb: its `--help` line, the function adding its options, the one running it."""

    help: str
    add_arguments: Callable[[argparse.ArgumentParser], None]
    run: Callable[[argparse.Namespace], int]


def add_db(parser: argparse.ArgumentParser, **kwargs) -> None:
    """Add the `--db PATH` option every warehouse verb has."""
    kwargs.setdefault("help", f"DuckDB file (default {settings.get('db')}; env MEDIAWATCH_DB)")
    parser.add_argument("--db", metavar="PATH", **kwargs)


def db_of(args: argparse.Namespace) -> str:
    """Return the warehouse the command works on: --db, else the `db` setting."""
    return getattr(args, "db", None) or str(settings.get("db"))


def lock_wait_s() -> float:
    """Return how long a reader waits for a writer's lock (the `lock_wait_s` setting)."""
    return float(settings.get("lock_wait_s"))
