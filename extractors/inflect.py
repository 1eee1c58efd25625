"""Inflected forms of taxonomy terms, from simplemma's dictionaries (no hand-written stemming).

Matching runs on surface forms (one automaton, no per-token lemmatising at tag time), so the
lemmatiser is used once, when a taxonomy is compiled: a term written in its base form
("missile", "warn", "санкция") expands to every form the dictionary maps to that lemma
("missiles"; "warned", "warns"; "санкции", "санкциями"). A term written in an
inflected form ("arms", "talks") is matched as written only, so "arms" never matches "arm".
"""

from __future__ import annotations

import itertools
import json
import re
from collections.abc import Iterable
from functools import cache
from importlib.metadata import version
from pathlib import Path

import simplemma
from simplemma.strategies import dictionaries

CYRILLIC = re.compile(r"[\u0400-\u04ff]")
# Languages whose phrases agree in case on every word (adjective + noun); English inflects
# only the head (last) word of a phrase.
INFLECT_EVERY_WORD = {"ru"}
MAX_PHRASE_VARIANTS = 1024


def language_of(term: str) -> str:
    """Return the language code used to inflect `term` ("ru" for Cyrillic, else "en")."""
    return "ru" if CYRILLIC.search(term) else "en"


@cache
def _lemmatise(word: str, lang: str) -> str:
    return simplemma.lemmatize(word, lang=lang).lower()


@cache
def _dictionary(lang: str):
    # The process-wide factory that simplemma.lemmatize also uses: each language's
    # dictionary is decoded once (about a second for Russian), not twice.
    factory = getattr(dictionaries, "DEFAULT_DICTIONARY_FACTORY", None)
    return (factory or dictionaries.DefaultDictionaryFactory()).get_dictionary(lang)


def forms_of_lemmas(lemmas: frozenset[str], lang: str) -> dict[str, set[str]]:
    """Return lemma -> every lower-case form the dictionary of `lang` maps to it."""
    found: dict[str, set[str]] = {lemma: {lemma} for lemma in lemmas}
    dictionary = _dictionary(lang)
    # simplemma keeps its data as a dict of UTF-8 bytes; scanning that directly is ~10x
    # faster than decoding every entry through the public Mapping (1.4 M entries for ru).
    raw = getattr(dictionary, "_dict", None)
    if isinstance(raw, dict):
        # Proper nouns are stored capitalised ("Israelis" -> "Israeli").
        wanted = {v.encode(): lemma for lemma in lemmas
                  for v in (lemma, lemma.capitalize(), lemma.title(), lemma.upper())}
        for form, lemma in raw.items():
            if lemma in wanted:
                found[wanted[lemma]].add(form.decode().lower())
        return found
    for form, lemma in dictionary.items():
        lemma = lemma.lower()
        if lemma in found:
            found[lemma].add(form.lower())
    return found


def word_forms(words: Iterable[str], lang: str) -> dict[str, set[str]]:
    """Return word -> its forms: every inflection if written as a base form, else itself."""
    words = {w.lower() for w in words}
    if lang in INFLECT_EVERY_WORD:
        # Russian terms are written in the dictionary form (ядерное оружие): inflect from
        # each word's lemma, whatever form it was written in.
        lemma_of = {w: _lemmatise(w, lang) for w in words if w.isalpha()}
    else:
        lemma_of = {w: w for w in words if w.isalpha() and _lemmatise(w, lang) == w}
    table = forms_of_lemmas(frozenset(lemma_of.values()), lang) if lemma_of else {}
    return {w: (table.get(lemma_of[w], set()) | {w}) if w in lemma_of else {w} for w in words}


def phrase_forms(phrases: Iterable[str], lang: str | None = None) -> dict[str, set[str]]:
    """Return phrase -> its surface variants (lower case unless the phrase is an acronym)."""
    phrases = list(phrases)
    by_lang: dict[str, list[str]] = {}
    for p in phrases:
        by_lang.setdefault(lang or language_of(p), []).append(p)
    result: dict[str, set[str]] = {}
    for code, group in by_lang.items():
        split = {p: p.split() for p in group}
        inflected_words = set()
        for p, words in split.items():
            if not words or is_case_sensitive(p):
                continue
            inflected_words.update(words if code in INFLECT_EVERY_WORD else words[-1:])
        forms = word_forms(inflected_words, code) if inflected_words else {}
        for p, words in split.items():
            if not words:
                continue
            if is_case_sensitive(p):
                result[p] = {" ".join(words)}
                continue
            lowered = [w.lower() for w in words]
            slots = [forms.get(w, {w}) if (code in INFLECT_EVERY_WORD or i == len(lowered) - 1)
                     else {w} for i, w in enumerate(lowered)]
            variants = {" ".join(combo) for combo in itertools.islice(
                itertools.product(*(sorted(s) for s in slots)), MAX_PHRASE_VARIANTS)}
            variants.add(" ".join(lowered))
            result[p] = variants
    return result


# The forms of the shipped taxonomy's phrases, written by `python -m extractors.themes
# --write-inflections` (a test fails when the taxonomy changes and it is not rewritten).
# Reading them costs ~10 ms; simplemma's dictionaries cost ~0.8 s of CPU and ~150 MB in
# every process that compiles a taxonomy (each extraction process, each run).
SHIPPED_FORMS = Path(__file__).with_name("inflections.json")


@cache
def shipped_forms() -> dict[str, dict[str, list[str]]]:
    """Return language -> phrase -> forms from SHIPPED_FORMS, if it was written with the
    installed simplemma (other versions may inflect differently: then nothing)."""
    try:
        data = json.loads(SHIPPED_FORMS.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data.get("forms", {}) if data.get("simplemma") == version("simplemma") else {}


def known_phrase_forms(phrases: Iterable[str], lang: str) -> dict[str, set[str]]:
    """Return phrase_forms(phrases, lang), from the shipped table where it has a phrase;
    the lemmatiser runs only for phrases it lacks (a custom or edited taxonomy)."""
    table = shipped_forms().get(lang, {})
    found = {p: set(table[p]) for p in phrases if p in table}
    missing = [p for p in phrases if p not in found]
    if missing:
        found.update(phrase_forms(missing, lang))
    return found


def write_shipped_forms(by_lang: dict[str, Iterable[str]], path: Path = SHIPPED_FORMS) -> int:
    """Write the forms of `by_lang` (language -> phrases) to `path`; return the phrases."""
    forms = {lang: {p: sorted(f) for p, f in sorted(phrase_forms(sorted(phrases), lang).items())}
             for lang, phrases in sorted(by_lang.items())}
    data = {"simplemma": version("simplemma"), "forms": forms}
    path.write_text(json.dumps(data, ensure_ascii=False, indent=0, sort_keys=True) + "\n",
                    encoding="utf-8")
    return sum(len(f) for f in forms.values())


def is_case_sensitive(phrase: str) -> bool:
    """True for short acronyms written in capitals ("US", "EU", "UN"): they match only so."""
    letters = phrase.replace(".", "").replace(" ", "")
    return 0 < len(letters) <= 3 and letters.isupper()


def release_dictionaries() -> None:
    """Drop simplemma's decoded dictionaries (~150 MB for English and Russian).

    They are needed only while a taxonomy is compiled into its automaton; an extraction
    process releases them once its taxonomy is ready.
    """
    _dictionary.cache_clear()
    _lemmatise.cache_clear()
    factory = getattr(dictionaries, "DEFAULT_DICTIONARY_FACTORY", None)
    cached = getattr(factory, "_get_dictionary", None)
    if cached is not None and hasattr(cached, "cache_clear"):
        cached.cache_clear()
