"""Theme tagging with evidence: one automaton per taxonomy, scored per article.

How a score is computed (docs/taxonomy.md says the same for taxonomy authors):
1. hits inside captions, photo credits, bylines and datelines are dropped (boilerplate.py);
   so are names of the article's home country for themes marked `home_is_domestic`;
2. every term hit (inflected forms included, exclusions masked) adds its weight once per
   distinct term, plus `ln(count)` times the weight for repeats (diminishing returns);
   proximity-rule terms count only with a partner (and a target, if the rule names them)
   within the window; on articles a hit in the title weighs `title_weight` times more;
3. the sum, less its strongest term, is divided by `1 + log10(words / reference_words)` for
   texts longer than `reference_words`: a long article needs more evidence, but one clear
   statement is never damped below what it weighs;
4. a theme is tagged when the score reaches its threshold (`threshold` on headlines,
   `article_threshold` on longer texts, `untitled_threshold` on those whose title names
   nothing of the theme) and the article names the `parties` it needs; on
   short texts (headlines) only the best-scoring theme of each `group` is kept.

Every step is linear in the text length (plus a sort of the hits): word distances come from
one cumulative count of the whitespace before each hit, and proximity partners are found by
bisection, so a 5 MB text tags in seconds.
"""

from __future__ import annotations

import math
import re
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import NamedTuple

from .boilerplate import is_stub, non_prose_spans
from .inflect import (is_case_sensitive, known_phrase_forms, language_of, release_dictionaries,
                      write_shipped_forms)
from .matcher import PhraseMatcher
from .records import ActorMention, ThemeTag
from .taxonomy import Taxonomy
from .text import count_words

MAX_EVIDENCE_SENTENCES = 3
MAX_EVIDENCE_TRIES = 200  # hits looked at for their sentence: bounds evidence on huge texts
SENTENCE_CONTEXT = 300  # characters searched either side of a hit for its sentence bounds
# Candidate sentence ends: . ! ? (and closing quotes) before whitespace, or a line break.
# Candidates after initials ("U.S. Navy") and titles ("Mr. Putin") are rejected in code:
# one simple pattern plus a check is several times faster than lookbehinds at every position.
SENTENCE_END = re.compile(r"[.!?]+[\"'\u201d\u2019)]*(?=\s)|\n")
NOT_AN_END = re.compile(r"(?:\b[A-Z]|\b(?:Mr|Ms|Mrs|Dr|St|Gen|Col|Lt|No))$")

TERM, EXCLUDE, NEAR_TERM, NEAR_PARTNER, UNLESS, NEAR_TARGET = range(6)


class Hit(NamedTuple):
    """One piece of evidence: the phrase (as written in the taxonomy), weight, offsets.

    A named tuple, not a dataclass: a long text makes tens of thousands of them.
    """

    phrase: str
    weight: float
    start: int
    end: int
    key: str = ""  # what repeats are counted by: the phrase, or the set it came from
    subject: bool = False  # names the subject as a title does (a `names_subject` rule)


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
            wanted.extend((p, None, (NEAR_TARGET, ti, ri, p)) for p in rule.targets)
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


def words_between(doc: str, a: int, b: int) -> int:
    """Return how many words separate offsets a <= b (whitespace runs counted)."""
    return doc.count(" ", a, b) + doc.count("\n", a, b)


def word_index(doc: str, offsets: set[int]) -> dict[int, int]:
    """Return offset -> words before it, for every offset: one pass over `doc` in all."""
    index, words, last = {}, 0, 0
    for pos in sorted(offsets):
        words += words_between(doc, last, pos)
        index[pos] = words
        last = pos
    return index


def _inside(spans: Sequence[tuple[int, int]], starts: list[int], pos: int) -> bool:
    i = bisect_right(starts, pos) - 1
    return i >= 0 and spans[i][0] <= pos < spans[i][1]


def _gap_to_nearest(found: list[tuple[int, int, int, int]], starts: list[int],
                    s_word: int, e_word: int, start: int) -> int | None:
    """Return the word gap from a hit (words at its start/end) to the nearest of `found`
    ((start, end, start word, end word), sorted by start; never overlapping the hit)."""
    i = bisect_left(starts, start)
    best = None
    if i < len(found):  # the first one after the hit
        best = found[i][2] - e_word
    if i > 0:  # the last one before it
        gap = s_word - found[i - 1][3]
        best = gap if best is None else min(best, gap)
    return best


