"""The `mediawatch` command line: one verb per user task, over the flows and the warehouse."""

from __future__ import annotations

import argparse
import os
import signal
import sys
from pathlib import Path

from . import alerts, mirror, serve, settings, status
from .analyst import (
    add_export_parser,
    add_search_parser,
    cmd_export,
    cmd_search,
    cmd_shell,
    read_only_query,
)
from .console import ERR, OUT, configure_logging, day_option, fail, say


def add_db(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--db", help=f"DuckDB file (default {settings.get('db')}; env MEDIAWATCH_DB)")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="mediawatch",
        description="Media monitoring: ingest documents and feeds, tag themes with evidence, "
        "query trends in DuckDB, export daily digests.",
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="show Prefect's run logs")
    verbs = parser.add_subparsers(dest="verb", metavar="VERB", required=True)

    p = verbs.add_parser("ingest", help="ingest seed documents (and feeds) into the warehouse")
    p.add_argument("--seeds", help="folder of seed documents (default seeds/)")
    p.add_argument("--feeds", help="TOML feed list to poll (default seeds/feeds.toml)")
    p.add_argument("--taxonomy", help="theme taxonomy TOML (default: the shipped one)")
    p.add_argument("--batch-size", type=int, help="articles per batch (default 500)")
    p.add_argument("--watches", help="watch file (TOML) whose alerts to send (env MEDIAWATCH_WATCHES)")
    add_db(p)

    p = verbs.add_parser("digest", help="write the daily digest")
    p.add_argument("--date", help="day to digest, YYYY-MM-DD (default yesterday in --timezone)")
    p.add_argument("--latest", action="store_true", help="digest the latest day that has articles")
    p.add_argument("--out", help="exports folder (default exports/); files go to OUT/YYYY-MM-DD/")
    p.add_argument("--timezone", help=f"IANA timezone of 'yesterday' and of times shown "
                   f"(default {settings.get('timezone')}; env MEDIAWATCH_TIMEZONE)")
    add_db(p)

    p = verbs.add_parser("themes", help="print the taxonomy in force")
    p.add_argument("--taxonomy", help="theme taxonomy TOML (default: the shipped one)")
    p.add_argument("--terms", action="store_true", help="list every term and rule")

    p = verbs.add_parser("retag", help="re-apply the taxonomy and gazetteer to stored articles")
    p.add_argument("--taxonomy", help="theme taxonomy TOML (default: the shipped one)")
    p.add_argument("--gazetteer", help="actor gazetteer TOML (default: the shipped one)")
    p.add_argument("--batch-size", type=int, help="articles per batch (default 500)")
    add_db(p)

    p = verbs.add_parser("eval", help="measure tagging or story quality against gold labels")
    p.add_argument("what", choices=["themes", "stories"], help="what to evaluate")
    p.add_argument("--gold", required=True,
                   help='JSONL of {"id", "title", "text", "labels": [...], "unsure": [...]} '
                   'records (themes; themes in "unsure" are not scored for that record) or '
                   '{"id", "story"} records (stories)')
    p.add_argument("--taxonomy", help="theme taxonomy TOML (default: the shipped one)")
    p.add_argument("--themes", help="comma-separated themes to score (default: gold labels)")
    p.add_argument("--db", help="score the tags stored in this warehouse (gold ingested as "
                   "a .jsonl seed) instead of tagging the gold records in memory; stories "
                   "are always read from the warehouse (default: the db setting)")

    p = verbs.add_parser("stories", help="the day's stories by outlets, with their growth")
    p.add_argument("--date", help="day, YYYY-MM-DD (default: the latest day with articles)")
    p.add_argument("--theme", help="only stories with an article tagged with this theme id")
    p.add_argument("--focus", action="store_true",
                   help="only stories with a focus article (the relationship focus flag)")
    p.add_argument("--limit", type=int, default=20, help="at most this many (default 20)")
    add_db(p)

    p = verbs.add_parser("sql", help="run read-only SQL against the warehouse "
                         "(no query: an interactive DuckDB shell)")
    p.add_argument("query", nargs="?", help="the SQL query (omit it for the shell)")
    p.add_argument("--format", choices=["table", "csv", "json", "markdown"], default="table")
    p.add_argument("--read-files", action="store_true", help="let the query read local files "
                   "(read_csv, read_parquet, 'file.parquet'); by default it reads the "
                   "warehouse only. Writing is never allowed")
    add_db(p)

    add_search_parser(verbs, add_db)
    add_export_parser(verbs, add_db)

    serve.add_parser(verbs)
    status.add_parser(verbs)
    mirror.add_parser(verbs)
    alerts.add_parsers(verbs, add_db)
    return parser


