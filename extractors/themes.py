"""Theme tagging with evidence: one automaton per taxonomy, scored per article.

How a score is computed (docs/taxonomy.md says the same for taxonomy authors):
1. every term hit (inflected forms included, exclusions masked) adds its weight once per
   distinct term, plus `ln(count)` times the weight for repeats (diminishing returns);
   proximity-rule terms count only with a partner within the window;
2. the sum is divided by `1 + log10(words / reference_words)` for texts longer than
   `reference_words`, so a long article needs proportionally more evidence;
3. a theme is tagged when the score reaches its threshold; on short texts (headlines) only
   the best-scoring theme of each `group` is kept, since a headline has one subject.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass

from .inflect import (is_case_sensitive, known_phrase_forms, language_of, release_dictionaries,
                      write_shipped_forms)
from .matcher import PhraseMatcher
from .records import ThemeTag
from .taxonomy import Taxonomy

MAX_EVIDENCE_SENTENCES = 3
SENTENCE_CONTEXT = 400  # characters searched either side of a hit for its sentence bounds
# Candidate sentence ends: . ! ? (and closing quotes) before whitespace, or a line break.
# Candidates after initials ("U.S. Navy") and titles ("Mr. Putin") are rejected in code:
# one simple pattern plus a check is several times faster than lookbehinds at every position.
SENTENCE_END = re.compile(r"[.!?]+[\"'\u201d\u2019)]*(?=\s)|\n")
NOT_AN_END = re.compile(r"(?:\b[A-Z]|\b(?:Mr|Ms|Mrs|Dr|St|Gen|Col|Lt|No))$")

TERM, EXCLUDE, NEAR_TERM, NEAR_PARTNER, UNLESS = range(5)


@dataclass(frozen=True)
class Hit:
    """One piece of evidence: the phrase (as written in the taxonomy), weight, offsets."""

    phrase: str
    weight: float
    start: int
    end: int
    key: str = ""  # what repeats are counted by: the phrase, or the set it came from


@dataclass(frozen=True)
class Compiled:
    """A taxonomy turned into one matcher, plus what each payload means."""

    matcher: PhraseMatcher
    version: str


COMPILED: dict[str, Compiled] = {}


def compile_taxonomy(taxonomy: Taxonomy) -> Compiled:
    """Return the matcher of `taxonomy` (built once per taxonomy version and process)."""
    if taxonomy.version not in COMPILED:
        COMPILED[taxonomy.version] = _compile(taxonomy)
        release_dictionaries()  # the automaton has every form now; ~150 MB back
    return COMPILED[taxonomy.version]


def _wanted(taxonomy: Taxonomy) -> list[tuple[str, str | None, tuple]]:
    """Return every (phrase, language or None, payload) the matcher of `taxonomy` needs."""
    wanted: list[tuple[str, str | None, tuple]] = []
    for ti, theme in enumerate(taxonomy.themes):
        for lang, terms in theme.languages.items():
            for phrase, weight in terms.items():
                key = theme.term_sets.get(phrase, phrase)
                wanted.append((phrase, lang, (TERM, ti, phrase, weight, key)))
        for phrase in theme.exclude:
            wanted.append((phrase, None, (EXCLUDE, ti, phrase)))
        for ri, rule in enumerate(theme.near):
            wanted.extend((p, None, (NEAR_TERM, ti, ri, p)) for p in rule.terms)
            wanted.extend((p, None, (NEAR_PARTNER, ti, ri, p)) for p in rule.partners)
        wanted.extend((p, None, (UNLESS, ti, p)) for p in theme.unless_near)
    return wanted


def phrases_by_language(taxonomy: Taxonomy) -> dict[str, set[str]]:
    """Return language -> the phrases of `taxonomy` inflected in that language."""
    by_lang: dict[str, set[str]] = {}
    for phrase, lang, _ in _wanted(taxonomy):
        by_lang.setdefault(lang or language_of(phrase), set()).add(phrase)
    return by_lang


def _compile(taxonomy: Taxonomy) -> Compiled:
    wanted = _wanted(taxonomy)
    forms = {(lang, p): f for lang, phrases in phrases_by_language(taxonomy).items()
             for p, f in known_phrase_forms(phrases, lang).items()}
    entries = []
    for phrase, lang, payload in wanted:
        sensitive = is_case_sensitive(phrase)
        for surface in forms[(lang or language_of(phrase), phrase)]:
            entries.append((surface, payload, sensitive))
    return Compiled(PhraseMatcher(entries), taxonomy.version)


def count_words(doc: str) -> int:
    """Return the number of words in `doc` (whitespace-separated; counted without a split)."""
    return doc.count(" ") + doc.count("\n") + doc.count("\t") + 1 - doc.count("  ")


def words_between(doc: str, a: int, b: int) -> int:
    """Return how many words separate offsets a <= b (whitespace runs counted)."""
    return doc.count(" ", a, b) + doc.count("\n", a, b)


def theme_hits(doc: str, taxonomy: Taxonomy) -> dict[int, list[Hit]]:
    """Return theme index -> the hits that count for it in `doc`."""
    compiled = compile_taxonomy(taxonomy)
    hits: dict[int, list[Hit]] = {}
    near_terms: dict[tuple[int, int], list[tuple[str, int, int]]] = {}
    partners: dict[tuple[int, int], list[tuple[str, int, int]]] = {}
    unless: dict[int, list[int]] = {}
    for start, end, payloads in compiled.matcher.find(doc):
        for payload in payloads:
            kind = payload[0]
            if kind == TERM:
                hits.setdefault(payload[1], []).append(
                    Hit(payload[2], payload[3], start, end, payload[4]))
            elif kind == NEAR_TERM:
                near_terms.setdefault(payload[1:3], []).append((payload[3], start, end))
            elif kind == NEAR_PARTNER:
                partners.setdefault(payload[1:3], []).append((payload[3], start, end))
            elif kind == UNLESS:
                unless.setdefault(payload[1], []).append(start)
    for (ti, ri), found in near_terms.items():
        rule = taxonomy.themes[ti].near[ri]
        for phrase, start, end in found:
            for partner, p_start, p_end in partners.get((ti, ri), ()):
                gap = (words_between(doc, end, p_start) if p_start >= end
                       else words_between(doc, p_end, start))
                if gap <= rule.window:
                    hits.setdefault(ti, []).append(
                        Hit(f"{phrase} ~ {partner}", rule.weight, start, end))
                    break
    for ti, positions in unless.items():
        window = taxonomy.themes[ti].unless_window
        if ti in hits:
            hits[ti] = [h for h in hits[ti] if not any(
                words_between(doc, min(h.start, p), max(h.start, p)) <= window for p in positions)]
    return {ti: found for ti, found in hits.items() if found}


def score(hits: list[Hit], word_count: int, reference_words: int) -> float:
    """Return a theme score: distinct terms add, repeats add ln(count), long texts damped.

    Members of one set ("@foreign") count as repeats of one term, so five country names
    weigh like one name mentioned five times, not like five distinct pieces of evidence.
    """
    weight, counts = {}, Counter()
    for h in hits:
        key = h.key or h.phrase
        weight[key] = max(weight.get(key, 0.0), h.weight)
        counts[key] += 1
    raw = sum(w * (1 + math.log(counts[p])) for p, w in weight.items())
    damping = 1 + math.log10(max(word_count, reference_words) / reference_words)
    return round(raw / damping, 4)


Scored = dict[int, tuple[float, list[Hit]]]  # theme index -> (score, hits)


def theme_scores(title: str, text: str, taxonomy: Taxonomy) -> tuple[str, Scored]:
    """Return the analysed document and theme index -> (score, hits) for every theme hit."""
    doc = f"{title}\n{text}" if title else text
    found = theme_hits(doc, taxonomy)
    word_count = count_words(doc) if found else 0
    ref = taxonomy.scoring.reference_words
    return doc, {ti: (score(h, word_count, ref), h) for ti, h in found.items()}


def select(scored: Scored, word_count: int, taxonomy: Taxonomy) -> list[int]:
    """Return the theme indexes tagged: over threshold, and best of their group if short."""
    passed = {ti: s for ti, (s, _) in scored.items() if s >= taxonomy.themes[ti].threshold}
    if word_count > taxonomy.scoring.short_text_words:
        return sorted(passed)
    # Compare scores relative to each theme's threshold, so thresholds stay comparable.
    relative = {ti: s / taxonomy.themes[ti].threshold for ti, s in passed.items()}
    best: dict[str, float] = {}
    for ti, r in relative.items():
        group = taxonomy.themes[ti].group
        if group:
            best[group] = max(best.get(group, 0.0), r)
    dominance = taxonomy.scoring.group_dominance
    return sorted(ti for ti, r in relative.items()
                  if not taxonomy.themes[ti].group
                  or r >= dominance * best[taxonomy.themes[ti].group])


def tag_text(article_id: str, title: str, text: str, taxonomy: Taxonomy) -> list[ThemeTag]:
    """Return the themes of an article, each with its score and evidence.

    Evidence is a dict: `terms` (matched phrase -> count; proximity matches read
    "term ~ partner") and `sentences` (up to three, each with `text`, `start`, `end` offsets
    into `title + "\\n" + text`).
    """
    doc, scored = theme_scores(title, text, taxonomy)
    if not scored:
        return []
    word_count = count_words(doc)
    return [
        ThemeTag(
            article_id=article_id,
            theme=taxonomy.themes[ti].id,
            score=scored[ti][0],
            evidence=evidence(doc, scored[ti][1]),
            taxonomy_version=taxonomy.version,
        )
        for ti in select(scored, word_count, taxonomy)
    ]


def sentence_around(doc: str, pos: int) -> tuple[int, int]:
    """Return the (start, end) offsets of the sentence of `doc` that contains offset `pos`."""
    lo = max(0, pos - SENTENCE_CONTEXT)
    hi = min(len(doc), pos + SENTENCE_CONTEXT)
    start, end = lo, hi
    for m in SENTENCE_END.finditer(doc, lo, hi):
        if m.group()[0] == "." and NOT_AN_END.search(doc, max(0, m.start() - 4), m.start()):
            continue
        if m.end() <= pos:
            start = m.end()
        else:
            end = m.end() if m.group() != "\n" else m.start()
            break
    while start < end and doc[start].isspace():
        start += 1
    while end > start and doc[end - 1].isspace():
        end -= 1
    return start, end


def evidence(doc: str, hits: list[Hit]) -> dict:
    """Return the matched terms and up to three sentences (with offsets) that contain them."""
    terms = Counter(h.phrase for h in hits)
    sentences, used = [], set()
    # Strongest evidence first, then text order.
    for h in sorted(hits, key=lambda h: (-h.weight, h.start)):
        start, end = sentence_around(doc, h.start)
        if start in used or end <= start:
            continue
        used.add(start)
        sentences.append({"text": doc[start:end], "start": start, "end": end})
        if len(sentences) == MAX_EVIDENCE_SENTENCES:
            break
    sentences.sort(key=lambda s: s["start"])
    return {"terms": dict(terms.most_common()), "sentences": sentences}


if __name__ == "__main__":  # python -m extractors.themes --write-inflections
    import sys

    from .taxonomy import load_taxonomy

    if sys.argv[1:] != ["--write-inflections"]:
        sys.exit("usage: python -m extractors.themes --write-inflections")
    written = write_shipped_forms(phrases_by_language(load_taxonomy()))
    print(f"wrote the forms of {written} phrases of the shipped taxonomy")
