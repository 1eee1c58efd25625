"""Watches in the warehouse: matching articles, the alerts outbox, and delivery bookkeeping.

A batch load calls `record_matches` inside its transaction: the matches and the `new`
alerts are committed with the articles that produced them, or not at all. Digest and spike
alerts are derived from the recorded matches by `emit_periodic` before each delivery pass.
Every alert row has an idempotency key (watch/trigger/subject/day) as its primary key with
the channel, and is inserted with `insert or ignore`: a rerun, a retag or a second pass
never adds a second alert for the same thing. Sending is not done here (see
extractors/notify.py and flows/alerts.py); this module says what is due and records what
happened. The delivery guarantee is written down in docs/alerts.md.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import duckdb
import pyarrow as pa

from .alert_render import render
from .db import registered, sql, transaction
from .search import index_exists
from .watches import Watch

MATCH_SCHEMA = pa.schema([("watch", pa.string()), ("article_id", pa.string()),
                          ("day", pa.date32()), ("matched_at", pa.timestamp("us")),
                          ("score", pa.float64()), ("terms", pa.list_(pa.string()))])
ALERT_COLUMNS = ("alert_key", "channel", "watch", "trigger", "day", "article_id", "articles",
                 "created_at", "status", "title", "body_text", "body_json")
MAX_DIGEST_ARTICLES = 50  # a digest alert lists at most this many (and says how many more)


@dataclass(frozen=True)
class WatchSet:
    """The watches in force, and how old an article may be and still fire an alert."""

    watches: tuple[Watch, ...]
    max_age_days: int = 3  # an archive or a backfill records matches but does not page anyone

    def __bool__(self) -> bool:
        return bool(self.watches)


@dataclass(frozen=True)
class Match:
    """One article a watch matched, with the query's score and terms found."""

    watch: str
    article_id: str
    day: date
    score: float | None
    terms: tuple[str, ...]


@dataclass(frozen=True)
class Outgoing:
    """One alert to send on one channel."""

    alert_key: str
    channel: str
    watch: str
    title: str
    body_text: str
    body_json: str
    attempts: int


def alert_key(watch: str, trigger: str, subject: str, day: date) -> str:
    """Return the idempotency key of an alert: the same thing always gets the same key."""
    return f"{watch}/{trigger}/{subject}/{day.isoformat()}"


def has_table(con: duckdb.DuckDBPyConnection, table: str) -> bool:
    """Return whether the warehouse has `table` (a feature another migration adds)."""
    return con.execute("select count(*) from duckdb_tables() where table_name = ?",
                       [table]).fetchone()[0] > 0


def match_watch(con: duckdb.DuckDBPyConnection, watch: Watch, candidates: str) -> list[Match]:
    """Return the articles of the relation `candidates` (a table or view with an article_id
    column) that `watch` matches. Without a search index, a watch with a query matches none."""
    con.execute(f"create or replace temp view watch_candidates as "  # our own relation name
                f"select article_id from {candidates}")
    if watch.themes or watch.actors or watch.dyad or watch.sources or watch.languages:
        rows = con.execute(sql("alerts/match"), {
            "themes": list(watch.themes), "actors": list(watch.actors),
            "dyad": list(watch.dyad), "sources": list(watch.sources),
            "languages": list(watch.languages)}).fetchall()
    else:  # a query (or focus) alone: every distinct candidate goes on to it
        rows = con.execute("select a.article_id, a.day from articles a semi join "
                           "watch_candidates using (article_id) where a.duplicate_of is null"
                           ).fetchall()
    if watch.focus and rows:
        if not has_table(con, "article_focus"):
            raise ValueError(f"watch {watch.name}: focus = true needs the focus marks "
                             "(article_focus), which this warehouse does not have yet")
        focus = {r[0] for r in con.execute(
            "select article_id from article_focus where is_focus and list_contains(?, article_id)",
            [[r[0] for r in rows]]).fetchall()}
        rows = [r for r in rows if r[0] in focus]
    if not watch.query:
        return [Match(watch.name, a, d, None, ()) for a, d in rows]
    if not rows or not index_exists(con):
        return []
    days = dict(rows)
    with registered(con, watch_query_ids=pa.table({"article_id": list(days)})):
        found = dict(con.execute(sql("alerts/match_query"), {"query": watch.query}).fetchall())
    if not found:
        return []
    # the score `mediawatch search` ranks by, for the alert to show
    scores = dict(con.execute(
        "select article_id, fts_main_articles.match_bm25(article_id, $query) from articles "
        "where list_contains($ids, article_id)", {"query": watch.query, "ids": list(found)}
    ).fetchall())
    return [Match(watch.name, a, days[a], scores.get(a), tuple(terms))
            for a, terms in found.items()]