def theme_hits(doc: str, taxonomy: Taxonomy, title_end: int = 0,
               home_names: frozenset[tuple[int, str]] = frozenset(),
               spans: Sequence[tuple[int, int]] | None = None) -> dict[int, list[Hit]]:
    """Return theme index -> the hits that count for it in `doc`.

    `title_end` is where the body starts (hits before it are in the title); `home_names`
    holds the (theme index, phrase) pairs that name the article's home country and so are
    not evidence for that theme.
    """
    compiled = compile_taxonomy(taxonomy)
    matches = compiled.matcher.find(doc)
    if not matches:
        return {}
    if spans is None:
        spans = non_prose_spans(doc, title_end)
    if spans:
        span_starts = [a for a, _ in spans]
        matches = [m for m in matches if not _inside(spans, span_starts, m[0])]
    hits: dict[int, list[Hit]] = {}
    near: dict[tuple[int, int, int], list[tuple[str, int, int]]] = {}  # (kind, ti, ri)
    unless: dict[int, list[tuple[int, int]]] = {}
    for start, end, payloads in matches:
        # An exclusion written as one of a term's own forms ("according" of "accord",
        # "fuels" of "fuel") shares its surface: it masks the term at that very match.
        excluded = {p[1] for p in payloads if p[0] == EXCLUDE}
        for payload in payloads:
            kind = payload[0]
            if kind == TERM:
                if payload[1] in excluded or (payload[1], payload[2]) in home_names:
                    continue
                found = hits.setdefault(payload[1], [])
                hit = Hit(payload[2], payload[3], start, end, payload[4])
                if found and found[-1].start == start and found[-1].end == end:
                    # Two terms of one theme share this word ("defence" is a form of both
                    # "defense" and "defence"): one word is one piece of evidence.
                    if hit.weight > found[-1].weight:
                        found[-1] = hit
                    continue
                found.append(hit)
            elif kind in (NEAR_TERM, NEAR_PARTNER, NEAR_TARGET):
                near.setdefault((kind, payload[1], payload[2]), []).append(
                    (payload[3], start, end))
            elif kind == UNLESS:
                unless.setdefault(payload[1], []).append((start, end))
    if not hits and not near:
        return {}
    offsets = {p for found in near.values() for _, s, e in found for p in (s, e)}
    offsets |= {p for found in unless.values() for s, e in found for p in (s, e)}
    if unless:
        offsets |= {h.start for ti in unless for h in hits.get(ti, ())}
    words = word_index(doc, offsets)

    def located(found):
        rows = sorted((s, e, words[s], words[e]) for *_, s, e in found)
        return rows, [r[0] for r in rows]

    for (kind, ti, ri), found in near.items():
        if kind != NEAR_TERM:
            continue
        rule = taxonomy.themes[ti].near[ri]
        partners = located(near.get((NEAR_PARTNER, ti, ri), ()))
        targets = located(near.get((NEAR_TARGET, ti, ri), ())) if rule.targets else None
        if not partners[0] or (targets is not None and not targets[0]):
            continue
        partner_at = {(s, e): p for p, s, e in near.get((NEAR_PARTNER, ti, ri), ())}
        for phrase, start, end in found:
            sw, ew = words[start], words[end]
            gap = _gap_to_nearest(*partners, sw, ew, start)
            if gap is None or gap > rule.window:
                continue
            if targets is not None:
                t_gap = _gap_to_nearest(*targets, sw, ew, start)
                if t_gap is None or t_gap > rule.window:
                    continue
            partner = _nearest_phrase(partners[0], partner_at, sw, ew, start)
            hits.setdefault(ti, []).append(
                Hit(f"{phrase} ~ {partner}", rule.weight, start, end,
                    subject=rule.names_subject))
    for ti, found in unless.items():
        if ti not in hits:
            continue
        window = taxonomy.themes[ti].unless_window
        rows, starts = located([(None, s, e) for s, e in found])
        kept = []
        for h in hits[ti]:
            w = words.get(h.start)
            if w is None:
                w = word_index(doc, {h.start})[h.start]
            gap = _gap_to_nearest(rows, starts, w, w, h.start)
            if gap is None or gap > window:
                kept.append(h)
        hits[ti] = kept
    return {ti: found for ti, found in hits.items() if found}


