"""Tagging quality: per-theme precision, recall and F1 against gold labels, and macro-F1."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from .sources import load_sources
from .taxonomy import Taxonomy
from .themes import tag_text


@dataclass(frozen=True)
class ThemeScore:
    """Counts and rates of one theme."""

    theme: str
    tp: int
    fp: int
    fn: int

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def read_gold(path: Path | str) -> list[dict]:
    """Return the records of a gold JSONL file (`id`, `title`, `text`, `labels`).

    ValueError naming the line when a record lacks an id or its labels are not a list.
    """
    records = []
    with Path(path).open(encoding="utf-8") as handle:
        for lineno, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as exc:
                raise ValueError(f"{path}:{lineno}: invalid JSON: {exc.msg}") from exc
            if not isinstance(record, dict) or record.get("id") in (None, ""):
                raise ValueError(f"{path}:{lineno}: a gold record needs an `id`")
            if not isinstance(record.get("labels", []), list):
                raise ValueError(f"{path}:{lineno}: `labels` must be a list")
            records.append(record)
    return records


def home_country(record: Mapping) -> str | None:
    """Return a gold record's home country as an ingest finds it: its own, else its outlet's."""
    return record.get("source_country") or load_sources().country_of(
        record.get("source"), record.get("url"))


def tag_gold(records: Iterable[Mapping], taxonomy: Taxonomy) -> dict[str, set[str]]:
    """Return the themes an ingest would tag each gold record with, by record id."""
    return {str(r["id"]): {t.theme for t in tag_text(
        str(r["id"]), str(r.get("title") or ""), str(r.get("text") or ""), taxonomy,
        home_country(r))} for r in records}


def evaluate(gold: Mapping[str, Iterable[str]], predicted: Mapping[str, Iterable[str]],
             themes: Iterable[str] | None = None,
             unsure: Mapping[str, Iterable[str]] | None = None) -> list[ThemeScore]:
    """Return one ThemeScore per theme, comparing predicted labels with gold ones per id.

    Only ids in `gold` count; `themes` defaults to every label seen in the gold set. A
    theme in a record's `unsure` list (one reader gave it, the other did not) is left out
    of that record's score: neither a hit nor a miss counts.
    """
    gold_sets = {k: set(v) for k, v in gold.items()}
    unsure_sets = {k: set(v) for k, v in (unsure or {}).items()}
    if themes is None:
        themes = sorted(set().union(*gold_sets.values())) if gold_sets else []
    scores = []
    for theme in themes:
        tp = fp = fn = 0
        for key, labels in gold_sets.items():
            if theme in unsure_sets.get(key, ()):
                continue
            hit = theme in set(predicted.get(key, ()))
            if theme in labels:
                tp += hit
                fn += not hit
            else:
                fp += hit
        scores.append(ThemeScore(theme, tp, fp, fn))
    return scores


def tags_per_article(labels: Mapping[str, Iterable[str]], themes: Iterable[str]) -> float:
    """Return the mean number of `themes` per record in `labels` (gold or predicted)."""
    wanted = set(themes)
    return (sum(len(set(v) & wanted) for v in labels.values()) / len(labels)) if labels else 0.0


def macro_f1(scores: Iterable[ThemeScore]) -> float:
    """Return the mean F1 over the themes (0 when there are none)."""
    scores = list(scores)
    return sum(s.f1 for s in scores) / len(scores) if scores else 0.0


def format_table(scores: list[ThemeScore], min_gold: int = 0) -> str:
    """Return a plain-text table: theme, gold count, tags, TP, FP, FN, precision, recall,
    F1, and macro-F1 (over the themes with at least `min_gold` gold articles, when given)."""
    lines = [f"{'theme':<20}{'gold':>6}{'tags':>6}{'tp':>6}{'fp':>6}{'fn':>6}"
             f"{'P':>8}{'R':>8}{'F1':>8}"]
    for s in scores:
        lines.append(f"{s.theme:<20}{s.tp + s.fn:>6}{s.tp + s.fp:>6}{s.tp:>6}{s.fp:>6}"
                     f"{s.fn:>6}{s.precision:>8.3f}{s.recall:>8.3f}{s.f1:>8.3f}")
    counted = [s for s in scores if s.tp + s.fn >= min_gold]
    label = f"macro-F1 (themes with >= {min_gold} gold)" if min_gold else "macro-F1"
    lines.append(f"{label:<58}{macro_f1(counted):>16.3f}")
    return "\n".join(lines)


def bcubed(predicted: Mapping[str, str], gold: Mapping[str, str]) -> tuple[float, float, float]:
    """Return B-cubed (precision, recall, F1) of a clustering against gold clusters, over
    the items both name: each item's share of its cluster that shares its gold story
    (precision) and of its gold story that shares its cluster (recall), averaged."""
    from collections import Counter

    items = [i for i in gold if i in predicted]
    if not items:
        return 0.0, 0.0, 0.0
    cluster = Counter(predicted[i] for i in items)
    story = Counter(gold[i] for i in items)
    both = Counter((predicted[i], gold[i]) for i in items)
    p = sum(both[(predicted[i], gold[i])] / cluster[predicted[i]] for i in items) / len(items)
    r = sum(both[(predicted[i], gold[i])] / story[gold[i]] for i in items) / len(items)
    return p, r, 2 * p * r / (p + r) if p + r else 0.0


@dataclass(frozen=True)
class StoryScore:
    """How a story clustering compares with gold stories, over the items both name."""

    items: int
    gold_stories: int
    stories: int
    precision: float
    recall: float
    f1: float
    ari: float  # adjusted Rand index


def score_stories(predicted: Mapping[str, str], gold: Mapping[str, str]) -> StoryScore:
    """Return B-cubed precision/recall/F1 and ARI of `predicted` (item -> story) against
    `gold` (item -> gold story), over the items both name."""
    from sklearn.metrics import adjusted_rand_score

    items = [i for i in gold if i in predicted]
    p, r, f1 = bcubed(predicted, gold)
    ari = adjusted_rand_score([gold[i] for i in items], [predicted[i] for i in items]) \
        if items else 0.0
    return StoryScore(len(items), len({gold[i] for i in items}),
                      len({predicted[i] for i in items}), p, r, f1, ari)


def read_gold_stories(path: Path | str) -> list[tuple[dict, str]]:
    """Return (record, gold story) of every line of a story gold file (JSONL with `id` and
    `story`); ValueError naming the line when one lacks either."""
    found = []
    with open(path, encoding="utf-8") as handle:
        for n, line in enumerate(handle, 1):
            if not line.strip():
                continue
            record = json.loads(line)
            if record.get("id") in (None, "") or record.get("story") in (None, ""):
                raise ValueError(f"{path}:{n}: a gold line needs an id and a story")
            found.append((record, str(record["story"])))
    return found