def article_facts(con: duckdb.DuckDBPyConnection, article_ids: Sequence[str]) -> dict[str, dict]:
    """Return what an alert says about each article (columns, themes with evidence) by id."""
    if not article_ids:
        return {}
    with registered(con, alert_article_ids=pa.table({"article_id": list(article_ids)})):
        cursor = con.execute(sql("alerts/facts"))
        columns = [d[0] for d in cursor.description]
        facts = [dict(zip(columns, row)) for row in cursor.fetchall()]
    for fact in facts:
        for theme in fact["themes"]:
            evidence = theme["evidence"]
            theme["evidence"] = json.loads(evidence) if isinstance(evidence, str) else evidence
    return {f["article_id"]: f for f in facts}


def insert_alerts(con: duckdb.DuckDBPyConnection, alerts: list[dict]) -> int:
    """Insert alert rows (one per channel) unless their key is already there; returns how
    many were new."""
    if not alerts:
        return 0
    table = pa.table({c: [a[c] for a in alerts] for c in ALERT_COLUMNS})
    with registered(con, new_alerts=table):
        # an insert answers with the number of rows it wrote (the ignored ones not counted)
        return con.execute("insert or ignore into alerts by name select * from new_alerts"
                           ).fetchone()[0]


def alert_rows(watch: Watch, trigger: str, subject: str, day: date, now: datetime,
               facts: list[dict], matches: dict[str, Match], extra: dict | None = None) -> list[dict]:
    """Return one outbox row per channel of `watch` for one alert."""
    key = alert_key(watch.name, trigger, subject, day)
    title, text, body = render(key, watch, trigger, day, facts, matches, extra or {})
    return [{"alert_key": key, "channel": channel, "watch": watch.name, "trigger": trigger,
             "day": day, "article_id": facts[0]["article_id"] if trigger == "new" else None,
             "articles": body["articles_total"], "created_at": now, "status": "pending",
             "title": title, "body_text": text, "body_json": json.dumps(body, default=str)}
            for channel in watch.notify]


def record_matches(con: duckdb.DuckDBPyConnection, watches: WatchSet | None, now: datetime,
                   candidates: str = "incoming") -> int:
    """Record which watches match the articles of `candidates` and queue their `new` alerts.

    Called by the batch load inside its transaction (candidates: its `incoming` table), so
    matches and alerts commit with the articles. Returns how many alert rows were queued.
    """
    if not watches:
        return 0
    queued = 0
    oldest = now.date() - timedelta(days=watches.max_age_days)
    for watch in watches.watches:
        matches = match_watch(con, watch, candidates)
        if not matches:
            continue
        table = pa.table({"watch": [m.watch for m in matches],
                          "article_id": [m.article_id for m in matches],
                          "day": [m.day for m in matches], "matched_at": [now] * len(matches),
                          "score": [m.score for m in matches],
                          "terms": [list(m.terms) for m in matches]}, schema=MATCH_SCHEMA)
        with registered(con, new_matches=table):
            con.execute("insert or ignore into watch_matches by name select * from new_matches")
        if watch.trigger != "new":
            continue  # digest and spike alerts come from the recorded matches
        recent = {m.article_id: m for m in matches if m.day >= oldest}
        facts = article_facts(con, list(recent))
        rows = [row for article_id, fact in facts.items()
                for row in alert_rows(watch, "new", f"article:{article_id}", fact["day"], now,
                                      [fact], recent)]
        queued += insert_alerts(con, rows)
    return queued


