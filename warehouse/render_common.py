"""Helpers every digest renderer shares: times in the reader's timezone, short sentences."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

EVIDENCE_MAX_CHARS = 280
ARROWS = {"up": "▲", "down": "▼", "flat": "▬"}


def local_time(iso: str | None, timezone: str, day: str) -> str:
    """Return an ISO UTC time as 'HH:MM' in `timezone` ('YYYY-MM-DD HH:MM' off `day`), or ''."""
    if not iso:
        return ""
    moment = datetime.fromisoformat(iso.replace("Z", "+00:00")).astimezone(ZoneInfo(timezone))
    if moment.date().isoformat() == day:
        return moment.strftime("%H:%M")
    return moment.strftime("%Y-%m-%d %H:%M")


def clip(text: str | None, limit: int = EVIDENCE_MAX_CHARS) -> str:
    """Return `text` on one line, cut at a word boundary to at most `limit` characters."""
    flat = " ".join((text or "").split())
    if len(flat) <= limit:
        return flat
    return flat[:limit].rsplit(" ", 1)[0] + " …"


def signed(value: float) -> str:
    """Return a change like '+1.5', '-0.3' or '0'."""
    return "0" if value == 0 else f"{value:+g}"


def plural(count: int, noun: str) -> str:
    """Return '1 article', '2 articles'."""
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def tone_share(totals: dict) -> str:
    """Return the line saying how many of the day's distinct articles have a tone, and why
    the others have none."""
    with_tone, distinct = totals["with_tone"], totals["distinct_articles"]
    share = round(100 * with_tone / distinct) if distinct else 0
    return (f"Tone measured for {with_tone} of {distinct} distinct stories ({share}%): "
            "tone is an English lexicon (VADER), and no maintained Russian one runs offline, "
            "so Russian and other articles have none.")
