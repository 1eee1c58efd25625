"""Loading the theme taxonomy (a TOML file, see docs/taxonomy.md) and computing its version."""

from __future__ import annotations

import hashlib
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

DEFAULT_TAXONOMY_PATH = Path(__file__).with_name("taxonomy.toml")
DEFAULT_LANGUAGE = "en"


@dataclass(frozen=True)
class NearRule:
    """Terms that count only with a partner term within `window` words (either side)."""

    terms: tuple[str, ...]
    partners: tuple[str, ...]
    window: int
    weight: float
    # When given, a term also needs one of these within the window (e.g. the target of
    # Western pressure: Russia or India).
    targets: tuple[str, ...] = ()
    # A hit of this rule names the article's subject as the title does ("energy
    # cooperation" between two states): the theme needs no more than its article threshold.
    names_subject: bool = False


@dataclass(frozen=True)
class Theme:
    """One theme: weighted terms per language, proximity rules, exclusions, a threshold."""

    id: str
    label: str
    description: str
    terms: dict[str, float]  # phrase -> weight, every language together
    threshold: float
    exclude: tuple[str, ...] = ()  # phrases that mask a term they overlap
    group: str = ""  # themes sharing a group compete on short texts (see Scoring)
    near: tuple[NearRule, ...] = ()
    unless_near: tuple[str, ...] = ()  # a term hit with one of these close by is dropped
    unless_window: int = 0
    languages: dict[str, dict[str, float]] = field(default_factory=dict, compare=False)
    # phrase -> "@set" for terms given as a set: a set scores as one term (see docs)
    term_sets: dict[str, str] = field(default_factory=dict, compare=False)
    # Texts longer than Scoring.short_text_words (articles, not headlines) need this score.
    article_threshold: float = 0.0
    # The article must name at least this many parties (countries, or international bodies)
    # from the gazetteer: relations need two sides. 0 = no such rule.
    parties: int = 0
    # Names of the article's home country (its capital, leaders...) are not evidence for
    # this theme: Putin in a Russian outlet is domestic news (see docs/taxonomy.md).
    home_is_domestic: bool = False
    # An article whose title names nothing of this theme needs this score (0 = the article
    # threshold): the title states the subject, so a theme it leaves out must carry a
    # paragraph, not a clause ("energy costs" in a markets wrap about gold).
    untitled_threshold: float = 0.0

    def threshold_for(self, word_count: int, short_text_words: int,
                      titled: bool = True) -> float:
        """Return the score a text of `word_count` words needs for this theme (`titled`:
        the text has a title and some of the theme's evidence is in it, or no title)."""
        if word_count <= short_text_words:
            return self.threshold
        if not titled and self.untitled_threshold:
            return self.untitled_threshold
        return self.article_threshold


@dataclass(frozen=True)
class Scoring:
    """How term hits become a score: see docs/taxonomy.md."""

    reference_words: int = 100  # texts up to this long are not length-damped
    short_text_words: int = 60  # texts up to this long are headlines (one theme per group)
    group_dominance: float = 1.0  # on short texts keep themes >= this x the group's best
    title_weight: float = 1.0  # on articles, a hit in the title weighs this much more


@dataclass(frozen=True)
class Taxonomy:
    """The themes in force and the version (content hash) stamped on every tag."""

    themes: tuple[Theme, ...]
    version: str
    path: str
    scoring: Scoring = Scoring()
    raw: dict = field(default_factory=dict, compare=False, repr=False)

    def theme(self, theme_id: str) -> Theme:
        """Return the theme with this id; KeyError if there is none."""
        for theme in self.themes:
            if theme.id == theme_id:
                return theme
        raise KeyError(theme_id)


def _expand(items: list, sets: dict[str, list[str]], where: str) -> tuple[str, ...]:
    """Return `items` with every "@name" replaced by the phrases of set `name`."""
    out = []
    for item in items:
        item = str(item)
        if item.startswith("@"):
            if item[1:] not in sets:
                raise ValueError(f"{where}: unknown set {item!r} (define it under [sets])")
            out.extend(sets[item[1:]])
        else:
            out.append(item)
    return tuple(out)


