"""Digest queries: one day's coverage as plain, deterministic data (rendered by render_*.py).

The shape of the returned dict is the public JSON schema documented in docs/digest.md.
Sections that read tables other branches add (article_actors, feeds) are filled only when
those tables exist, so a digest works on any warehouse version.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import duckdb

from .db import sql
from .story_digest import story_section

SCHEMA = "mediawatch.digest/1"
TOP_PER_THEME = 3
TOP_ACTORS = 10
TOP_DYADS = 10
TOP_CLUSTERS = 10
TOP_FOCUS = 10
TREND_DAYS = 30
CSV_COLUMNS = ("article_id", "day", "published_at", "source", "title", "url", "themes",
               "duplicate_of", "word_count", "language")


def latest_day(con: duckdb.DuckDBPyConnection) -> date | None:
    """Return the most recent day with dated articles (when no article has a date at all, the
    most recent day with any), or None for an empty warehouse.

    An undated article sits on the day it was first seen: a first ingest of undated pages
    must not make that day the "latest" (and every theme spike on it)."""
    return con.execute("select coalesce(max(day) filter (where published_at is not null), "
                       "max(day)) from articles").fetchone()[0]


def has_table(con: duckdb.DuckDBPyConnection, name: str) -> bool:
    """Return True when a table or view called `name` exists in the main schema."""
    return con.execute(
        "select count(*) > 0 from information_schema.tables"
        " where table_schema = 'main' and table_name = ?",
        [name],
    ).fetchone()[0]


def rows(con: duckdb.DuckDBPyConnection, name: str, params: dict) -> list[dict]:
    """Run `sql/digest/<name>.sql` with named parameters; return its rows as dicts."""
    cursor = con.execute(sql(f"digest/{name}"), params)
    columns = [d[0] for d in cursor.description]
    return [dict(zip(columns, r)) for r in cursor.fetchall()]


def iso_utc(value: datetime | None) -> str | None:
    """Return a stored (naive UTC) timestamp as ISO 8601 with a Z, or None."""
    return value.isoformat(timespec="seconds") + "Z" if value else None


def link_url(url: str | None) -> str | None:
    """Return `url` when it is a plain http(s) link safe to put in a href, else None."""
    if not url:
        return None
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    if any(c.isspace() or ord(c) < 32 for c in url.strip()):
        return None
    return url.strip()


def direction(today: float, baseline: float) -> str:
    """Return 'up', 'down' or 'flat': today's count against the 7-day mean (2 decimals)."""
    delta = round(today - baseline, 2)
    return "up" if delta > 0 else "down" if delta < 0 else "flat"


def theme_label(theme: str, labels: dict[str, str] | None = None) -> str:
    """Return the label readers see for a theme id: the taxonomy's, else the id spelled out
    ("western_pressure" -> "Western pressure") for a theme the taxonomy no longer has."""
    if labels and labels.get(theme):
        return labels[theme]
    words = theme.replace("_", " ").strip()
    return words[:1].upper() + words[1:]


def theme_section(con: duckdb.DuckDBPyConnection, day: date,
                  labels: dict[str, str] | None = None) -> list[dict]:
    """Return each theme of the last 30 days: today vs 7-day mean, spike, series, top articles."""
    params = {"day": day}
    series: dict[str, list[int]] = {}
    for r in rows(con, "trend_30d", params):
        series.setdefault(r["theme"], []).append(int(r["articles"]))
    top: dict[str, list[dict]] = {}
    for r in rows(con, "top_articles", {"day": day, "per_theme": TOP_PER_THEME}):
        top.setdefault(r["theme"], []).append({
            "article_id": r["article_id"],
            "title": r["title"] or "",
            "source": r["source"],
            "published_at": iso_utc(r["published_at"]),
            "url": r["url"],
            "score": round(float(r["score"]), 4),
            "evidence": r["evidence"],
            "outlets": int(r["outlets"]),
        })
    themes = []
    for r in rows(con, "themes", params):
        avg = round(float(r["avg_7d"]), 2)
        themes.append({
            "theme": r["theme"],
            "label": theme_label(r["theme"], labels),
            "articles": int(r["articles"]),
            "share": round(float(r["share"]), 4),
            "avg_7d": avg,
            "delta": round(int(r["articles"]) - avg, 2),
            "direction": direction(int(r["articles"]), avg),
            "is_spike": bool(r["is_spike"]),
            "trend_30d": series.get(r["theme"], [0] * TREND_DAYS),
            "top_articles": top.get(r["theme"], []),
        })
    return themes


def actor_section(con: duckdb.DuckDBPyConnection, day: date) -> dict:
    """Return the top actors and actor pairs of the day (empty when actors are not extracted)."""
    if not has_table(con, "article_actors"):
        return {"available": False, "top": [], "dyads": []}
    top = rows(con, "actors", {"day": day, "limit": TOP_ACTORS})
    dyads = rows(con, "dyads", {"day": day, "limit": TOP_DYADS})
    return {
        "available": True,
        "top": [{"actor": r["actor"], "kind": r["kind"], "articles": int(r["articles"]),
                 "mentions": int(r["mentions"] or 0)} for r in top],
        "dyads": [{"actor_a": r["actor_a"], "actor_b": r["actor_b"],
                   "articles": int(r["articles"])} for r in dyads],
    }


