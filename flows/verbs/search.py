"""`mediawatch search`: ranked full-text search (BM25) over the stored articles."""

from __future__ import annotations

import argparse

from warehouse.db import open_warehouse
from warehouse.search import search

from ..console import ERR, OUT, day_option, fail
from . import add_db, db_of, lock_wait_s


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("text", help="words to look for (quotes and SQL are searched for, never run)")
    p.add_argument("--theme", help="only articles tagged with this theme id")
    p.add_argument("--since", help="only articles of this day or later, YYYY-MM-DD")
    p.add_argument("--source", help="only articles from this source (case-insensitive)")
    p.add_argument("--limit", type=int, default=10, help="at most this many results (default 10)")
    add_db(p)


def run(args: argparse.Namespace) -> int:
    if not args.text.strip():
        fail("give some words to search for")
    if args.limit < 1:
        fail("--limit must be at least 1")
    since = day_option(args.since, "--since")
    with open_warehouse(db_of(args), read_only=True, wait_s=lock_wait_s()) as con:
        try:
            hits = search(con, args.text, theme=args.theme, since=since, source=args.source,
                          limit=args.limit)
        except LookupError as exc:
            fail(str(exc))
    if not hits:
        ERR.print("no matching articles")
        return 0
    previous = None
    for rank, hit in enumerate(group_by_story(hits), 1):
        if hit.story_id and hit.story_id == getattr(previous, "story_id", None):
            OUT.print("   (same story)", markup=False)
        previous = hit
        details = [hit.day.isoformat(), hit.source, ", ".join(hit.themes) or "no themes",
                   f"score {hit.score:.2f}"]
        if hit.copies:
            details.append(f"+{hit.copies} {'copy' if hit.copies == 1 else 'copies'}")
        OUT.print(f"{rank}. {hit.title}", markup=False)
        OUT.print("   " + " · ".join(details), markup=False)
        OUT.print(f"   {hit.snippet}", markup=False)
        if hit.url:
            OUT.print(f"   {hit.url}", markup=False)
    return 0


def group_by_story(hits: list) -> list:
    """Return the hits with those of one story together, at the rank of the story's best."""
    first: dict[str, int] = {}
    for i, hit in enumerate(hits):
        first.setdefault(hit.story_id or hit.article_id, i)
    return sorted(hits, key=lambda h: (first[h.story_id or h.article_id], -h.score))
