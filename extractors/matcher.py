"""Phrase matching on word boundaries with one Aho-Corasick automaton (pyahocorasick).

Every surface form of every phrase goes into one automaton keyed by its lower-case text; one
pass over the lower-cased document finds them all. A hit counts only on word boundaries
(a hyphen or an apostrophe is a boundary, so "anti-missile" and "Russia's" match), and
overlapping hits resolve to the leftmost-longest, so "secondary sanctions" wins over
"sanctions". Acronyms registered case-sensitively ("US") match only in capitals.
"""

from __future__ import annotations

from collections.abc import Iterable

import ahocorasick


class PhraseMatcher:
    """An automaton over surface forms, each mapped to the payloads registered for it."""

    def __init__(self, entries: Iterable[tuple[str, object, bool]]):
        """Build from (surface form, payload, case_sensitive) triples."""
        table: dict[str, list[tuple[object, str | None]]] = {}
        for surface, payload, case_sensitive in entries:
            surface = " ".join(surface.split())
            if not surface:
                continue
            table.setdefault(surface.lower(), []).append(
                (payload, surface if case_sensitive else None))
        self.automaton = ahocorasick.Automaton()
        for key, payloads in table.items():
            self.automaton.add_word(key, (len(key), tuple(payloads)))
        self.empty = not table
        if not self.empty:
            self.automaton.make_automaton()

    def find(self, text: str) -> list[tuple[int, int, tuple[object, ...]]]:
        """Return non-overlapping (start, end, payloads) hits in `text`, in text order."""
        if self.empty or not text:
            return []
        lower = text.lower()
        if len(lower) != len(text):  # a few characters (e.g. "İ") lower to two: keep offsets
            lower = "".join(c if len(c.lower()) != 1 else c.lower() for c in text)
        n = len(text)
        hits = []
        for end, (length, payloads) in self.automaton.iter(lower):
            start = end - length + 1
            if start > 0 and (lower[start - 1].isalnum() or lower[start - 1] == "_"):
                continue
            if end + 1 < n and (lower[end + 1].isalnum() or lower[end + 1] == "_"):
                continue
            kept = tuple(p for p, exact in payloads
                         if exact is None or text[start:end + 1] == exact)
            if kept:
                hits.append((start, end + 1, kept))
        if len(hits) < 2:
            return hits
        # Leftmost-longest: sort by start, longer first; drop hits inside a kept one.
        hits.sort(key=lambda h: (h[0], -h[1]))
        resolved, last_end = [], -1
        for hit in hits:
            if hit[0] >= last_end:
                resolved.append(hit)
                last_end = hit[1]
        return resolved