def rematch_queries(con: duckdb.DuckDBPyConnection, watches: WatchSet | None, since: datetime,
                    now: datetime) -> int:
    """Match the query watches against the articles stored or changed since `since`, in one
    transaction; returns the alert rows queued.

    For an ingest whose loads found the search index behind (they leave it to the rebuild
    at the end of the ingest, so their query watches saw nothing): run it after the rebuild.
    Matches and alerts already recorded are left as they are (their keys).
    """
    queries = tuple(w for w in (watches.watches if watches else ()) if w.query)
    if not queries:
        return 0
    with transaction(con):
        con.execute("create or replace temp table rematch_articles as select article_id "
                    "from articles where coalesce(updated_at, ingested_at) >= ?", [since])
        return record_matches(con, WatchSet(queries, watches.max_age_days), now,
                              "rematch_articles")


def recorded_matches(con: duckdb.DuckDBPyConnection, watch: str, ids: Sequence[str]) -> dict[str, Match]:
    """Return the recorded matches of `watch` among `ids`, by article id."""
    rows = con.execute("select article_id, day, score, terms from watch_matches "
                       "where watch = ? and list_contains(?, article_id)", [watch, list(ids)])
    return {a: Match(watch, a, d, s, tuple(t or ())) for a, d, s, t in rows.fetchall()}


def emit_periodic(con: duckdb.DuckDBPyConnection, watches: WatchSet | None, now: datetime) -> int:
    """Queue the digest alerts of closed periods and the spike alerts of recent days.

    Idempotent: an alert already queued for a (watch, period) or (watch, day) is not added
    again. Returns how many alert rows were queued.
    """
    if not watches:
        return 0
    queued = 0
    oldest = now.date() - timedelta(days=watches.max_age_days)
    for watch in watches.watches:
        if watch.trigger == "digest":
            rows = con.execute(sql("alerts/digest_periods"), {
                "watch": watch.name, "period": watch.period, "today": now.date(),
                "oldest": oldest}).fetchall()
            for period_start, ids in rows:
                shown = list(ids)[:MAX_DIGEST_ARTICLES]
                facts = article_facts(con, shown)
                alerts = alert_rows(watch, "digest", watch.period, period_start, now,
                                    list(facts.values()), recorded_matches(con, watch.name, shown),
                                    {"period": watch.period, "articles_total": len(ids)})
                queued += insert_alerts(con, alerts)
        elif watch.trigger == "spike":
            rows = con.execute(sql("alerts/watch_spikes"), {
                "watch": watch.name, "oldest": oldest}).fetchall()
            for day, articles, share_28d, zscore, ids in rows:
                shown = list(ids)[:MAX_DIGEST_ARTICLES]
                facts = article_facts(con, shown)
                alerts = alert_rows(watch, "spike", "count", day, now, list(facts.values()),
                                    recorded_matches(con, watch.name, shown),
                                    {"articles_total": int(articles),
                                     "share_28d": share_28d, "zscore": zscore})
                queued += insert_alerts(con, alerts)
    return queued


def due_alerts(con: duckdb.DuckDBPyConnection, now: datetime, limit: int = 1000) -> list[Outgoing]:
    """Return the pending alerts due for an attempt, oldest first."""
    return [Outgoing(*row) for row in
            con.execute(sql("alerts/due"), {"now": now, "limit": limit}).fetchall()]


def mark_sent(con: duckdb.DuckDBPyConnection, key: str, channel: str, now: datetime) -> None:
    """Record that the alert `key` was delivered on `channel`."""
    con.execute("update alerts set status = 'sent', sent_at = ?, last_attempt_at = ?, "
                "attempts = attempts + 1, last_error = null, next_attempt_at = null "
                "where alert_key = ? and channel = ?", [now, now, key, channel])


def retry_delay(attempts: int, first_s: float, max_s: float = 3600.0) -> timedelta:
    """Return how long a pending alert waits after its `attempts`-th failed pass: doubling."""
    return timedelta(seconds=min(max_s, first_s * 2 ** max(0, attempts - 1)))