def check_focus() -> None:
    """Refuse a `focus` setting the gazetteer does not know, before any work (ValueError)."""
    from extractors.actors import load_gazetteer
    from extractors.focus import parse_focus

    parse_focus(str(settings.get("focus")), load_gazetteer(settings.get("gazetteer") or None))


def cmd_ingest(args: argparse.Namespace) -> int:
    from .prefect_server import flow_run_settings, launch_local_api

    if args.seeds and not Path(args.seeds).is_dir():
        fail(f"--seeds {args.seeds}: no such folder")
    if args.feeds and not Path(args.feeds).is_file():
        fail(f"feed list {args.feeds} not found (--feeds): pass a TOML feed list")
    check_focus()
    if args.watches:  # the flow's tasks read it from the settings, like serve's runs
        os.environ[settings.BY_NAME["watches"].env] = args.watches
    alerts.current_watches()  # a bad watch file stops here, before any work
    # Prefect's server and the imports below both take seconds: start them side by side.
    api = launch_local_api()
    from prefect.exceptions import FailedRun

    from .extract_pool import shutdown_pool
    from .ingest import ingest_flow

    try:
        if api is not None:
            api.wait()
        with flow_run_settings():
            summary = ingest_flow(seeds=args.seeds, db=args.db, feeds=args.feeds,
                                  taxonomy=args.taxonomy, batch_size=args.batch_size)
    except FailedRun as exc:  # the run could not run; the flow says why and what to do
        fail(str(exc))
    finally:
        shutdown_pool()
    db = args.db or settings.get("db")
    say(
        ("ingest", "bold"), f" {summary['seen']} documents read: {summary['stored']} stored, "
        f"{summary['unchanged']} unchanged, {summary['duplicates']} duplicates, "
        f"{summary['failures']} failures in {summary['elapsed_s']:.1f} s -> {db}"
    )
    if summary.get("seed_files_unchanged"):
        ERR.print("  seed files unchanged since they were last read (skipped): "
                  f"{summary['seed_files_unchanged']}")
    if summary["feeds_polled"]:
        ERR.print(f"  feeds: {summary['feeds_polled']} polled, {summary['not_modified']} not "
                  f"modified (304), {summary['new_entries']} new entries")
    for reason, n in sorted(summary["failure_reasons"].items(), key=lambda kv: -kv[1])[:5]:
        example = summary["failure_examples"].get(reason, "")
        ERR.print(f"  {n} x {reason}" + (f" (e.g. {example[:120]})" if example else ""))
    if summary["failures"]:
        ERR.print("  details: mediawatch sql \"select stage, code, count(*), any_value(reason) "
                  "from ingest_failures where resolved_at is null group by all\"")
    return 0


def cmd_digest(args: argparse.Namespace) -> int:
    from .prefect_server import flow_run_settings, launch_local_api, start_local_api

    launch_local_api()  # starts while the checks and imports below run
    from warehouse.days import check_timezone

    from .digest import digest_flow

    if args.timezone:
        try:
            check_timezone(args.timezone, "--timezone")
        except ValueError as exc:
            fail(str(exc))
    if args.date and args.latest:
        fail("give --date or --latest, not both")
    db = args.db or str(settings.get("db"))
    if not Path(db).is_file():  # say so here, not in a failed flow run's traceback
        fail(f"no warehouse at {db}: run `mediawatch ingest` first, or pass --db")
    day_option(args.date, "--date")
    start_local_api()
    with flow_run_settings():
        result = digest_flow(day=args.date, out=args.out, db=db, latest=args.latest,
                             timezone=args.timezone)
    totals = result["totals"]
    note = " (no articles that day)" if result["empty"] else ""
    say(("digest", "bold"), f" {result['date']}: {totals['articles']} articles, "
              f"{totals['sources']} sources, {totals['failures']} failures{note}")
    for path in result["files"]:
        OUT.print(path)
    return 0


