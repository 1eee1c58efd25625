"""Extraction quality: P/R/F1 of our extraction vs plain `trafilatura.extract` defaults.

Metric of the public article-extraction benchmark (scrapinghub/article-extraction-benchmark):
word 4-gram shingles per page (tokens `\\w+`), per-page TP/FP/FN normalised to sum to 1,
precision and recall averaged over pages, F1 of the two averages.

    .venv/bin/python benchmarks/extraction.py [--corpus ../shared/corpus/extraction] [--all]
        [--rerun-thresholds]

`--all` also scores a few trafilatura configurations (how extractors/html.py was chosen);
`--rerun-thresholds` scores when to re-run the full pass after the fast one.
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

from extractors.html import CONFIG  # noqa: E402 - after the path fix above
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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--all", action="store_true", help="also score other configurations")
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
    print("\n(pages/s on a shared 2-core machine: noisy)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
