"""Actors named in an article (countries, leaders, organisations, places) from a gazetteer."""

from __future__ import annotations

import hashlib
import tomllib
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from .actor_forms import alias_forms, write_shipped_actor_forms
from .inflect import is_case_sensitive, language_of
from .matcher import PhraseMatcher
from .records import ActorMention

DEFAULT_GAZETTEER_PATH = Path(__file__).with_name("gazetteer.toml")
KINDS = ("country", "leader", "organisation", "place")


@dataclass(frozen=True)
class Actor:
    """One gazetteer entry."""

    id: str
    kind: str
    aliases: tuple[str, ...]
    country: str = ""
    case_sensitive: bool = False


@dataclass(frozen=True)
class Gazetteer:
    """The actors in force, their matcher, and the version (content hash) of the file."""

    actors: tuple[Actor, ...]
    version: str
    path: str
    matcher: PhraseMatcher


def parse_gazetteer(data: bytes, path: str = "<memory>") -> Gazetteer:
    """Return the Gazetteer in TOML `data`; ValueError naming the problem if it is invalid."""
    try:
        raw = tomllib.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ValueError(f"gazetteer {path} is not valid TOML: {exc}") from exc
    actors, seen = [], set()
    for i, entry in enumerate(raw.get("actors", [])):
        actor_id, kind = entry.get("id"), entry.get("kind")
        where = f"gazetteer {path}: actor #{i + 1} ({actor_id!r})"
        if not actor_id or not isinstance(actor_id, str):
            raise ValueError(f"{where} has no id")
        if actor_id in seen:
            raise ValueError(f"{where}: id appears twice")
        if kind not in KINDS:
            raise ValueError(f"{where}: kind must be one of {', '.join(KINDS)}, got {kind!r}")
        aliases = tuple(str(a) for a in entry.get("aliases", [])) or (actor_id,)
        seen.add(actor_id)
        actors.append(Actor(actor_id, kind, aliases, str(entry.get("country", "")),
                            bool(entry.get("case_sensitive", False))))
    matcher = PhraseMatcher(
        (surface, a, case_sensitive)
        for a in actors for alias in a.aliases
        for surface, case_sensitive in alias_surfaces(alias, a)
    )
    version = hashlib.sha256(data).hexdigest()[:12]
    return Gazetteer(tuple(actors), version, path, matcher)


def alias_surfaces(alias: str, actor: Actor) -> list[tuple[str, bool]]:
    """Return the (surface form, case-sensitive) pairs an alias is matched by: every case
    form of a Russian alias (extractors/actor_forms.py), other aliases as written."""
    if is_case_sensitive(alias):
        return [(alias, True)]
    if language_of(alias) == "ru":
        return [(form, False) for form in sorted(alias_forms(alias, actor.kind == "leader"))]
    return [(alias, actor.case_sensitive)]


def russian_aliases(gazetteer: Gazetteer) -> tuple[set[str], set[str]]:
    """Return the Russian aliases of leaders and of every other actor (to precompute)."""
    names, phrases = set(), set()
    for actor in gazetteer.actors:
        for alias in actor.aliases:
            if language_of(alias) == "ru" and not is_case_sensitive(alias):
                (names if actor.kind == "leader" else phrases).add(alias)
    return names, phrases


_LOADED: dict[str, Gazetteer] = {}


def load_gazetteer(path: Path | str | None = None) -> Gazetteer:
    """Return the gazetteer at `path` (or the shipped one), parsed once per process."""
    path = Path(path) if path else DEFAULT_GAZETTEER_PATH
    key = str(path.resolve())
    if key not in _LOADED:
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise ValueError(f"cannot read gazetteer {path}: {exc.strerror or exc}") from exc
        _LOADED[key] = parse_gazetteer(data, str(path))
    return _LOADED[key]


def find_actors(article_id: str, title: str, text: str, gazetteer: Gazetteer) -> list[ActorMention]:
    """Return one ActorMention per actor named in the article, with its mention count."""
    doc = f"{title}\n{text}" if title else text
    counts: Counter[Actor] = Counter()
    for _, _, payloads in gazetteer.matcher.find(doc):
        for actor in set(payloads):
            counts[actor] += 1
    return [ActorMention(article_id, a.id, a.kind, n)
            for a, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0].id))]


if __name__ == "__main__":  # python -m extractors.actors --write-forms
    import sys

    if sys.argv[1:] != ["--write-forms"]:
        sys.exit("usage: python -m extractors.actors --write-forms")
    written = write_shipped_actor_forms(*russian_aliases(load_gazetteer()))
    print(f"wrote the case forms of {written} Russian aliases to extractors/actor_forms.json")
