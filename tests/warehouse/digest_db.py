"""Build small real warehouses for digest tests: articles and tags written with SQL."""

from __future__ import annotations

import json
from datetime import date, datetime, time, timedelta

from warehouse import trend_counts
from warehouse.db import connect

DAY = date(2024, 7, 9)


def add_article(con, article_id: str, day: date, source: str, title: str, *,
                themes: dict[str, float] | None = None, url: str | None = None,
                duplicate_of: str | None = None, hour: int = 8, body: str | None = None) -> None:
    """Insert one article (published at `hour` UTC on `day`) and its theme tags, and count it
    in the daily counts the trend views read."""
    body = body or f"Body sentence of {article_id} about the deal."
    published = datetime.combine(day, time(hour))
    con.execute(
        "insert into articles (article_id, key, url, source, title, published_at, ingested_at,"
        " day, text, word_count, duplicate_of, content_hash, origin)"
        " values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'seed')",
        [article_id, f"id:{article_id}", url, source, title, published, published, day, body,
         len(body.split()), duplicate_of, f"hash-{duplicate_of or article_id}"],
    )
    for theme, score in (themes or {}).items():
        evidence = {"terms": {"deal": 1}, "sentences": [
            {"text": title, "start": 0, "end": len(title)},
            {"text": body, "start": len(title) + 1, "end": len(title) + 1 + len(body)},
        ]}
        con.execute("insert into article_themes values (?, ?, ?, ?, 'test')",
                    [article_id, theme, score, json.dumps(evidence)])
    trend_counts.add_ids(con, [article_id])  # what a load keeps, for rows written by hand


def build_warehouse(path, day: date = DAY):
    """Return a connection to a warehouse with a week of history before `day` and a busy `day`.

    defense: one article on each of the 3 days before, 3 distinct today (one syndicated twice);
    energy: one article the day before, none today.
    """
    con = connect(path)
    for n in (1, 2, 3):
        add_article(con, f"old-d{n}", day - timedelta(days=n), "Wire", f"Defense story {n}",
                    themes={"defense": 1.0})
    add_article(con, "old-e1", day - timedelta(days=1), "Energy Daily", "Oil story",
                themes={"energy": 2.0})
    add_article(con, "t1", day, "Wire", "Top defense story", url="https://wire.example/t1",
                themes={"defense": 5.0, "diplomacy": 1.0}, hour=6,
                body="India and Russia signed the S-400 deal.")
    add_article(con, "t1-copy", day, "Reprint Times", "Top defense story",
                themes={"defense": 5.0, "diplomacy": 1.0}, duplicate_of="t1", hour=7)
    add_article(con, "t1-copy2", day, "Another Paper", "Top defense story",
                themes={"defense": 5.0, "diplomacy": 1.0}, duplicate_of="t1", hour=9)
    add_article(con, "t2", day, "Wire", "Second defense story", themes={"defense": 3.0}, hour=10)
    add_article(con, "t3", day, "Gazette", "Third defense story", themes={"defense": 2.0}, hour=11)
    add_article(con, "t4", day, "Gazette", "Fourth defense story", themes={"defense": 1.0}, hour=12)
    return con