def mark_failed(con: duckdb.DuckDBPyConnection, key: str, channel: str, now: datetime,
                error: str, max_attempts: int, first_delay_s: float) -> str:
    """Record a failed delivery pass; returns the alert's status now (pending or failed).

    The alert stays pending, with its next attempt backed off, until `max_attempts` passes
    have failed; then it is `failed` and no longer tried. The channel's other pending alerts
    are not tried before the same time.
    """
    attempts = con.execute("select attempts + 1 from alerts where alert_key = ? and channel = ?",
                           [key, channel]).fetchone()[0]
    status = "failed" if attempts >= max_attempts else "pending"
    retry_at = now + retry_delay(attempts, first_delay_s)
    con.execute("update alerts set status = ?, attempts = ?, last_attempt_at = ?, "
                "last_error = ?, next_attempt_at = ? where alert_key = ? and channel = ?",
                [status, attempts, now, error[:1000], retry_at, key, channel])
    # The channel is down, not just this alert: its other pending alerts wait as long.
    con.execute("update alerts set next_attempt_at = ? where channel = ? and status = 'pending' "
                "and (next_attempt_at is null or next_attempt_at < ?)", [retry_at, channel, retry_at])
    return status


def channel_status(con: duckdb.DuckDBPyConnection) -> list[dict] | None:
    """Return delivery per channel (pending, failed, sent, last error); None before any alert."""
    if not has_table(con, "alerts"):
        return None
    cursor = con.execute(sql("alerts/status"))
    columns = [d[0] for d in cursor.description]
    rows = [dict(zip(columns, r)) for r in cursor.fetchall()]
    return rows or None


def watch_activity(con: duckdb.DuckDBPyConnection) -> dict[str, dict]:
    """Return matches, alerts and the last fire of each watch that has any, by name."""
    if not has_table(con, "alerts"):  # a warehouse no ingest has migrated to alerts yet
        return {}
    cursor = con.execute(sql("alerts/watches"))
    columns = [d[0] for d in cursor.description]
    return {row[0]: dict(zip(columns, row)) for row in cursor.fetchall()}


def list_alerts(con: duckdb.DuckDBPyConnection, status: str | None, limit: int) -> list[dict]:
    """Return the most recent alerts (all, or those with `status`), newest first."""
    if not has_table(con, "alerts"):
        return []
    cursor = con.execute(
        "select created_at, watch, trigger, status, attempts, sent_at, channel, title, "
        "last_error, alert_key from alerts where ? is null or status = ? "
        "order by created_at desc, alert_key, channel limit ?", [status, status, limit])
    columns = [d[0] for d in cursor.description]
    return [dict(zip(columns, r)) for r in cursor.fetchall()]


def dry_run(con: duckdb.DuckDBPyConnection, watches: WatchSet, since: date,
            now: datetime) -> tuple[int, list[dict]]:
    """Return how many articles from `since` on the watches match and the alerts they would
    fire, as if each article had been found on its own day. Writes nothing to the
    warehouse: the matching and the outbox run on temporary tables that shadow the real
    ones (so a read-only connection will do).
    """
    from .db import MIGRATIONS_DIR

    ddl = (MIGRATIONS_DIR / "013_alerts.sql").read_text(encoding="utf-8")
    con.execute(ddl.replace("create table if not exists ", "create or replace temp table "))
    con.execute("create or replace temp table test_candidates as "
                "select article_id from articles where day >= ?", [since])
    record_matches(con, watches, now, "test_candidates")
    con.execute("update temp.watch_matches set matched_at = cast(day as timestamp)")
    emit_periodic(con, watches, now)
    matched = con.execute("select count(*) from temp.watch_matches").fetchone()[0]
    cursor = con.execute("select any_value(day) as day, any_value(trigger) as trigger, "
                         "any_value(articles) as articles, any_value(title) as title, alert_key "
                         "from temp.alerts group by alert_key order by day, alert_key")
    columns = [d[0] for d in cursor.description]
    return matched, [dict(zip(columns, r)) for r in cursor.fetchall()]