def cmd_themes(args: argparse.Namespace) -> int:
    from extractors.taxonomy import load_taxonomy

    tax = load_taxonomy(args.taxonomy or settings.get("taxonomy") or None)
    OUT.print(f"taxonomy {tax.path} (version {tax.version})", markup=False)
    s = tax.scoring
    OUT.print(f"scoring: damped past {s.reference_words} words; texts up to "
              f"{s.short_text_words} words keep the best theme per group", markup=False)
    for theme in tax.themes:
        group = f", group {theme.group}" if theme.group else ""
        langs = ", ".join(f"{lang} {len(t)}" for lang, t in theme.languages.items())
        extra = (f", articles {theme.article_threshold:g}"
                 if theme.article_threshold != theme.threshold else "")
        extra += f", needs {theme.parties} parties" if theme.parties else ""
        OUT.print(f"\n{theme.id} — {theme.label} (threshold {theme.threshold:g}{extra}{group}; "
                  f"terms: {langs}; proximity rules: {len(theme.near)})", markup=False)
        OUT.print(f"  {theme.description}", markup=False)
        if args.terms:
            for lang, terms in theme.languages.items():
                OUT.print(f"  [{lang}] " + ", ".join(f"{t} ({w:g})" for t, w in terms.items()),
                          markup=False)
            for rule in theme.near:
                OUT.print(f"  near: {', '.join(rule.terms)} within {rule.window} words of "
                          f"{', '.join(rule.partners)} ({rule.weight:g})", markup=False)
            if theme.exclude:
                OUT.print(f"  exclude: {', '.join(theme.exclude)}", markup=False)
        else:
            top = sorted(theme.terms.items(), key=lambda kv: -kv[1])[:12]
            OUT.print("  top terms: " + ", ".join(f"{t} ({w:g})" for t, w in top), markup=False)
    return 0


def cmd_retag(args: argparse.Namespace) -> int:
    from .prefect_server import flow_run_settings, launch_local_api, start_local_api

    launch_local_api()  # starts while the checks and imports below run
    from .retag import retag_flow

    db = args.db or settings.get("db")
    if not Path(db).exists():
        fail(f"no warehouse at {db}: run `mediawatch ingest` first, or pass --db")
    check_focus()
    start_local_api()
    with flow_run_settings():
        summary = retag_flow(db=args.db, taxonomy=args.taxonomy, gazetteer=args.gazetteer,
                             batch_size=args.batch_size)
    say(("retag", "bold"), f" {summary['articles']} articles, {summary['changed']} changed, "
              f"{summary['tags']} tags (taxonomy {summary['taxonomy_version']}) in "
              f"{summary['elapsed_s']:.1f} s")
    return 0


def cmd_stories(args: argparse.Namespace) -> int:
    from warehouse.db import open_warehouse
    from warehouse.digest import latest_day
    from warehouse.story_list import list_stories

    db = args.db or settings.get("db")
    day = day_option(args.date, "--date")
    with open_warehouse(db, read_only=True, wait_s=float(settings.get("lock_wait_s"))) as con:
        day = day or latest_day(con)
        if day is None:
            fail(f"no articles in {db}: run `mediawatch ingest` first")
        try:
            stories = list_stories(con, day, theme=args.theme, focus=args.focus,
                                   limit=max(1, args.limit))
        except LookupError as exc:
            fail(str(exc))
    if not stories:
        ERR.print(f"no stories on {day}")
        return 0
    say(("stories", "bold"), f" {day}: {len(stories)} shown, most outlets first")
    for rank, s in enumerate(stories, 1):
        growth = (f"+{s['articles_today']} today" if s["articles_before"] == 0 else
                  f"+{s['articles_today']} today, {s['articles_before']} before")
        langs = ", ".join(s["languages"] or [])
        OUT.print(f"{rank}. {s['title']}", markup=False)
        OUT.print(f"   {s['outlets']} outlets · {s['articles']} articles ({growth})"
                  + (f" · {s['copies']} copies" if s["copies"] else "")
                  + (f" · {langs}" if langs else "")
                  + (f" · {', '.join(s['themes'])}" if s["themes"] else "")
                  + f" · first seen {s['first_seen']:%Y-%m-%d %H:%M}", markup=False)
    return 0


def cmd_eval_stories(args: argparse.Namespace) -> int:
    from extractors.evaluate import read_gold_stories, score_stories
    from extractors.keys import article_id, jsonl_key, seed_location
    from warehouse.db import open_warehouse
    from warehouse.stories import stored_stories

    gold_file = seed_location(Path(args.gold), Path(settings.get("seeds")))
    gold = {article_id(jsonl_key(record, gold_file)): story
            for record, story in read_gold_stories(args.gold)}
    db = args.db or settings.get("db")
    with open_warehouse(db, read_only=True, wait_s=float(settings.get("lock_wait_s"))) as con:
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