def focus_section(con: duckdb.DuckDBPyConnection, day: date,
                  labels: dict[str, str] | None = None) -> dict:
    """Return the day's focus articles (they name every party of the `focus` setting) and
    their themes: the digest leads with them. Empty when article_focus does not exist."""
    if not has_table(con, "article_focus"):
        return {"available": False, "focus": None, "articles": [], "themes": []}
    articles = rows(con, "focus_articles", {"day": day, "limit": TOP_FOCUS})
    themes = rows(con, "focus_themes", {"day": day})
    focus = con.execute("select focus from article_focus limit 1").fetchone()
    return {
        "available": True,
        "focus": articles[0]["focus"] if articles else (focus[0] if focus else None),
        "themes": [{"theme": r["theme"], "label": theme_label(r["theme"], labels),
                    "articles": int(r["articles"]), "share": round(float(r["share"]), 4)}
                   for r in themes],
        "articles": [{
            "article_id": r["article_id"], "title": r["title"] or "", "source": r["source"],
            "published_at": iso_utc(r["published_at"]), "url": r["url"],
            "themes": [theme_label(t, labels) for t in r["themes"]],
            "evidence": r["evidence"],
        } for r in articles],
    }


def health_section(con: duckdb.DuckDBPyConnection, day: date) -> dict:
    """Return failing feeds (when the feeds table exists) and the day's failures per source."""
    feeds_available = has_table(con, "feeds")
    failing = []
    if feeds_available:
        failing = [{
            "name": r["name"],
            "url": r["url"],
            "last_status": None if r["last_status"] is None else str(r["last_status"]),
            "consecutive_failures": int(r["consecutive_failures"] or 0),
            "last_success_at": iso_utc(r["last_success_at"]),
            "last_error": r["last_error"],
        } for r in rows(con, "failing_feeds", {})]
    by_source = [{"source": r["source"], "stage": r["stage"], "code": r["code"],
                  "failures": int(r["failures"]), "example_reason": r["example_reason"]}
                 for r in rows(con, "failures_by_source", {"day": day})]
    return {"feeds_available": feeds_available, "failing_feeds": failing,
            "failures_by_source": by_source}


def trend_window(con: duckdb.DuckDBPyConnection) -> dict:
    """Return what the trends cover and leave out (the monitored_window view), as plain data."""
    if not has_table(con, "monitored_window"):  # a warehouse from before migration 012
        return {"first_day": None, "last_day": None, "undated_articles": 0, "before_window": 0}
    first, last, undated, before = con.execute(
        "select first_day, last_day, undated_articles, before_window from monitored_window"
    ).fetchone()
    return {"first_day": first.isoformat() if first else None,
            "last_day": last.isoformat() if last else None,
            "undated_articles": int(undated or 0), "before_window": int(before or 0)}


def digest_data(con: duckdb.DuckDBPyConnection, day: date, timezone: str = "UTC",
                labels: dict[str, str] | None = None) -> dict:
    """Return the digest of `day` as plain data with stable keys and a deterministic order.

    `timezone` says how renderers show times; days are the warehouse's `day`, which is in
    the timezone the warehouse was last aligned to (warehouse/days.py: the digest flow aligns
    it to this one first).
    `labels` maps theme ids to what readers see (the taxonomy's labels).
    """
    ZoneInfo(timezone)  # fail early on an unknown timezone name
    totals = rows(con, "totals", {"day": day})[0]
    clusters = rows(con, "clusters", {"day": day, "limit": TOP_CLUSTERS})
    return {
        "schema": SCHEMA,
        "date": day.isoformat(),
        "timezone": timezone,
        "empty": not totals["articles"],
        "totals": {k: int(totals[k] or 0) for k in
                   ("articles", "distinct_articles", "duplicates", "sources", "failures",
                    "undated", "with_tone")},
        "stories": story_section(con, day, labels, theme_label, iso_utc),
        "trend_window": trend_window(con),
        "trend_days": [(day - timedelta(days=TREND_DAYS - 1 - i)).isoformat()
                       for i in range(TREND_DAYS)],
        "focus": focus_section(con, day, labels),
        "themes": theme_section(con, day, labels),
        "actors": actor_section(con, day),
        "syndication": [{
            "story_id": r["story_id"], "title": r["title"] or "", "source": r["source"],
            "url": r["url"], "outlets": int(r["outlets"]), "copies": int(r["copies"]),
            "sources": list(r["sources"]),
        } for r in clusters],
        "source_health": health_section(con, day),
    }


def digest_articles(con: duckdb.DuckDBPyConnection, day: date) -> list[dict]:
    """Return every article of `day` (copies included) as rows for articles.csv."""
    out = []
    for r in rows(con, "articles_csv", {"day": day}):
        r["day"] = r["day"].isoformat()
        r["published_at"] = iso_utc(r["published_at"])
        out.append({k: r[k] for k in CSV_COLUMNS})
    return out
