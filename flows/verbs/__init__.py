"""The verbs of the `mediawatch` command line, one module each.

To add a verb, write `flows/verbs/NAME.py` with two functions:

    def add_arguments(parser: argparse.ArgumentParser) -> None:  # its options
    def run(args: argparse.Namespace) -> int:                     # the work; the exit code

and add NAME with its one-line help to `flows.cli.VERBS` (the list `mediawatch --help`
shows, in its order). The CLI imports only the module of the verb it runs (`--help` alone
imports none), so a verb module imports what it needs at its top: the extraction processes
never import it (they re-import `flows.cli` only), and `status` never pays for the imports
of `ingest`.
"""

from __future__ import annotations

import argparse

from .. import settings


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