def _nearest_phrase(rows, phrase_at, s_word: int, e_word: int, start: int) -> str:
    """Return the phrase of the partner nearest to a hit (for the evidence's "a ~ b")."""
    i = bisect_left([r[0] for r in rows], start)
    candidates = []
    if i < len(rows):
        candidates.append((rows[i][2] - e_word, rows[i]))
    if i > 0:
        candidates.append((s_word - rows[i - 1][3], rows[i - 1]))
    _, row = min(candidates)
    return phrase_at[(row[0], row[1])]


def score(hits: list[Hit], word_count: int, reference_words: int, title_end: int = 0,
          title_weight: float = 1.0) -> float:
    """Return a theme score: distinct terms add, repeats add ln(count), long texts damped.

    Members of one set ("@foreign") count as repeats of one term, so five country names
    weigh like one name mentioned five times, not like five distinct pieces of evidence.
    Hits before `title_end` weigh `title_weight` times more (articles only; there a set of
    names counts once, whatever its hits). The strongest term is never
    damped: one clear statement in a long article weighs what it weighs in a short one.
    """
    weight, counts = {}, Counter()
    article = title_weight != 1.0
    for h in hits:
        key = h.key or h.phrase
        if article and key[0] == "@":
            # On an article a set of names ("@foreign") says only "abroad": once, unboosted.
            weight[key] = h.weight
            counts[key] = 1
            continue
        w = h.weight * title_weight if h.start < title_end else h.weight
        weight[key] = max(weight.get(key, 0.0), w)
        counts[key] += 1
    contributions = [w * (1 + math.log(counts[p])) for p, w in weight.items()]
    strongest = max(weight.values())
    damping = 1 + math.log10(max(word_count, reference_words) / reference_words)
    return round(strongest + (sum(contributions) - strongest) / damping, 4)


Scored = dict[int, tuple[float, list[Hit]]]  # theme index -> (score, hits)


def theme_scores(title: str, text: str, taxonomy: Taxonomy,
                 home_names: frozenset[tuple[int, str]] = frozenset(),
                 spans: Sequence[tuple[int, int]] | None = None) -> tuple[str, Scored]:
    """Return the analysed document and theme index -> (score, hits) for every theme hit
    (`spans`: the non-prose spans of the document, when the caller has them)."""
    doc = f"{title}\n{text}" if title else text
    title_end = len(title) + 1 if title else 0
    found = theme_hits(doc, taxonomy, title_end, home_names, spans)
    if not found:
        return doc, {}
    word_count = count_words(doc)
    s = taxonomy.scoring
    title_weight = s.title_weight if word_count > s.short_text_words else 1.0
    return doc, {ti: (score(h, word_count, s.reference_words, title_end, title_weight), h)
                 for ti, h in found.items()}


def titled(hits: list[Hit], title_end: int) -> bool:
    """Return whether the title names the theme of `hits` (True when there is no title),
    or a relationship phrase does ("energy cooperation": a `names_subject` rule)."""
    return not title_end or any(h.start < title_end or h.subject for h in hits)


def select(scored: Scored, word_count: int, taxonomy: Taxonomy,
           parties: int | None = None, title_end: int = 0) -> list[int]:
    """Return the theme indexes tagged: over threshold, with the parties they need (when
    `parties`, the number the article names, is known), and best of their group if short.
    `title_end` is where the body starts (0: no title); a theme the title does not name
    needs its `untitled_threshold` on an article."""
    short = taxonomy.scoring.short_text_words
    thresholds = {ti: taxonomy.themes[ti].threshold_for(word_count, short,
                                                         titled(h, title_end))
                  for ti, (_, h) in scored.items()}
    # Parties are checked on articles only: a headline names one side ("Iran rejects talks").
    passed = {ti: s for ti, (s, _) in scored.items() if s >= thresholds[ti]
              and (parties is None or word_count <= short
                   or parties >= taxonomy.themes[ti].parties)}
    if word_count > short:
        return sorted(passed)
    # Compare scores relative to each theme's threshold, so thresholds stay comparable.
    relative = {ti: s / thresholds[ti] for ti, s in passed.items()}
    best: dict[str, float] = {}
    for ti, r in relative.items():
        group = taxonomy.themes[ti].group
        if group:
            best[group] = max(best.get(group, 0.0), r)
    dominance = taxonomy.scoring.group_dominance
    return sorted(ti for ti, r in relative.items()
                  if not taxonomy.themes[ti].group
                  or r >= dominance * best[taxonomy.themes[ti].group])


