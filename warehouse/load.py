"""Bulk loading of a batch (articles, theme tags, failures) in one transaction, via Arrow."""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime

import duckdb
import pyarrow as pa

from . import trend_counts
from .alerts import WatchSet, record_matches
from .dates import date_bounds
from .db import registered, sql, transaction
from .search import index_is_current, update_index
from .stories import StoryParams, assign_stories
from .thin import mark_thin

ARTICLE_SCHEMA = pa.schema(
    [
        ("article_id", pa.string()),
        ("key", pa.string()),
        ("url", pa.string()),
        ("source", pa.string()),
        ("title", pa.string()),
        ("author", pa.string()),
        ("published_at", pa.timestamp("us")),
        ("language", pa.string()),
        ("text", pa.string()),
        ("word_count", pa.int32()),
        ("tone", pa.float64()),
        ("content_hash", pa.string()),
        ("simhash", pa.int64()),
        ("origin", pa.string()),
        ("feed", pa.string()),
        ("guid", pa.string()),
        ("site_name", pa.string()),
        ("source_country", pa.string()),
        ("date_source", pa.string()),  # how published_at was known (see upsert_articles.sql)
        ("near_of", pa.string()),  # near-copy link decided before the load, if any
        ("location", pa.string()),  # the name its failures were recorded under; not stored
    ]
)
TAG_SCHEMA = pa.schema(
    [
        ("article_id", pa.string()),
        ("theme", pa.string()),
        ("score", pa.float64()),
        ("evidence", pa.string()),
        ("taxonomy_version", pa.string()),
    ]
)
ACTOR_SCHEMA = pa.schema(
    [
        ("article_id", pa.string()),
        ("actor", pa.string()),
        ("kind", pa.string()),
        ("mentions", pa.int32()),
    ]
)
FOCUS_SCHEMA = pa.schema(
    [
        ("article_id", pa.string()),
        ("focus", pa.string()),
        ("score", pa.float64()),
        ("is_focus", pa.bool_()),
        ("parties", pa.list_(pa.string())),
    ]
)
FAILURE_SCHEMA = pa.schema(
    [
        ("url", pa.string()),
        ("source", pa.string()),
        ("feed", pa.string()),
        ("stage", pa.string()),
        ("code", pa.string()),
        ("reason", pa.string()),
        ("http_status", pa.int32()),
        ("transient", pa.bool_()),
    ]
)


@dataclass(frozen=True)
class LoadCounts:
    """What a batch load changed: new, updated and unchanged articles, and copies found."""

    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    duplicates: int = 0
    failures: int = 0

    def __add__(self, other: LoadCounts) -> LoadCounts:
        return LoadCounts(*(a + b for a, b in zip(self.__dict__.values(), other.__dict__.values())))


def to_arrow(records: Sequence[object], schema: pa.Schema, renames: dict | None = None) -> pa.Table:
    """Return an Arrow table of the attributes named in `schema` (dict keys also work).

    Every name must be there: a field renamed in extractors/records.py raises here
    (AttributeError, KeyError) instead of loading a column of NULLs.
    """
    renames = renames or {}

    def value(record: object, name: str) -> object:
        attr = renames.get(name, name)
        if isinstance(record, dict):
            return record[attr]
        return getattr(record, attr)

    columns = {f.name: [value(r, f.name) for r in records] for f in schema}
    if "evidence" in columns:
        columns["evidence"] = [v if isinstance(v, str) else json.dumps(v, ensure_ascii=False)
                               for v in columns["evidence"]]
    return pa.table(columns, schema=schema)


