"""The retag flow: re-apply the taxonomy in force (and the gazetteer) to stored articles."""

from __future__ import annotations

import time

from prefect import flow, task
from prefect.cache_policies import NO_CACHE

from extractors.actors import Gazetteer, find_actors, load_gazetteer
from extractors.focus import focus_marks, parse_focus
from extractors.records import ActorMention, ThemeTag
from extractors.taxonomy import Taxonomy, load_taxonomy
from extractors.themes import tag_text
from warehouse.days import set_day_timezone
from warehouse.db import open_warehouse
from warehouse.retag import article_pages, count_articles, replace_enrichment

from . import settings
from .console import progress
from .ledger import run_entry


@task(name="retag-batch", cache_policy=NO_CACHE)
def retag_batch(rows: list[tuple], taxonomy: Taxonomy,
                gazetteer: Gazetteer) -> tuple[list[ThemeTag], list[ActorMention]]:
    """Return the tags and actors of a batch of stored (article_id, title, text, language,
    source_country)."""
    tags, actors = [], []
    for article_id, title, text, _, source_country, *_ in rows:
        found = find_actors(article_id, title or "", text or "", gazetteer)
        actors.extend(found)
        tags.extend(tag_text(article_id, title or "", text or "", taxonomy, source_country,
                             found, gazetteer))
    return tags, actors


@flow(name="retag", log_prints=True)
def retag_flow(db: str | None = None, taxonomy: str | None = None,
               gazetteer: str | None = None, batch_size: int | None = None) -> dict:
    """Re-tag every stored article with the current taxonomy (and re-mark its focus under
    the `focus` setting); nothing is fetched.

    Idempotent: a second run with the same taxonomy writes the same rows and reports
    0 changed. Returns the counts (articles, changed, tags, elapsed_s, taxonomy_version).
    """
    db = db or str(settings.get("db"))
    batch_size = int(batch_size or settings.get("batch_size"))
    lock_wait_s = float(settings.get("lock_wait_s"))
    tax = load_taxonomy(taxonomy or settings.get("taxonomy") or None)
    gaz = load_gazetteer(gazetteer or settings.get("gazetteer") or None)
    focus = parse_focus(str(settings.get("focus")), gaz)
    t0 = time.perf_counter()
    summary = {"articles": 0, "changed": 0, "tags": 0, "taxonomy_version": tax.version}
    with open_warehouse(db, wait_s=lock_wait_s) as con:
        total = count_articles(con)
    after = ""
    with run_entry(db, "retag", {"db": db, "taxonomy": tax.path},
                   # days in the analyst's timezone before the run is recorded
                   prepare=lambda con, _: set_day_timezone(con, str(settings.get("timezone")))
                   ) as entry:
        entry.counts = lambda: {"seen": summary["articles"], "stored": summary["changed"],
                                "unchanged": summary["articles"] - summary["changed"]}
        with progress("retagging", total=total) as advance:
            while True:
                # One short connection per batch, so readers are not locked out for the run.
                with open_warehouse(db, wait_s=lock_wait_s) as con:
                    rows = next(article_pages(con, batch_size, after), [])
                    if not rows:
                        break
                    tags, actors = retag_batch(rows, tax, gaz)
                    ids = [r[0] for r in rows]
                    summary["changed"] += replace_enrichment(
                        con, ids, tags, actors, focus_marks(ids, actors, focus, gaz))
                after = rows[-1][0]
                summary["articles"] += len(rows)
                summary["tags"] += len(tags)
                advance(len(rows))
        summary["elapsed_s"] = round(time.perf_counter() - t0, 2)
    return summary
