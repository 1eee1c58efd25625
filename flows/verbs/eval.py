"""`mediawatch eval themes|stories`: tagging or story quality against gold labels.

The scoring is extractors/evaluate.py's (the benchmarks use the same); this prints it.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from extractors.evaluate import (evaluate, format_table, macro_f1, read_gold,
                                 read_gold_stories, score_stories, tag_gold, tags_per_article)
from extractors.keys import article_id, jsonl_key, seed_location
from extractors.taxonomy import load_taxonomy
from warehouse.db import open_warehouse
from warehouse.stories import stored_stories
from warehouse.themes import theme_sets

from .. import settings
from ..console import OUT, fail, say
from . import add_db, db_of, lock_wait_s


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("what", choices=["themes", "stories"], help="what to evaluate")
    p.add_argument("--gold", required=True,
                   help='JSONL of {"id", "title", "text", "labels": [...], "unsure": [...]} '
                   'records (themes; themes in "unsure" are not scored for that record) or '
                   '{"id", "story"} records (stories)')
    p.add_argument("--taxonomy", help="theme taxonomy TOML (default: the shipped one)")
    p.add_argument("--themes", help="comma-separated themes to score (default: gold labels)")
    add_db(p, help="score the tags stored in this warehouse (gold ingested as a .jsonl seed) "
           "instead of tagging the gold records in memory; stories are always read from "
           "the warehouse (default: the db setting)")


def stored_ids(records: list[dict], gold_path: str) -> dict[str, str]:
    """Return the article_id each gold record got when its file was ingested as a seed."""
    gold_file = seed_location(Path(gold_path), Path(settings.get("seeds")))
    return {str(r["id"]): article_id(jsonl_key(r, gold_file)) for r in records}


def run(args: argparse.Namespace) -> int:
    return run_stories(args) if args.what == "stories" else run_themes(args)


def run_themes(args: argparse.Namespace) -> int:
    gold_records = read_gold(args.gold)
    gold = {str(r["id"]): r.get("labels", []) for r in gold_records}
    unsure = {str(r["id"]): r.get("unsure") or [] for r in gold_records}
    themes = args.themes.split(",") if args.themes else None
    if args.db:
        ids = stored_ids(gold_records, args.gold)
        with open_warehouse(args.db, read_only=True) as con:
            stored_themes, stored = theme_sets(con, list(ids.values()))
        missing = sum(1 for a in ids.values() if a not in stored)
        if missing:
            say((f"{missing} of {len(ids)}", "yellow"), f" gold records are not in {args.db} "
                "(counted as untagged); ingest the gold file as a .jsonl seed first")
        predicted = {k: stored_themes.get(a, set()) for k, a in ids.items()}
        source = f"article_themes in {args.db}"
    else:
        tax = load_taxonomy(args.taxonomy or settings.get("taxonomy") or None)
        predicted = tag_gold(gold_records, tax)
        source = f"taxonomy {tax.path} (version {tax.version})"
    scores = evaluate(gold, predicted, themes, unsure)
    scored = [s.theme for s in scores]
    OUT.print(f"{len(gold)} gold records, tags from {source}", markup=False)
    OUT.print(format_table(scores), markup=False)
    OUT.print(f"tags per article {tags_per_article(predicted, scored):.2f} "
              f"(readers: {tags_per_article(gold, scored):.2f})", markup=False)
    say(("macro-F1", "bold"), f" {macro_f1(scores):.3f} over {len(scores)} themes")
    return 0


def run_stories(args: argparse.Namespace) -> int:
    records = read_gold_stories(args.gold)
    ids = stored_ids([record for record, _ in records], args.gold)
    gold = {ids[str(record["id"])]: story for record, story in records}
    db = db_of(args)
    with open_warehouse(db, read_only=True, wait_s=lock_wait_s()) as con:
        predicted = stored_stories(con, list(gold))
    missing = len(gold) - len(predicted)
    if missing:
        say((f"{missing} of {len(gold)}", "yellow"), f" gold records are not in {db} (left "
            "out); ingest the gold file as a .jsonl seed first")
    if not predicted:
        fail(f"none of the gold records is in {db}: ingest {args.gold} as a .jsonl seed first")
    score = score_stories(predicted, gold)
    OUT.print(f"{score.items} gold records in {score.gold_stories} gold stories; "
              f"{score.stories} stories in {db}")
    OUT.print(f"B-cubed precision {score.precision:.3f}  recall {score.recall:.3f}  "
              f"F1 {score.f1:.3f}  ARI {score.ari:.3f}")
    return 0
