"""`mediawatch stories`: the day's stories, most outlets first, with their growth."""

from __future__ import annotations

import argparse

from warehouse.db import open_warehouse
from warehouse.digest import latest_day
from warehouse.story_list import list_stories

from ..console import ERR, OUT, day_option, fail, say
from . import add_db, db_of, lock_wait_s


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--date", help="day, YYYY-MM-DD (default: the latest day with articles)")
    p.add_argument("--theme", help="only stories with an article tagged with this theme id")
    p.add_argument("--focus", action="store_true",
                   help="only stories with a focus article (the relationship focus flag)")
    p.add_argument("--limit", type=int, default=20, help="at most this many (default 20)")
    add_db(p)


def run(args: argparse.Namespace) -> int:
    db = db_of(args)
    day = day_option(args.date, "--date")
    with open_warehouse(db, read_only=True, wait_s=lock_wait_s()) as con:
        day = day or latest_day(con)
        if day is None:
            fail(f"no articles in {db}: run `mediawatch ingest` first")
        try:
            stories = list_stories(con, day, theme=args.theme, focus=args.focus,
                                   limit=max(1, args.limit))
        except LookupError as exc:
            fail(str(exc))
    if not stories:
        ERR.print(f"no stories on {day}")
        return 0
    say(("stories", "bold"), f" {day}: {len(stories)} shown, most outlets first")
    for rank, s in enumerate(stories, 1):
        growth = (f"+{s['articles_today']} today" if s["articles_before"] == 0 else
                  f"+{s['articles_today']} today, {s['articles_before']} before")
        langs = ", ".join(s["languages"] or [])
        OUT.print(f"{rank}. {s['title']}", markup=False)
        OUT.print(f"   {s['outlets']} outlets · {s['articles']} articles ({growth})"
                  + (f" · {s['copies']} copies" if s["copies"] else "")
                  + (f" · {langs}" if langs else "")
                  + (f" · {', '.join(s['themes'])}" if s["themes"] else "")
                  + f" · first seen {s['first_seen']:%Y-%m-%d %H:%M}", markup=False)
    return 0
