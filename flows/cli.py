"""The `mediawatch` command line: one verb per user task, over the flows and the warehouse."""

from __future__ import annotations

import argparse
import importlib
import signal
import sys
from types import ModuleType

from . import settings
from .console import ERR, configure_logging, fail

# Every verb with its line in `mediawatch --help`, in that order; each is the module
# flows/verbs/NAME.py (see flows/verbs/__init__.py to add one). The lines are here, not in
# the modules, so that `mediawatch --help` imports none of them (all: 1.9 s of CPU).
VERBS = {
    "ingest": "ingest seed documents (and feeds) into the warehouse",
    "digest": "write the daily digest",
    "themes": "print the taxonomy in force",
    "retag": "re-apply the taxonomy and gazetteer to stored articles",
    "eval": "measure tagging or story quality against gold labels",
    "stories": "the day's stories by outlets, with their growth",
    "sql": "run read-only SQL against the warehouse (no query: an interactive DuckDB shell)",
    "search": "full-text search (BM25) over article titles and texts",
    "export": "export a table, view or query to Parquet, CSV or JSON",
    "serve": "run ingest and digest on their schedules (Ctrl-C stops)",
    "status": "recent runs, feed health, open failures",
    "mirror": "mirror the warehouse into a DuckLake (Parquet + catalog)",
    "watches": "list the watches and their last fire; `watches test NAME` shows what a watch "
               "would fire",
    "alerts": "the alerts outbox: what was sent, what is pending",
}


def verb(name: str) -> ModuleType:
    """Return the module flows/verbs/NAME.py (importing it, and only it)."""
    return importlib.import_module(f"{__package__}.verbs.{name}")


def build_parser(with_options: tuple[str, ...] = tuple(VERBS)) -> argparse.ArgumentParser:
    """Return the parser of the command line: every verb, with the options of those in
    `with_options` (a command passes its own verb only: it imports that module only)."""
    parser = argparse.ArgumentParser(
        prog="mediawatch",
        description="Media monitoring: ingest documents and feeds, tag themes with evidence, "
        "query trends in DuckDB, export daily digests.",
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="show Prefect's run logs")
    verbs = parser.add_subparsers(dest="verb", metavar="VERB", required=True)
    for name, line in VERBS.items():
        sub = verbs.add_parser(name, help=line)
        if name in with_options:
            verb(name).add_arguments(sub)
    return parser


def chosen_verb(argv: list[str]) -> tuple[str, ...]:
    """Return (the verb `argv` names,): its first word that is not an option; () if that is
    no verb (`--help`, a typo: argparse says so)."""
    word = next((arg for arg in argv if not arg.startswith("-")), None)
    return (word,) if word in VERBS else ()


def main(argv: list[str] | None = None) -> int:
    """Run the `mediawatch` command line; returns the process exit code."""
    argv = sys.argv[1:] if argv is None else argv
    args = build_parser(chosen_verb(argv)).parse_args(argv)
    configure_logging(args.verbose)
    # Not at the top: the extraction processes import this module (spawn re-imports the
    # `mediawatch` script), and must not load DuckDB for nothing.
    import duckdb

    from warehouse.db import WarehouseBusy

    from .prefect_server import ServerDidNotStart

    if args.verb != "serve":  # serve has its own; a flow run has Prefect's meanwhile
        signal.signal(signal.SIGTERM, terminated)
    try:
        settings.check_all()  # a bad MEDIAWATCH_* value stops here, before any work
        return verb(args.verb).run(args)
    except (WarehouseBusy, ServerDidNotStart, FileNotFoundError, ValueError, duckdb.Error,
            *prefect_exceptions("FailedRun")) as exc:  # FailedRun: the flow said why and what to do
        fail(str(exc).strip())
    except (KeyboardInterrupt, *prefect_exceptions("TerminationSignal")) as exc:
        ERR.print("interrupted: work already committed is kept (an ingest loads whole batches);"
                  " run the same command again to finish")
        return 130 if type(exc) is KeyboardInterrupt else 128 + signal.SIGTERM
    return 1


def prefect_exceptions(*names: str) -> tuple[type[BaseException], ...]:
    """Return the named classes of prefect.exceptions if Prefect is loaded, else none.

    A command that never imported Prefect cannot have raised its exceptions, and importing
    it only to name them cost every command ~1 s of CPU before its work began (`status`
    runs no flow; `ingest` and `digest` import Prefect while their server starts)."""
    module = sys.modules.get("prefect.exceptions")
    return tuple(getattr(module, name) for name in names) if module else ()


class Terminated(KeyboardInterrupt):
    """SIGTERM (a service manager, `docker stop`): stop as for Ctrl-C."""


def terminated(signum: int, frame: object) -> None:
    raise Terminated


if __name__ == "__main__":
    sys.exit(main())
