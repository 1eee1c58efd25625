"""Theme tagging with evidence: one compiled alternation per taxonomy, scored per article."""

from __future__ import annotations

import math
import re
from collections import Counter

from .records import ThemeTag
from .taxonomy import Taxonomy

MAX_EVIDENCE_SENTENCES = 3
# A sentence ends at . ! ? (optionally followed by quotes) or at a line break.
SENTENCE = re.compile(r"[^\n.!?]+(?:[.!?]+[\"'\u201d\u2019]?|$)", re.MULTILINE)
INFLECTION = r"(?:s|es|ed|ing)?"


def term_pattern(term: str) -> str:
    """Return the regex of one phrase: words joined by flexible spaces, last word inflected."""
    words = [re.escape(w) for w in term.split()]
    return r"\s+".join(words) + INFLECTION


COMPILED: dict[str, tuple[re.Pattern, list[tuple[str, str, float]]]] = {}


def compile_taxonomy(taxonomy: Taxonomy) -> tuple[re.Pattern, list[tuple[str, str, float]]]:
    """Return one alternation over every term (longest first) and its group -> term table."""
    if taxonomy.version not in COMPILED:
        COMPILED[taxonomy.version] = _compile(taxonomy)
    return COMPILED[taxonomy.version]


def _compile(taxonomy: Taxonomy) -> tuple[re.Pattern, list[tuple[str, str, float]]]:
    entries = [(t.id, term, w) for t in taxonomy.themes for term, w in t.terms.items()]
    # Longest first, so "secondary sanctions" wins over "sanctions" at the same position.
    entries.sort(key=lambda e: -len(e[1]))
    alternation = "|".join(f"({term_pattern(term)})" for _, term, _ in entries)
    pattern = re.compile(rf"(?<![\w-])(?:{alternation})(?![\w-])", re.IGNORECASE)
    return pattern, entries


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Return the (start, end) character offsets of each sentence in `text`."""
    spans = []
    for m in SENTENCE.finditer(text):
        start, end = m.start(), m.end()
        while start < end and text[start].isspace():
            start += 1
        if end > start:
            spans.append((start, end))
    return spans


def score(weights: list[float], word_count: int) -> float:
    """Return a theme score: repeated terms add with diminishing returns, long texts damped."""
    by_weight = sorted(weights, reverse=True)
    raw = sum(w / (1 + i * 0.5) for i, w in enumerate(by_weight))
    length_damping = 1 + math.log10(max(word_count, 100) / 100)
    return round(raw / length_damping, 4)


def tag_text(article_id: str, title: str, text: str, taxonomy: Taxonomy) -> list[ThemeTag]:
    """Return the themes of an article, each with its score and evidence.

    Evidence is a dict: `terms` (matched phrase -> count) and `sentences` (up to three,
    each with `text`, `start`, `end` offsets into `title + "\\n" + text`).
    """
    pattern, entries = compile_taxonomy(taxonomy)
    doc = f"{title}\n{text}" if title else text
    hits: dict[str, list[tuple[str, float, int]]] = {}
    for m in pattern.finditer(doc):
        theme_id, term, weight = entries[m.lastindex - 1]
        hits.setdefault(theme_id, []).append((term, weight, m.start()))
    if not hits:
        return []
    word_count = len(doc.split())
    spans = sentence_spans(doc)
    tags = []
    for theme in taxonomy.themes:
        found = hits.get(theme.id)
        if not found:
            continue
        theme_score = score([w for _, w, _ in found], word_count)
        if theme_score < theme.threshold:
            continue
        tags.append(
            ThemeTag(
                article_id=article_id,
                theme=theme.id,
                score=theme_score,
                evidence=evidence(doc, spans, found),
                taxonomy_version=taxonomy.version,
            )
        )
    return tags


def evidence(doc: str, spans: list[tuple[int, int]], found: list[tuple[str, float, int]]) -> dict:
    """Return the matched terms and up to three sentences (with offsets) that contain them."""
    terms = Counter(term for term, _, _ in found)
    sentences, used = [], set()
    for _, _, pos in found:
        for start, end in spans:
            if start <= pos < end and start not in used:
                used.add(start)
                sentences.append({"text": doc[start:end], "start": start, "end": end})
                break
        if len(sentences) == MAX_EVIDENCE_SENTENCES:
            break
    return {"terms": dict(terms.most_common()), "sentences": sentences}
