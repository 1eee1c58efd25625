"""Russian as a first-class language: actor recall and search on the real RIA Novosti set.

    python benchmarks/russian.py [--corpus ../shared/corpus]

Prints, on themes/realmix-dev-ru.jsonl (97 RIA Novosti articles) and realmix-dev-en.jsonl:
- actor recall: of the articles whose text names an actor in any case (a stem regex
  written here), how many article_actors finds, with the aliases matched as written (the
  old behaviour; `--before FILE` takes the aliases of another gazetteer, e.g. the one
  before Russian aliases: `git show 6996654:extractors/gazetteer.toml > /tmp/old.toml`)
  and with the shipped gazetteer's case forms (actor_forms.json);
- search: articles found for each case form of a few nouns (the same set is the goal);
- English ranking: top-10 overlap with DuckDB's stock FTS index (Porter, its default stop
  words), which is how search ranked before per-language stemming.
Skips with a message when the corpus is absent.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
from datetime import datetime
from pathlib import Path
from types import SimpleNamespace

import duckdb

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from extractors.actors import find_actors, load_gazetteer, parse_gazetteer  # noqa: E402
from extractors.inflect import is_case_sensitive  # noqa: E402
from extractors.matcher import PhraseMatcher  # noqa: E402
from warehouse.db import load_fts, open_warehouse  # noqa: E402
from warehouse.load import load_batch  # noqa: E402
from warehouse.search import search  # noqa: E402

# An actor's name in any case, as a reader would spot it.
NAMED = {"India": r"\bИнди[яиюе]", "Ukraine": r"\bУкраин[аыеуо]", "Israel": r"\bИзраил",
         "Iran": r"\bИран", "China": r"\bКита[йяюе]", "Vladimir Putin": r"\bПутин",
         "Turkey": r"\bТурци", "Saudi Arabia": r"\bСаудовск\w+ Арави"}
SEARCH_FORMS = ["Индия Индии Индию Индией", "Украина Украины Украине Украину Украиной",
                "Китай Китая Китаю Китаем Китае", "санкция санкции санкций санкциями"]
ENGLISH_QUERIES = ["sanctions", "oil prices", "Russia Ukraine war", "tariffs trade",
                   "defence spending", "China", "Iran nuclear", "interest rates", "India",
                   "NATO summit"]


def read(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def actor_recall(records: list[dict], before: Path | None) -> None:
    gazetteer = load_gazetteer()
    old = parse_gazetteer(before.read_bytes()) if before else gazetteer
    as_written = PhraseMatcher((alias, a.id, a.case_sensitive or is_case_sensitive(alias))
                               for a in old.actors for alias in a.aliases)
    print("actor recall on RIA Novosti (articles naming the actor: found as written -> "
          "found in every case)")
    for actor, pattern in NAMED.items():
        naming = [r for r in records if re.search(pattern, f"{r['title']}\n{r['text']}")]
        old = sum(any(actor in p for _, _, p in
                      as_written.find(f"{r['title']}\n{r['text']}")) for r in naming)
        new = sum(actor in {m.actor for m in find_actors("a", r["title"], r["text"], gazetteer)}
                  for r in naming)
        print(f"  {actor:15s} {old:3d} -> {new:3d} of {len(naming)}")


def search_figures(records: list[dict], english: list[dict]) -> None:
    with tempfile.TemporaryDirectory(prefix="mw-ru-") as tmp:
        with open_warehouse(Path(tmp) / "w.duckdb") as con:
            load_batch(con, [SimpleNamespace(
                article_id=r["id"], key=r["id"], url=None, source=r["source"], title=r["title"],
                text=r["text"], content_hash=r["id"], word_count=len(r["text"].split()),
                simhash=0, origin="seed") for r in records + english], [], [],
                datetime(2024, 1, 1))
            print("search: articles found per case form (the same number, and set, is the goal)")
            for forms in SEARCH_FORMS:
                sets = {f: {h.article_id for h in search(con, f, limit=1000)} for f in forms.split()}
                same = len({frozenset(s) for s in sets.values()}) == 1
                print("  " + ", ".join(f"{f} {len(s)}" for f, s in sets.items())
                      + ("  (same set)" if same else "  (DIFFERENT sets)"))
            for query in ("S-400", "Su-57", "2026"):
                print(f"  {query}: {len(search(con, query, limit=1000))} articles")
            stock = duckdb.connect()
            load_fts(stock)
            stock.execute("create table articles (article_id varchar, title varchar, text varchar)")
            stock.executemany("insert into articles values (?, ?, ?)",
                              [(r["id"], r["title"], r["text"]) for r in english])
            stock.execute("pragma create_fts_index('articles', 'article_id', 'title', 'text')")
            overlaps = []
            for query in ENGLISH_QUERIES:
                ours = [h.article_id for h in search(con, query, limit=10)]
                theirs = [r[0] for r in stock.execute(
                    "select article_id, fts_main_articles.match_bm25(article_id, ?) as s "
                    "from articles where s is not null order by s desc, article_id limit 10",
                    [query]).fetchall()]
                overlaps.append(len(set(ours) & set(theirs)) / max(1, len(theirs)))
            print(f"English top-10 overlap with the stock index over {len(ENGLISH_QUERIES)} "
                  f"queries: mean {sum(overlaps) / len(overlaps):.2f}, min {min(overlaps):.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus")
    parser.add_argument("--before", type=Path, help="gazetteer whose aliases match as written")
    args = parser.parse_args()
    ru, en = (args.corpus / "themes" / f"realmix-dev-{lang}.jsonl" for lang in ("ru", "en"))
    if not ru.exists() or not en.exists():
        print(f"skipped: {ru} or {en} not found (pass --corpus)")
        return
    records = read(ru)
    actor_recall(records, args.before)
    search_figures(records, read(en))


if __name__ == "__main__":
    main()
