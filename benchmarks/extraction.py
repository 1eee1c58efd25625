"""Extraction quality: P/R/F1 of our extraction vs plain `trafilatura.extract` defaults.

Metric of the public article-extraction benchmark (scrapinghub/article-extraction-benchmark):
word 4-gram shingles per page (tokens `\\w+`), per-page TP/FP/FN normalised to sum to 1,
precision and recall averaged over pages, F1 of the two averages.

    .venv/bin/python benchmarks/extraction.py [--corpus ../shared/corpus/extraction] [--all]
        [--rerun-thresholds] [--cv]

`--all` also scores a few trafilatura configurations (how extractors/html.py was chosen);
`--rerun-thresholds` scores when to re-run the full pass after the fast one; `--cv`
cross-validates trafilatura's options (k-fold on the pages: how extractors/html.py's
OPTIONS were chosen, see docs/decisions.md).
Skips with a message when the corpus is absent (it is never copied into the repository).
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import trafilatura

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from extractors.html import CONFIG, FULL_EXTRACTION_BELOW_WORDS  # noqa: E402 - after the path fix
from extractors.pipeline import build_article  # noqa: E402
from extractors.records import Failure, SourceDocument  # noqa: E402

DEFAULT_CORPUS = ROOT.parent / "shared" / "corpus" / "extraction"
TOKEN = re.compile(r"\w+", re.UNICODE)
NGRAM = 4


def shingles(text: str) -> Counter:
    """Return the multiset of word 4-grams of `text`."""
    tokens = TOKEN.findall(text or "")
    return Counter(tuple(tokens[i : i + NGRAM]) for i in range(len(tokens) - NGRAM + 1))


def match(truth: str, predicted: str) -> tuple[float, float, float]:
    """Return one page's (tp, fp, fn) over shingles, normalised to sum to 1."""
    t, p = shingles(truth), shingles(predicted)
    tp = sum((t & p).values())
    fp = sum((p - t).values())
    fn = sum((t - p).values())
    total = tp + fp + fn
    return (tp / total, fp / total, fn / total) if total else (0.0, 0.0, 0.0)


def score(pages: list[tuple[float, float, float]]) -> tuple[float, float, float]:
    """Return (precision, recall, F1): P and R averaged over pages, F1 of the averages."""
    precision = statistics.mean(tp / (tp + fp) if tp + fp else 1.0 for tp, fp, _ in pages)
    recall = statistics.mean(tp / (tp + fn) if tp + fn else 1.0 for tp, _, fn in pages)
    return precision, recall, 2 * precision * recall / (precision + recall)


def load_corpus(folder: Path) -> list[tuple[str, str, str, str]]:
    """Return (id, url, html, true body) of every page in the corpus folder."""
    truth = json.loads((folder / "ground-truth.json").read_text(encoding="utf-8"))
    pages = []
    for path in sorted((folder / "html").glob("*.html.gz")):
        page_id = path.name.removesuffix(".html.gz")
        if page_id in truth:
            html = gzip.decompress(path.read_bytes()).decode("utf-8", errors="replace")
            pages.append((page_id, truth[page_id].get("url"), html, truth[page_id]["articleBody"]))
    return pages


def plain(**options) -> Callable[[str, str], str]:
    def run(html: str, url: str) -> str:
        return trafilatura.extract(html, url=url, config=CONFIG, **options) or ""
    return run


def ours(html: str, url: str) -> str:
    """The pipeline's text of a fetched page: extraction, then normalisation."""
    doc = SourceDocument(key=url, origin="feed", source="benchmark", location=url, url=url,
                         html=html)
    built = build_article(doc)
    return "" if isinstance(built, Failure) else built.text


CANDIDATES = {
    "trafilatura.extract defaults": plain(),
    "mediawatch pipeline (build_article)": ours,
}
EXTRA = {
    "favor_precision=True": plain(favor_precision=True),
    "fast=True, include_comments=False": plain(fast=True, include_comments=False),
    "favor_precision, no comments": plain(favor_precision=True, include_comments=False),
    "favor_precision, no comments, no tables": plain(
        favor_precision=True, include_comments=False, include_tables=False),
    "fast, favor_precision, no comments": plain(
        fast=True, favor_precision=True, include_comments=False),
}


def evaluate(pages: list, extract: Callable[[str, str], str]) -> tuple[float, float, float]:
    """Return (precision, recall, F1) of `extract` over the corpus pages."""
    return score([match(body, extract(html, url)) for _, url, html, body in pages])


