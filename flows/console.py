"""The console: one logging setup, progress bars on long work, and run summaries."""

from __future__ import annotations

import logging
import os
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from typing import TextIO

from rich.console import Console
from rich.text import Text
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TextColumn,
    TimeElapsedColumn,
)

# Status and progress go to stderr; stdout is kept for results (SQL output, paths).
# Markup and emoji are off: what we print is mostly data (paths, URLs, titles, server
# errors), and Rich would read "[/]" in a redirect's Location as a closing tag (MarkupError:
# every ingest stopped) and ":x:" in a title as an emoji. Our own styling goes through say().
ERR = Console(stderr=True, highlight=False, soft_wrap=True, markup=False, emoji=False)
OUT = Console(highlight=False, soft_wrap=True, markup=False, emoji=False)
# C0 and C1 control characters but newline and tab: a terminal escape in a feed's error or a
# file name must not clear the screen or retitle the window.
TERMINAL_CONTROLS = dict.fromkeys([*range(0x00, 0x09), *range(0x0b, 0x20), *range(0x7f, 0xa0)])


def plain(value: object) -> str:
    """Return `value` as text a terminal shows as it is: no control characters."""
    return str(value).translate(TERMINAL_CONTROLS)


def say(*parts: object, console: Console = ERR) -> None:
    """Print one line: ("word", "style") pairs are our own styled words; anything else is
    data, shown as it is (never markup, never an emoji code, no control characters)."""
    console.print(Text.assemble(*(p if isinstance(p, tuple) else plain(p) for p in parts)))


def configure_logging(verbose: bool = False) -> None:
    """Show Prefect's per-run INFO lines only with --verbose; warnings and errors always.

    PREFECT_LOGGING_LEVEL in the environment is kept, except that --verbose asks for at
    least INFO: an explicit flag beats a setting inherited from the environment.
    """
    level = "INFO" if verbose else "WARNING"
    inherited = os.environ.get("PREFECT_LOGGING_LEVEL", "").upper()
    quieter = logging.getLevelName(inherited) if inherited else None
    if not inherited or (verbose and isinstance(quieter, int) and quieter > logging.INFO):
        os.environ["PREFECT_LOGGING_LEVEL"] = level
    logging.basicConfig(level=getattr(logging, level), format="%(levelname)s %(name)s: %(message)s")


@contextmanager
def progress(description: str, total: int | None = None) -> Iterator[callable]:
    """Show a progress bar while the block runs; yields `advance(n=1)`."""
    bar = Progress(
        SpinnerColumn(),
        TextColumn("[progress.description]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=ERR,
        transient=True,
        disable=not ERR.is_terminal,
    )
    with bar:
        task_id = bar.add_task(description, total=total)

        def advance(n: int = 1, **fields) -> None:
            bar.update(task_id, advance=n, **fields)

        yield advance


def log_stream() -> TextIO | None:
    """Return where timed progress lines go: stdout when it is not a terminal (a scheduled
    run, `mediawatch ingest > log.txt`, `| tee`), else stderr when that is not one; None
    when both are terminals (the live progress bar is shown there instead)."""
    if not OUT.is_terminal:
        return sys.stdout
    if not ERR.is_terminal:
        return sys.stderr
    return None


class ProgressLog:
    """Write `line()` to the log stream every `interval_s` seconds until `stop()`.

    A bar on a terminal redraws; a log needs lines. A thread writes them, so a batch that
    takes a minute to extract or load does not leave the log silent. Nothing is written
    on a terminal, or when `interval_s` is 0.
    """

    def __init__(self, line: Callable[[], str], interval_s: float) -> None:
        self.line, self.interval_s = line, interval_s
        self.stream = log_stream()
        self.stopped = threading.Event()
        self.writer = None
        if self.stream is not None and interval_s > 0:
            self.writer = threading.Thread(target=self.write, name="progress-log", daemon=True)
            self.writer.start()

    def write(self) -> None:
        while not self.stopped.wait(self.interval_s):
            try:
                print(f"{time.strftime('%H:%M:%S')} {self.line()}", file=self.stream, flush=True)
            except (OSError, ValueError):  # the reader went away (a closed pipe)
                return

    def stop(self) -> None:
        """Stop writing lines (waits for a line being written)."""
        self.stopped.set()
        if self.writer is not None:
            self.writer.join(timeout=1.0)


def day_option(value: str | None, option: str) -> date | None:
    """Return the day an option gives (YYYY-MM-DD), None when it is not given; exit with a
    one-line message naming the option when it is not a day an article can have."""
    if value is None:
        return None
    from warehouse.dates import check_day

    try:
        return check_day(value, date.today())
    except ValueError as exc:
        fail(f"{option}: {exc}")


def fail(message: str) -> None:
    """Print an actionable error message (no traceback) and exit with status 1."""
    say(("error:", "bold red"), f" {message}")
    sys.exit(1)
