"""The range of believable publication dates, and the check of a day a user gives against it."""

from __future__ import annotations

from datetime import date, datetime, timedelta

# A stated publication time outside [EARLIEST, first seen + MAX_AHEAD] is not used: a record
# dated 9999-12-31 made every later `digest --latest` a 9999 digest, and 0001-01-01 overflows
# date arithmetic. Two days ahead leaves room for timezones and clocks a little fast.
EARLIEST = datetime(1900, 1, 1)
MAX_AHEAD = timedelta(days=2)


def date_bounds(now: datetime) -> dict[str, datetime]:
    """Return the bounds a stated publication time must fall in, for an article seen `now`."""
    return {"earliest": EARLIEST, "latest": now + MAX_AHEAD}


def check_day(value: str, today: date) -> date:
    """Return `value` (YYYY-MM-DD) as a date; ValueError with a one-line message when it is
    not a date or lies outside the days an article can have."""
    try:
        day = date.fromisoformat(value.strip())
    except ValueError:
        raise ValueError(f"{value!r} is not a date: use YYYY-MM-DD, e.g. "
                         f"{today.isoformat()}") from None
    latest = today + MAX_AHEAD
    if not EARLIEST.date() <= day <= latest:
        raise ValueError(f"{day.isoformat()} is out of range: a day runs from "
                         f"{EARLIEST.date().isoformat()} to {latest.isoformat()}")
    return day
