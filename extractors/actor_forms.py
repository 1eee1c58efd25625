"""Every case form of the gazetteer's Russian aliases, from pymorphy3 (OpenCorpora dictionaries).

Russian names a country, a capital or a leader in six cases (Индия, Индии, Индию, Индией…),
and the gazetteer writes each alias once, in the nominative. The forms are generated with
pymorphy3, whose dictionaries know proper names (Geox, Surn, Name) that simplemma's lemma
lists lack (simplemma has no entry for Индии, Путина or Эр-Рияде), and which guesses the
declension of a name it has never seen from its ending. As with the themes' inflections, the
forms of the shipped gazetteer are computed once and shipped (actor_forms.json); pymorphy3
runs at ingest only for aliases of a custom gazetteer that the file lacks.

How a phrase is inflected:
- a leader's name inflects every word (Владимир Путин -> Владимира Путина);
- any other phrase inflects its head noun (the first noun in the nominative) and the
  adjectives before it, in agreement (Саудовская Аравия -> Саудовской Аравии); words after
  the head are dependents and stay as written (Организация Объединённых Наций ->
  Организации Объединённых Наций, Республика Корея -> Республики Корея);
- a lone adjective (российский) gets all its forms (российского, российской, российских…);
- indeclinable names (Нью-Дели, Моди, США) stay as written; a hyphenated name the dictionary
  does not know inflects its last part (Эр-Рияд -> Эр-Рияде);
- every form with ё is also matched with е, as the press usually prints it.
Forms are lower case: Russian aliases match case-insensitively (acronyms of up to three
capitals excepted, as in every language).
"""

from __future__ import annotations

import itertools
import json
import logging
from collections.abc import Iterable
from functools import cache
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

LOGGER = logging.getLogger(__name__)
SHIPPED_ACTOR_FORMS = Path(__file__).with_name("actor_forms.json")
# The six cases, plus the second genitive and locative (чаю, в Крыму).
CASES = ("nomn", "gent", "datv", "accs", "ablt", "loct", "gen2", "loc2")
PROPER = frozenset({"Name", "Surn", "Patr", "Geox", "Orgn", "Abbr"})
INFLECTED_POS = ("NOUN", "ADJF", "PRTF")


def morphology_version() -> str:
    """Return the pymorphy3 and dictionary versions the forms depend on ("" if absent)."""
    try:
        return f"pymorphy3 {version('pymorphy3')}, dicts {version('pymorphy3-dicts-ru')}"
    except PackageNotFoundError:
        return ""


@cache
def _analyzer():
    import pymorphy3  # imported only when a custom gazetteer needs it (~0.2 s, ~15 MB)

    return pymorphy3.MorphAnalyzer()


def _rank(parse) -> tuple:
    grammemes = set(parse.tag.grammemes)
    return (not (parse.tag.POS == "NOUN" and grammemes & PROPER), parse.tag.POS != "NOUN",
            not parse.is_known, -parse.score)


def _nominative_parses(word: str) -> list:
    """Return the most likely readings of `word` as a nominative noun or adjective (several
    when the dictionary cannot tell them apart: большая is больший or большой)."""
    low = word.lower()
    readings = [p for p in _analyzer().parse(low)
                if p.word == low and p.tag.POS in INFLECTED_POS
                and ("nomn" in p.tag or "Fixd" in p.tag)]
    if not readings:
        return []
    best = min(_rank(p) for p in readings)
    return [p for p in readings if _rank(p) == best]


def _inflect(parse, case: str, agree_with=None) -> str | None:
    if "Fixd" in parse.tag:
        return parse.word
    grammemes = {case}
    model = agree_with or parse
    if model.tag.number:
        grammemes.add(model.tag.number)
    if parse.tag.POS in ("ADJF", "PRTF"):
        if model.tag.gender and model.tag.number != "plur":
            grammemes.add(model.tag.gender)
        # an adjective's accusative follows its noun's animacy only in masculine and plural
        if case == "accs" and model.tag.animacy and (model.tag.number == "plur"
                                                     or model.tag.gender == "masc"):
            grammemes.add(model.tag.animacy)
    inflected = parse.inflect(grammemes)
    return inflected.word if inflected is not None else None