def _terms(entry: dict, sets: dict[str, list[str]],
           where: str) -> tuple[dict[str, dict[str, float]], dict[str, str]]:
    """Return (language -> {phrase: weight}, phrase -> "@set" for set members).

    Plain `phrase = weight` pairs are English. A key "@name" gives every phrase of set
    `name` that weight (explicit entries win), and the set scores as one term.
    """
    languages: dict[str, dict[str, float]] = {}
    term_sets: dict[str, str] = {}

    def add(lang: str, phrase: str, value: object) -> None:
        weight = _weight(value, where, phrase)
        table = languages.setdefault(lang, {})
        for p in _expand([phrase], sets, where):
            if p == phrase:
                table[p] = weight
                term_sets.pop(p, None)
            elif p not in table:
                table[p] = weight
                term_sets[p] = phrase

    for key, value in entry.get("terms", {}).items():
        if isinstance(value, dict):
            for phrase, weight in value.items():
                add(key, str(phrase), weight)
        else:
            add(DEFAULT_LANGUAGE, str(key), value)
    return languages, term_sets


def _weight(value: object, where: str, phrase: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(f"{where}: weight of {phrase!r} must be a number, got {value!r}")
    return float(value)


def parse_taxonomy(data: bytes, path: str = "<memory>") -> Taxonomy:
    """Return the Taxonomy in TOML `data`; ValueError naming the problem if it is invalid."""
    try:
        raw = tomllib.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ValueError(f"taxonomy {path} is not valid TOML: {exc}") from exc
    default_threshold = float(raw.get("default_threshold", 1.0))
    sets = {name: [str(x) for x in values] for name, values in raw.get("sets", {}).items()}
    s = raw.get("scoring", {})
    scoring = Scoring(
        reference_words=int(s.get("reference_words", Scoring.reference_words)),
        short_text_words=int(s.get("short_text_words", Scoring.short_text_words)),
        group_dominance=float(s.get("group_dominance", Scoring.group_dominance)),
        title_weight=float(s.get("title_weight", Scoring.title_weight)),
    )
    themes, seen = [], set()
    for i, entry in enumerate(raw.get("themes", [])):
        theme_id = entry.get("id")
        if not theme_id or not isinstance(theme_id, str):
            raise ValueError(f"taxonomy {path}: theme #{i + 1} has no id")
        if theme_id in seen:
            raise ValueError(f"taxonomy {path}: theme id {theme_id!r} appears twice")
        seen.add(theme_id)
        where = f"taxonomy {path}: theme {theme_id!r}"
        languages, term_sets = _terms(entry, sets, where)
        near = tuple(
            NearRule(
                terms=_expand(rule.get("terms", []), sets, where),
                partners=_expand(rule.get("with", []), sets, where),
                window=int(rule.get("window", 10)),
                weight=float(rule.get("weight", 1.0)),
                targets=_expand(rule.get("targets", []), sets, where),
                names_subject=bool(rule.get("names_subject", False)),
            )
            for rule in entry.get("near", [])
        )
        if any(not r.terms or not r.partners for r in near):
            raise ValueError(f"{where}: a [[themes.near]] rule needs `terms` and `with`")
        if not languages and not near:
            raise ValueError(f"{where} has no terms")
        unless = entry.get("unless_near", {})
        threshold = float(entry.get("threshold", default_threshold))
        article_threshold = float(entry.get("article_threshold", threshold))
        untitled_threshold = float(entry.get("untitled_threshold", 0.0))
        if untitled_threshold and untitled_threshold < article_threshold:
            raise ValueError(f"{where}: untitled_threshold {untitled_threshold:g} is below "
                             f"article_threshold {article_threshold:g}")
        if threshold <= 0 or article_threshold <= 0:
            raise ValueError(f"{where}: threshold must be positive, got "
                             f"{min(threshold, article_threshold):g}")
        themes.append(
            Theme(
                id=theme_id,
                label=entry.get("label", theme_id),
                description=entry.get("description", ""),
                terms={p: w for lang in languages.values() for p, w in lang.items()},
                threshold=threshold,
                exclude=_expand(entry.get("exclude", []), sets, where),
                group=str(entry.get("group", "")),
                near=near,
                unless_near=_expand(unless.get("terms", []), sets, where),
                unless_window=int(unless.get("window", 0)),
                languages=languages,
                term_sets=term_sets,
                article_threshold=article_threshold,
                parties=int(entry.get("parties", 0)),
                home_is_domestic=bool(entry.get("home_is_domestic", False)),
                untitled_threshold=untitled_threshold,
            )
        )
    if not themes:
        raise ValueError(f"taxonomy {path} defines no themes")
    version = hashlib.sha256(data).hexdigest()[:12]
    return Taxonomy(themes=tuple(themes), version=version, path=path, scoring=scoring, raw=raw)


def load_taxonomy(path: Path | str | None = None) -> Taxonomy:
    """Return the taxonomy at `path`, or the default one shipped with mediawatch."""
    path = Path(path) if path else DEFAULT_TAXONOMY_PATH
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ValueError(f"cannot read taxonomy {path}: {exc.strerror or exc}") from exc
    return parse_taxonomy(data, str(path))