def rerun_thresholds(pages: list, thresholds=(0, 25, 50, 100, 200, 400)) -> None:
    """Print F1 and CPU ms a page for each `FULL_EXTRACTION_BELOW_WORDS` candidate: the full
    trafilatura pass re-runs when the fast one found fewer words (how 50 was chosen)."""
    from extractors.html import _bare
    from extractors.normalise import normalise_text

    rows = []
    for _, url, html, body in pages:
        tree = trafilatura.load_html(html)
        t0 = time.process_time()
        fast = _bare(tree, url, fast=True)
        t1 = time.process_time()
        full = _bare(tree, url, fast=False)
        t2 = time.process_time()
        fast_text = (fast.text or "") if fast is not None else ""
        full_text = (full.text or "") if full is not None else fast_text
        rows.append((len(fast_text.split()), match(body, normalise_text(fast_text)),
                     match(body, normalise_text(full_text)), t1 - t0, t2 - t1))
    print("\n| re-run below (words) | pages re-run | F1 | extraction CPU ms/page |")
    print("| --- | --- | --- | --- |")
    for limit in thresholds:
        chosen = [full if words < limit else fast for words, fast, full, _, _ in rows]
        cost = sum(a + (b if words < limit else 0) for words, _, _, a, b in rows) / len(rows)
        rerun = sum(words < limit for words, *_ in rows)
        print(f"| {limit} | {rerun} | {score(chosen)[2]:.4f} | {cost * 1000:.2f} |")


def cv_candidates() -> dict[str, dict]:
    """Return the trafilatura option sets cross-validated by --cv (comments always off)."""
    found = {}
    for lean, extra in (("precision", {"favor_precision": True}), ("balanced", {}),
                        ("recall", {"favor_recall": True})):
        for tables in (True, False):
            for rerun in (FULL_EXTRACTION_BELOW_WORDS, 10**9):  # fast + full below N, or full
                name = (f"{lean}, tables {'on' if tables else 'off'}, "
                        f"{'fast + full below ' + str(rerun) if rerun < 10**9 else 'full pass'}")
                found[name] = {"options": {"include_comments": False, "include_tables": tables,
                                           **extra}, "rerun": rerun}
    return found


def cross_validate(pages: list, folds: int = 8, repeats: int = 25) -> None:
    """Print k-fold cross-validation of choosing trafilatura's options on the dev pages.

    Every candidate is scored on every page once (as the pipeline runs it: fast pass, full
    pass below the threshold, normalisation). Then, for `repeats` random splits into
    `folds` folds: on each fold, the candidate with the best F1 on the other folds is
    chosen and scored on that fold. Prints each candidate's F1 over the folds (mean, worst)
    and how often it was chosen, and the F1 of the choosing procedure on unseen folds.
    """
    import random

    from extractors.html import main_text
    from extractors.normalise import normalise_text

    candidates = cv_candidates()
    trees = [(trafilatura.load_html(html), url, body) for _, url, html, body in pages]
    per_page = {name: [match(body, normalise_text(main_text(tree, url, c["options"], c["rerun"])))
                       for tree, url, body in trees]
                for name, c in candidates.items()}
    fold_f1 = {name: [] for name in candidates}
    chosen = Counter()
    unseen = []
    for seed in range(repeats):
        order = list(range(len(pages)))
        random.Random(seed).shuffle(order)
        for k in range(folds):
            held = set(order[k::folds])
            train = [i for i in range(len(pages)) if i not in held]

            def f1(name: str, rows: list[int]) -> float:
                return score([per_page[name][i] for i in rows])[2]

            best = max(candidates, key=lambda name: (f1(name, train), name))
            chosen[best] += 1
            unseen.append(f1(best, sorted(held)))
            for name in candidates:
                fold_f1[name].append(f1(name, sorted(held)))
    print(f"\n{folds}-fold cross-validation on {len(pages)} pages, {repeats} random splits")
    print("| trafilatura options | F1, all pages | F1 on folds: mean | worst fold | chosen |")
    print("| --- | --- | --- | --- | --- |")
    for name in sorted(candidates, key=lambda n: -statistics.mean(fold_f1[n])):
        print(f"| {name} | {score(per_page[name])[2]:.4f} | "
              f"{statistics.mean(fold_f1[name]):.4f} | {min(fold_f1[name]):.4f} | "
              f"{chosen[name]} of {folds * repeats} |")
    print(f"choosing by F1 on the other folds scores {statistics.mean(unseen):.4f} on unseen "
          "folds (mean)")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--all", action="store_true", help="also score other configurations")
    parser.add_argument("--cv", action="store_true",
                        help="cross-validate trafilatura's options on the pages (k-fold)")
    parser.add_argument("--rerun-thresholds", action="store_true",
                        help="also score re-running the full pass below N words")
    args = parser.parse_args(argv)
    if not (args.corpus / "ground-truth.json").is_file():
        print(f"skipped: no extraction corpus at {args.corpus} (ground-truth.json + html/)")
        return 0
    pages = load_corpus(args.corpus)
    candidates = CANDIDATES | (EXTRA if args.all else {})
    print(f"{len(pages)} pages from {args.corpus}\n")
    print(f"| extractor | precision | recall | F1 | pages/s |\n| --- | --- | --- | --- | --- |")
    for name, extract in candidates.items():
        t0 = time.perf_counter()
        p, r, f1 = evaluate(pages, extract)
        elapsed = time.perf_counter() - t0
        print(f"| {name} | {p:.3f} | {r:.3f} | {f1:.3f} | {len(pages) / elapsed:.0f} |")
    if args.rerun_thresholds:
        rerun_thresholds(pages)
    if args.cv:
        cross_validate(pages)
    print("\n(pages/s on a shared 2-core machine: noisy)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
