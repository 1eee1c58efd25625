"""Writing a digest folder: digest.md, digest.html, digest.json and articles.csv."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from .digest import CSV_COLUMNS
from .render_html import render_html
from .render_md import render_markdown

# Spreadsheets run a cell starting with one of these as a formula (CSV injection);
# a leading apostrophe makes them show it as text.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: object) -> object:
    """Return a CSV cell value, with text that would start a spreadsheet formula defused."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def render_json(data: dict) -> str:
    """Return the digest as JSON (the schema of docs/digest.md), keys in a fixed order."""
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def render_csv(articles: list[dict]) -> str:
    """Return the day's articles as CSV with a header row."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for row in articles:
        writer.writerow([csv_cell(row[c]) for c in CSV_COLUMNS])
    return buffer.getvalue()


def write_digest_files(data: dict, articles: list[dict], out_dir: Path) -> list[Path]:
    """Write the four digest files to `out_dir/<date>/`; return their paths."""
    folder = Path(out_dir) / data["date"]
    folder.mkdir(parents=True, exist_ok=True)
    outputs = {
        "digest.md": render_markdown(data),
        "digest.html": render_html(data),
        "digest.json": render_json(data),
        "articles.csv": render_csv(articles),
    }
    paths = []
    for name, text in outputs.items():
        path = folder / name
        # Write beside and rename, so a reader never sees half a file.
        tmp = path.with_name(f".{name}.tmp")
        tmp.write_text(text, encoding="utf-8", newline="")
        tmp.replace(path)
        paths.append(path)
    return paths
