"""Ad hoc query results rendered as a table, CSV, JSON or Markdown."""

from __future__ import annotations

import csv
import io
import json
from datetime import date, datetime
from decimal import Decimal

import duckdb


def _json_default(value: object) -> object:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    return str(value)


MAX_CELL = 60  # characters of a table cell; use --format csv or json for whole values
# A table is read on a terminal: a control character in a value (a terminal escape stored
# before ingest stripped them) is shown as U+FFFD, never sent to the terminal (newline
# and tab stay: the markdown format flattens them).
CONTROL_CHARS = dict.fromkeys([*range(0x00, 0x09), *range(0x0b, 0x20), *range(0x7f, 0xa0)], "\ufffd")


def cell_text(value: object) -> str:
    """Return a value as a table cell shows it ('' for NULL, no control characters)."""
    return "" if value is None else str(value).translate(CONTROL_CHARS)


def clip(cell: str) -> str:
    """Return `cell` cut to MAX_CELL characters, ending in an ellipsis when it was cut."""
    return cell if len(cell) <= MAX_CELL else cell[: MAX_CELL - 1] + "…"


def format_result(cursor: duckdb.DuckDBPyConnection, fmt: str) -> str:
    """Return the rows of an executed query as `table`, `csv`, `json` or `markdown` text."""
    columns = [d[0] for d in cursor.description or []]
    rows = cursor.fetchall()
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(columns)
        writer.writerows(rows)
        return buffer.getvalue()
    if fmt == "json":
        records = [dict(zip(columns, row)) for row in rows]
        return json.dumps(records, default=_json_default, ensure_ascii=False, indent=2) + "\n"
    if fmt == "markdown":
        return markdown_table(columns, rows)
    cells = [columns] + [[cell_text(v) for v in row] for row in rows]
    widths = [min(MAX_CELL, max(len(r[i]) for r in cells)) for i in range(len(columns))]
    lines = [" | ".join(clip(c).ljust(w) for c, w in zip(r, widths)) for r in cells]
    lines.insert(1, "-+-".join("-" * w for w in widths))
    return "\n".join(lines) + f"\n({len(rows)} rows)\n"


def _markdown_cell(value: object) -> str:
    # A pipe would end the cell and a newline the row: escape one, flatten the other.
    return " ".join(cell_text(value).split()).replace("|", "\\|")


def markdown_table(columns: list[str], rows: list[tuple]) -> str:
    """Return a GitHub-flavoured Markdown table; numbers are right-aligned."""
    numeric = [bool(rows) and all(isinstance(r[i], int | float | Decimal) or r[i] is None
                                  for r in rows)
               for i in range(len(columns))]
    lines = [
        "| " + " | ".join(_markdown_cell(c) for c in columns) + " |",
        "| " + " | ".join("---:" if n else "---" for n in numeric) + " |",
    ]
    lines += ["| " + " | ".join(_markdown_cell(v) for v in row) + " |" for row in rows]
    return "\n".join(lines) + "\n"