def tag_text(article_id: str, title: str, text: str, taxonomy: Taxonomy,
             home_country: str | None = None,
             actors: Sequence[ActorMention] | None = None,
             gazetteer=None) -> list[ThemeTag]:
    """Return the themes of an article, each with its score and evidence.

    `home_country` is the gazetteer id of the outlet's country ("Russia" for RIA Novosti),
    or None when unknown; `actors` are the article's actor mentions (found here with
    `gazetteer`, default the shipped one, when not given and a theme needs parties).

    Evidence is a dict: `terms` (matched phrase -> count; proximity matches read
    "term ~ partner") and `sentences` (up to three, each with `text`, `start`, `end` offsets
    into `title + "\\n" + text`), strongest hit first in the choice of sentences.
    """
    from .parties import home_names_of, parties_named, party_of_name  # imported late:
    # parties.py reads the gazetteer, which imports the matcher this module also uses

    if is_stub(text):
        text = ""  # a paywall or bot challenge, not the article: the title is the evidence
    home = home_names_of(taxonomy, home_country, gazetteer) if home_country else frozenset()
    doc, scored = theme_scores(title, text, taxonomy, home)
    if not scored:
        return []
    word_count = count_words(doc)
    parties = None
    short = taxonomy.scoring.short_text_words
    title_end = len(title) + 1 if title else 0
    if word_count > short and any(  # only when a theme that needs parties passed
            taxonomy.themes[ti].parties and s >= taxonomy.themes[ti].threshold_for(
                word_count, short, titled(h, title_end)) for ti, (s, h) in scored.items()):
        # The gazetteer's parties, plus the names the taxonomy's sets know ("@foreign"):
        # "Кувейт" is a party even when the gazetteer lacks it.
        named = parties_named(title, text, actors, gazetteer)
        names = {h.phrase for ti in scored if taxonomy.themes[ti].parties
                 for h in scored[ti][1] if h.key[:1] == "@"}
        named |= {party_of_name(name, gazetteer) for name in names}
        parties = len(named)
    spans = non_prose_spans(doc, title_end)  # cached by theme_hits
    tags = []
    for ti in select(scored, word_count, taxonomy, parties, title_end):
        tags.append(ThemeTag(
            article_id=article_id,
            theme=taxonomy.themes[ti].id,
            score=scored[ti][0],
            evidence=evidence(doc, scored[ti][1], spans),
            taxonomy_version=taxonomy.version,
        ))
    return tags


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


def evidence(doc: str, hits: list[Hit], spans: Sequence[tuple[int, int]] = ()) -> dict:
    """Return the matched terms and up to three sentences (with offsets) that contain them.

    A sentence never includes a caption, credit, byline or dateline (`spans`): a sentence
    that starts in one starts after it.
    """
    terms = Counter(h.phrase for h in hits)
    sentences, used = [], set()
    span_starts = [a for a, _ in spans]
    # Strongest evidence first, then text order.
    ranked = sorted(hits, key=lambda h: (-h.weight, h.start))[:MAX_EVIDENCE_TRIES]
    chosen: list[tuple[int, int]] = []
    for h in ranked:
        if any(a <= h.start < b for a, b in chosen):
            continue  # its sentence is already in: no need to find it again
        start, end = sentence_around(doc, h.start)
        chosen.append((start, end))
        i = bisect_right(span_starts, h.start) - 1
        if i >= 0 and start < spans[i][1] <= h.start:
            start = spans[i][1]
            while start < end and doc[start].isspace():
                start += 1
        j = bisect_right(span_starts, end - 1) - 1
        if j >= 0 and h.end <= spans[j][0] < end:
            end = spans[j][0]
            while end > start and doc[end - 1].isspace():
                end -= 1
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
