"""The feed list an ingest polls: read without importing Prefect (the quiet-rerun check of
flows/nothing_new.py reads it before deciding whether to start Prefect)."""

from __future__ import annotations

from pathlib import Path

from extractors.feeds import FeedSpec, load_feed_list

from . import settings


class FeedListInvalid(ValueError):
    """The feed list cannot be used; the message names the file and what is wrong."""


def read_feed_list(path: str | None) -> list[FeedSpec]:
    """Return the enabled feeds of `path` (default: the `feeds` setting).

    A missing default list means no feeds; a missing list that was asked for, or one that
    is not a valid feed list, is FeedListInvalid.
    """
    explicit = path is not None
    path = Path(path or settings.get("feeds"))
    if not path.exists():
        if explicit:
            raise FeedListInvalid(f"feed list {path} not found (--feeds / MEDIAWATCH_FEEDS)")
        return []
    if not path.is_file():
        raise FeedListInvalid(f"feed list {path} is not a file (--feeds / MEDIAWATCH_FEEDS)")
    try:
        return [f for f in load_feed_list(path) if f.enabled]
    except ValueError as exc:
        raise FeedListInvalid(str(exc)) from None