def _word_slot(word: str) -> tuple[str, list]:
    """Return (prefix kept as written, the readings of the part that inflects) for a word."""
    parses = _nominative_parses(word)
    if "-" in word and not any(p.is_known for p in parses):
        head, _, last = word.rpartition("-")
        return head.lower() + "-", _nominative_parses(last)
    return "", parses


def russian_forms(alias: str, names: bool = False) -> set[str]:
    """Return the lower-case case forms of a Russian alias (see the module docstring)."""
    words = alias.split()
    written = " ".join(w.lower() for w in words)
    if len(words) == 1:
        prefix, parses = _word_slot(words[0])
        if parses and parses[0].tag.POS == "ADJF" and not names:
            forms = {prefix + form.word for p in parses for form in p.lexeme
                     if form.tag.POS == "ADJF" and "Supr" not in form.tag}
            return _with_ye(forms | {written})
    # Which words inflect, and the noun each agrees with (None: kept as written).
    head = None
    plan: list[tuple[str, list, bool] | None] = []
    for prefix, parses in map(_word_slot, words):
        if not parses or (head is not None and not names):
            plan.append(None)  # unknown to the dictionary, or a dependent after the head
        elif names or parses[0].tag.POS == "NOUN":
            head = head or parses[0]
            plan.append((prefix, parses, False))
        else:
            plan.append((prefix, parses, True))  # an adjective before the head
    forms = {written}
    for case in CASES:
        choices = []
        for word, step in zip(words, plan):
            if step is None:
                choices.append([word.lower()])
                continue
            prefix, parses, agrees = step
            inflected = {_inflect(p, case, head if agrees else None) for p in parses} - {None}
            choices.append(sorted(prefix + w for w in inflected))
        forms.update(" ".join(combo) for combo in itertools.product(*choices))
    return _with_ye(forms)


def _with_ye(forms: set[str]) -> set[str]:
    return forms | {f.replace("ё", "е") for f in forms}


@cache
def shipped_actor_forms() -> dict[str, dict[str, list[str]]]:
    """Return {"names"|"phrases": alias -> forms} from the shipped file, if it was written
    with the installed pymorphy3 and dictionaries (else nothing: they may inflect otherwise)."""
    try:
        data = json.loads(SHIPPED_ACTOR_FORMS.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if data.get("morphology") != morphology_version():
        return {}
    return data.get("forms", {})


def alias_forms(alias: str, names: bool = False) -> set[str]:
    """Return the forms of a Russian alias: from the shipped table, else from pymorphy3,
    else (pymorphy3 not installed) the alias as written."""
    table = shipped_actor_forms().get("names" if names else "phrases", {})
    if alias in table:
        return set(table[alias])
    try:
        return russian_forms(alias, names)
    except ImportError:
        LOGGER.warning("pymorphy3 is not installed: the Russian alias %r matches only as "
                       "written", alias)
        return {alias.lower()}


def write_shipped_actor_forms(names: Iterable[str], phrases: Iterable[str],
                              path: Path = SHIPPED_ACTOR_FORMS) -> int:
    """Write the forms of `names` (leaders) and `phrases` (every other alias); return how many."""
    forms = {"names": {a: sorted(russian_forms(a, True)) for a in sorted(set(names))},
             "phrases": {a: sorted(russian_forms(a)) for a in sorted(set(phrases))}}
    data = {"morphology": morphology_version(), "forms": forms}
    path.write_text(json.dumps(data, ensure_ascii=False, indent=0, sort_keys=True) + "\n",
                    encoding="utf-8")
    shipped_actor_forms.cache_clear()
    return sum(len(v) for v in forms.values())
