"""The digest's "Top stories": the day's stories, widest carried first (see docs/digest.md)."""

from __future__ import annotations

from datetime import date

import duckdb
import pyarrow as pa

from .db import registered, sql

TOP_STORIES = 10
ARTICLES_PER_STORY = 8


def rows(con: duckdb.DuckDBPyConnection, name: str, params: dict) -> list[dict]:
    """Run `sql/digest/<name>.sql` with named parameters; return its rows as dicts."""
    cursor = con.execute(sql(f"digest/{name}"), params)
    columns = [d[0] for d in cursor.description]
    return [dict(zip(columns, r)) for r in cursor.fetchall()]


def story_section(con: duckdb.DuckDBPyConnection, day: date, labels: dict[str, str] | None,
                  label_of, iso_utc) -> list[dict]:
    """Return the top stories of `day`: headline, outlets, languages, first seen, articles
    (linked) and themes each with one evidence sentence. Copies count once."""
    if not con.execute("select count(*) from information_schema.tables "
                       "where table_schema = 'main' and table_name = 'stories'").fetchone()[0]:
        return []  # a warehouse from before stories
    top = rows(con, "stories", {"day": day, "limit": TOP_STORIES})
    if not top:
        return []
    with registered(con, digest_stories=pa.table({"story_id": [r["story_id"] for r in top]})):
        members = rows(con, "story_articles", {"per_story": ARTICLES_PER_STORY})
        evidence = rows(con, "story_themes", {})
    by_story: dict[str, list[dict]] = {}
    for r in members:
        by_story.setdefault(r["story_id"], []).append({
            "article_id": r["article_id"], "title": r["title"] or "", "source": r["source"],
            "url": r["url"], "language": r["language"],
            "published_at": iso_utc(r["published_at"]), "copy": bool(r["is_copy"])})
    sentences = {(r["story_id"], r["theme"]): r["evidence"] for r in evidence}
    return [{
        "story_id": r["story_id"],
        "title": r["title"] or "",
        "first_seen": iso_utc(r["first_seen"]),
        "last_seen": iso_utc(r["last_seen"]),
        "articles": int(r["articles"]),
        "articles_today": int(r["articles_today"]),
        "copies": int(r["copies"]),
        "outlets": int(r["outlets"]),
        "languages": list(r["languages"] or []),
        "themes": [{"theme": t, "label": label_of(t, labels),
                    "evidence": sentences.get((r["story_id"], t))} for t in r["themes"] or []],
        "links": by_story.get(r["story_id"], []),
    } for r in top]