def cmd_eval(args: argparse.Namespace) -> int:
    if args.what == "stories":
        return cmd_eval_stories(args)
    from extractors.evaluate import (evaluate, format_table, macro_f1, read_gold,
                                     tags_per_article)
    from extractors.keys import article_id, jsonl_key, seed_location
    from extractors.sources import load_sources
    from extractors.taxonomy import load_taxonomy
    from extractors.themes import tag_text

    gold_records = read_gold(args.gold)
    gold = {str(r["id"]): r.get("labels", []) for r in gold_records}
    unsure = {str(r["id"]): r.get("unsure") or [] for r in gold_records}
    themes = args.themes.split(",") if args.themes else None
    if args.db:
        from warehouse.db import open_warehouse
        from warehouse.themes import theme_sets

        gold_file = seed_location(Path(args.gold), Path(settings.get("seeds")))
        ids = {str(r["id"]): article_id(jsonl_key(r, gold_file)) for r in gold_records}
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
        # The home country as an ingest finds it: the record's own, else the outlet's.
        sources = load_sources()
        predicted = {str(r["id"]): {t.theme for t in tag_text(
            str(r["id"]), str(r.get("title") or ""), str(r.get("text") or ""), tax,
            r.get("source_country") or sources.country_of(r.get("source"), r.get("url")))}
            for r in gold_records}
        source = f"taxonomy {tax.path} (version {tax.version})"
    scores = evaluate(gold, predicted, themes, unsure)
    scored = [s.theme for s in scores]
    OUT.print(f"{len(gold)} gold records, tags from {source}", markup=False)
    OUT.print(format_table(scores), markup=False)
    OUT.print(f"tags per article {tags_per_article(predicted, scored):.2f} "
              f"(readers: {tags_per_article(gold, scored):.2f})", markup=False)
    say(("macro-F1", "bold"), f" {macro_f1(scores):.3f} over {len(scores)} themes")
    return 0


def cmd_sql(args: argparse.Namespace) -> int:
    import duckdb

    from warehouse.db import open_warehouse
    from warehouse.query import format_result

    if args.query is None:
        return cmd_shell(args)
    with open_warehouse(args.db or settings.get("db"), read_only=True,
                        wait_s=float(settings.get("lock_wait_s"))) as con:
        read_only_query(con, args.query, args.read_files)
        try:
            cursor = con.execute(args.query)
        except duckdb.PermissionException as exc:  # a file or URL, with access sealed off
            fail(f"{str(exc).splitlines()[0]}: `sql` reads only the warehouse; add --read-files "
                 "to let a query read local files")
        OUT.print(format_result(cursor, args.format), markup=False, end="")
    return 0


COMMANDS = {"ingest": cmd_ingest, "digest": cmd_digest, "themes": cmd_themes, "sql": cmd_sql,
            "retag": cmd_retag, "eval": cmd_eval, "stories": cmd_stories, "search": cmd_search, "export": cmd_export,
            "serve": serve.cmd_serve, "status": status.cmd_status, "mirror": mirror.cmd_mirror,
            "watches": alerts.cmd_watches, "alerts": alerts.cmd_alerts}


def main(argv: list[str] | None = None) -> int:
    """Run the `mediawatch` command line; returns the process exit code."""
    args = build_parser().parse_args(argv)
    configure_logging(args.verbose)
    import duckdb

    from warehouse.db import WarehouseBusy

    from .prefect_server import ServerDidNotStart

    if args.verb != "serve":  # serve has its own; a flow run has Prefect's meanwhile
        signal.signal(signal.SIGTERM, terminated)
    try:
        settings.check_all()  # a bad MEDIAWATCH_* value stops here, before any work
        return COMMANDS[args.verb](args)
    except (WarehouseBusy, ServerDidNotStart, FileNotFoundError, ValueError, duckdb.Error,
            *prefect_exceptions("FailedRun")) as exc:  # FailedRun: the flow said why and what to do
        fail(str(exc).strip())
    except (KeyboardInterrupt, *prefect_exceptions("TerminationSignal")) as exc:
        ERR.print("interrupted: work already committed is kept (an ingest loads whole batches);"
                  " run the same command again to finish")
        return 130 if type(exc) is KeyboardInterrupt else 128 + signal.SIGTERM
    return 1


def prefect_exceptions(*names: str) -> tuple[type[BaseException], ...]:
    """Return the named classes of prefect.exceptions if Prefect is loaded, else none.

    A command that never imported Prefect cannot have raised its exceptions, and importing
    it only to name them cost every command ~1 s of CPU before its work began (`status`
    runs no flow; `ingest` and `digest` import Prefect while their server starts)."""
    module = sys.modules.get("prefect.exceptions")
    return tuple(getattr(module, name) for name in names) if module else ()


class Terminated(KeyboardInterrupt):
    """SIGTERM (a service manager, `docker stop`): stop as for Ctrl-C."""


def terminated(signum: int, frame: object) -> None:
    raise Terminated


if __name__ == "__main__":
    sys.exit(main())