def load_batch(
    con: duckdb.DuckDBPyConnection,
    articles: Sequence[object],
    tags: Sequence[object],
    failures: Sequence[object],
    now: datetime,
    near_links: dict[str, str] | None = None,
    actors: Sequence[object] = (),
    thin_keys: Sequence[tuple[str, int]] = (),
    story_features: dict[str, dict[str, float]] | None = None,
    story_params: StoryParams | None = None,
    focus: Sequence[object] = (),
    watches: WatchSet | None = None,
) -> LoadCounts:
    """Load one batch in a single transaction and return what changed.

    `near_links` maps an article_id to the first-seen article it nearly copies (see
    near_candidates); exact copies are linked here in any case.

    `articles`, `tags`, `failures` and `actors` are records with the attributes of the Arrow
    schemas above (the extractors' dataclasses). Tags and actors replace the stored ones of
    the articles that were inserted or updated; an unchanged article keeps its own. The
    full-text index takes in the inserted and updated articles in the same transaction
    (see warehouse/search.py).

    `thin_keys` are the (source, simhash) texts found to be boilerplate (warehouse/thin.py);
    `story_features` the similarity features of the batch's articles, by article_id: every
    new article joins a story in the same transaction (warehouse/stories.py).
    The `watches` match the batch in the same transaction too: their matches and alerts
    commit with the articles (see warehouse/alerts.py).
    """
    # The first record wins when a batch names one article twice (extractors/keys.py keeps
    # repeats out of a run; this keeps a direct caller's repeats from breaking the keys).
    by_id: dict[str, object] = {}
    for a in articles:
        by_id.setdefault(getattr(a, "article_id"), a)  # records, as before
    repeats = len(articles) - len(by_id)
    near_links = near_links or {}
    incoming = to_arrow([{**{f.name: getattr(a, f.name) for f in ARTICLE_SCHEMA
                             if f.name != "near_of"},
                          "near_of": near_links.get(i)} for i, a in by_id.items()], ARTICLE_SCHEMA)
    incoming = incoming.append_column("ingested_at", pa.array([now] * len(incoming), pa.timestamp("us")))
    incoming = incoming.append_column("batch_pos", pa.array(range(1, len(incoming) + 1), pa.int64()))
    failure_table = to_arrow(failures, FAILURE_SCHEMA, renames={"url": "location"})
    failure_table = failure_table.append_column(
        "seen_at", pa.array([now] * len(failure_table), pa.timestamp("us"))
    )
    with registered(con, incoming_all=incoming, incoming_failures=failure_table), \
            transaction(con):
        # Only new articles and those whose text changed go further (the staging table).
        staged = con.execute(sql("load/stage")).fetchall()  # (article_id, stored)
        changed = len(staged)
        delta = con.execute(sql("search/fingerprint_delta")).fetchone()
        existing = delta[0]
        index_was_current = changed > 0 and index_is_current(con)
        # only articles already stored counted before (first_seen is theirs)
        trend_counts.retract(con, "(select article_id from incoming where first_seen is not null)")
        con.execute(sql("upsert_articles"), date_bounds(now))
        con.execute(sql("upsert_articles_apply"))
        if changed:
            update_index(con, now, index_was_current, delta)
        # only stored articles have rows to replace: with none in the batch (the usual case)
        # the deletes read nothing, where they scanned every tag (benchmarks/scale.py)
        with enriched(con, [r[0] for r in staged], tags, actors, focus,
                      stored=[r[1] for r in staged]):
            replace_enriched(con, rows="loaded")
        mark_thin(con, thin_keys)
        assign_stories(con, list(by_id), story_features or {}, now, story_params,
                       inserted="inserted")
        # after everything the batch writes: watches read its tags, actors, focus, stories
        record_matches(con, watches, now)
        duplicates = con.execute(sql("load/copies")).fetchone()[0]
        if len(failure_table):
            con.execute(sql("failures_upsert"))
        con.execute(sql("load/finish"), {"now": now})
    return LoadCounts(
        inserted=changed - existing,
        updated=existing,
        unchanged=len(incoming) - changed,
        duplicates=duplicates + repeats,
        failures=len(failure_table),
    )


def first_per(records: Sequence[object], *names: str) -> list[object]:
    """Return the records (or dicts) in order, keeping only the first of those equal on
    `names`."""
    firsts: dict[tuple, object] = {}
    for record in records:
        get = record.get if isinstance(record, dict) else lambda n, r=record: getattr(r, n)
        firsts.setdefault(tuple(get(n) for n in names), record)
    return list(firsts.values())


@contextmanager
def enriched(con: duckdb.DuckDBPyConnection, article_ids: Sequence[str], tags: Sequence[object],
             actors: Sequence[object], focus: Sequence[object],
             stored: Sequence[bool] | None = None) -> Iterator[None]:
    """Make the new enrichment of `article_ids` queryable for the block, as `enriched_ids`,
    `enriched_tags`, `enriched_actors` and `enriched_focus` (what replace_enriched writes).
    `stored`: per article, whether it may have rows already (default: all may).
    A record repeated (same article and theme, actor) counts once."""
    ids = pa.table({"article_id": pa.array(list(article_ids), pa.string()),
                    "stored": pa.array(list(stored) if stored is not None
                                       else [True] * len(article_ids), pa.bool_())})
    tag_table = to_arrow(first_per(tags, "article_id", "theme"), TAG_SCHEMA)
    actor_table = to_arrow(first_per(actors, "article_id", "actor"), ACTOR_SCHEMA)
    focus_table = to_arrow(first_per(focus, "article_id"), FOCUS_SCHEMA)
    with registered(con, enriched_ids=ids, enriched_tags=tag_table,
                    enriched_actors=actor_table, enriched_focus=focus_table):
        yield


def replace_enriched(con: duckdb.DuckDBPyConnection, rows: str | None = None) -> None:
    """Replace the stored tags, actors and focus marks of `enriched_ids` with the new ones
    (inside an `enriched` block) and add what they count to the daily counts: the one rule
    for a load and a retag (sql/replace_enrichment.sql). Call it inside the writer's
    transaction, after trend_counts.retract of these articles. `rows`: a relation holding
    exactly their stored rows, when the caller has one (a load's `loaded`)."""
    con.execute(sql("replace_enrichment"))
    # the tags just inserted are enriched_tags' rows of these articles: cheaper to count
    # than a scan of article_themes
    trend_counts.add(con, "enriched_ids", tags="enriched_tags", rows=rows)


def near_candidates(con: duckdb.DuckDBPyConnection, fingerprints: Sequence[int], bands: int,
                    band_bits: int, min_words: int, max_hamming: int) -> list[tuple[str, int]]:
    """Return (article_id, simhash) of the stored first-seen articles within `max_hamming`
    bits of one of the batch's `fingerprints`, oldest first: the near copies' candidates."""
    if not fingerprints:
        return []
    if max_hamming // bands > 1:  # near_candidates.sql probes each band one bit wide at most
        raise ValueError(f"{bands} bands cannot find every fingerprint within {max_hamming} bits")
    table = pa.table({"simhash": pa.array(sorted(set(fingerprints)), pa.int64())})
    with registered(con, incoming_fingerprints=table):
        rows = con.execute(sql("near_candidates"), {
            "bands": bands, "band_bits": band_bits, "min_words": min_words,
            "max_hamming": max_hamming}).fetchall()
    return [(article_id, simhash) for article_id, simhash, _, _ in rows]
