"""Who an article is about, in the gazetteer's terms: the parties it names (countries and
international bodies), and which taxonomy names belong to the article's home country.

A party is a country; a leader, place or company counts as its `country`; an organisation
without a country (the UN, NATO, the EU, BRICS) is a party of its own. Themes about relations
between states (diplomacy) need two parties; the focus of an analyst (focus.py) is a set of
parties.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from functools import cache

from .actors import Gazetteer, find_actors, load_gazetteer
from .records import ActorMention
from .taxonomy import Taxonomy


_PARTY_OF: dict[tuple[str, str], dict[str, str]] = {}


def _party_of(gazetteer: Gazetteer) -> dict[str, str]:
    """Return actor id -> the party it stands for (built once per gazetteer file)."""
    key = (gazetteer.path, gazetteer.version)
    if key not in _PARTY_OF:
        _PARTY_OF[key] = {a.id: (a.id if a.kind == "country" else a.country or a.id)
                          for a in gazetteer.actors}
    return _PARTY_OF[key]


@cache
def _default() -> Gazetteer:
    return load_gazetteer()


def party_of(actor_id: str, gazetteer: Gazetteer | None = None) -> str:
    """Return the party an actor stands for (its country, or itself)."""
    return _party_of(gazetteer or _default()).get(actor_id, actor_id)


def parties_of(mentions: Iterable[ActorMention], gazetteer: Gazetteer | None = None) -> set[str]:
    """Return the parties named by these actor mentions."""
    table = _party_of(gazetteer or _default())
    return {table.get(m.actor, m.actor) for m in mentions}


def parties_named(title: str, text: str, actors: Sequence[ActorMention] | None = None,
                  gazetteer: Gazetteer | None = None) -> set[str]:
    """Return the parties an article names (from `actors` when the caller has them)."""
    gazetteer = gazetteer or _default()
    if actors is None:
        actors = find_actors("", title, text, gazetteer)
    return parties_of(actors, gazetteer)


def party_of_name(name: str, gazetteer: Gazetteer | None = None) -> str:
    """Return the party a name stands for ("Moscow" -> "Russia"), or the name itself when
    the gazetteer does not know it as a whole."""
    gazetteer = gazetteer or _default()
    hits = gazetteer.matcher.find(name)
    if len(hits) == 1 and hits[0][0] == 0 and hits[0][1] == len(name):
        return _party_of(gazetteer).get(hits[0][2][0].id, name)
    return name


_HOME_NAMES: dict[tuple[str, str, str], frozenset[tuple[int, str]]] = {}


def home_names_of(taxonomy: Taxonomy, home_country: str,
                  gazetteer: Gazetteer | None = None) -> frozenset[tuple[int, str]]:
    """Return the (theme index, phrase) pairs of `home_is_domestic` themes whose phrase is a
    name of `home_country` in the gazetteer ("Putin", "Moscow", "Путин" for Russia)."""
    gazetteer = gazetteer or _default()
    key = (taxonomy.version, gazetteer.version, home_country)
    if key not in _HOME_NAMES:
        table = _party_of(gazetteer)
        found = set()
        for ti, theme in enumerate(taxonomy.themes):
            if not theme.home_is_domestic:
                continue
            for phrase in theme.terms:
                hits = gazetteer.matcher.find(phrase)
                if len(hits) == 1 and hits[0][0] == 0 and hits[0][1] == len(phrase) and any(
                        table.get(a.id) == home_country for a in hits[0][2]):
                    found.add((ti, phrase))
        _HOME_NAMES[key] = frozenset(found)
    return _HOME_NAMES[key]
