"""The relationship an analyst follows (the `focus` setting) and each article's focus mark.

The rule, in full (docs/taxonomy.md says the same):
- the focus is a list of gazetteer countries, by default India and Russia;
- an article *names* a party when the gazetteer finds the country itself (any alias: "New
  Delhi", "the Kremlin", «России») or one of its own actors: a leader, a place, or a company
  whose gazetteer `country` is that party ("Putin", "Vladivostok", "Rosneft");
- `score` is the share of the focus parties the article names (0, 0.5 or 1 for two);
- a **focus article** (`is_focus`) names every party: "India buys Russian oil" is one, an
  article about India alone is not (score 0.5).
The article's home country does not count as named: RIA Novosti writing about India is a
focus article only when it names Russia too, as it nearly always does when it is one.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from .actors import Gazetteer, load_gazetteer
from .parties import party_of
from .records import ActorMention, Article, FocusMark

DEFAULT_FOCUS = "India, Russia"


def parse_focus(value: str, gazetteer: Gazetteer | None = None) -> tuple[str, ...]:
    """Return the focus parties in `value` ("India, Russia"), as gazetteer ids.

    ValueError naming the party when one is not a country of the gazetteer. An empty value
    means no focus: every score is 0 and no article is a focus article.
    """
    gazetteer = gazetteer or load_gazetteer()
    countries = {a.id.lower(): a.id for a in gazetteer.actors if a.kind == "country"}
    parties = []
    for name in (p.strip() for p in value.split(",")):
        if not name:
            continue
        if name.lower() not in countries:
            raise ValueError(f"focus: {name!r} is not a country of the gazetteer "
                             f"{gazetteer.path} (set MEDIAWATCH_FOCUS to countries it lists)")
        parties.append(countries[name.lower()])
    return tuple(dict.fromkeys(parties))


def focus_mark(article_id: str, mentions: Iterable[ActorMention], focus: Sequence[str],
               gazetteer: Gazetteer | None = None) -> FocusMark:
    """Return the focus mark of one article from its actor mentions."""
    gazetteer = gazetteer or load_gazetteer()
    named = {party_of(m.actor, gazetteer) for m in mentions}
    found = tuple(p for p in focus if p in named)
    score = round(len(found) / len(focus), 4) if focus else 0.0
    return FocusMark(article_id, ", ".join(focus), score, bool(focus) and len(found) == len(focus),
                     found)


def focus_marks(articles: Iterable[Article | str], actors: Iterable[ActorMention],
                focus: Sequence[str], gazetteer: Gazetteer | None = None) -> list[FocusMark]:
    """Return one FocusMark per article (an Article or its id), from the batch's actors."""
    by_article: dict[str, list[ActorMention]] = {}
    for m in actors:
        by_article.setdefault(m.article_id, []).append(m)
    ids = [a if isinstance(a, str) else a.article_id for a in articles]
    return [focus_mark(i, by_article.get(i, ()), focus, gazetteer) for i in dict.fromkeys(ids)]
