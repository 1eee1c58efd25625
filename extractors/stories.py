"""What a story is made of: the similarity features of one article, language-independent where
they can be.

An article becomes a bag of weighted features (a dict), compared by cosine after IDF weighting
in warehouse/stories.py:
- `w:<stem>`  title and lead words, Snowball-stemmed per language, stop words dropped;
  Latin-script words in a Russian text ("S-400", "BrahMos") stay Latin, so they meet the
  English ones.
- `a:<actor>` gazetteer ids (the same id whatever the language or inflection of the alias).
- `n:<number>` numbers with their scale ("$2.5 billion" and "2,5 млрд долларов" are both
  `n:2.5e9`; "S-400" gives `n:400`); years are left out, every story of a year shares them.
- `d:<MM-DD>` calendar dates named in the text ("March 10", "10 марта").
- `p:<stem> <stem>` pairs of adjacent title words: "neil young" is not "neil degrasse",
  "bank england" is one name; a pair is rarer than either word, so it tells stories apart.
- URL slug words (`w:`, weighted like the lead): most news URLs carry the publisher's own
  summary of the headline ("/sbarro-files-for-bankruptcy-again/"), often the full headline
  where a feed or an aggregator cut it ("... files for  ..."). Ids and dates in the path are
  not slugs (only runs of three or more hyphenated words without digits count).
The title counts twice: headlines name the event, leads wander. Words and numbers are what
two English reports share; actors, numbers, dates and Latin names are what an English and a
Russian report share without translation.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache
from urllib.parse import unquote, urlsplit

import snowballstemmer

LEAD_WORDS = 40  # words of the text after the title that count as its lead
TITLE_WEIGHT = 2.0
ACTOR_WEIGHT = 2.0  # named actors are rarer and more specific than words
FRAME_WEIGHT = 0.5  # countries and leaders (x TITLE_WEIGHT): they frame half the press, and
# the English word naming them ("China", "US") already counts
NUMBER_WEIGHT = 3.0
DATE_WEIGHT = 1.0
PAIR_WEIGHT = 1.0  # a pair of adjacent title words: on top of the words themselves
SLUG_WEIGHT = 1.0  # a URL slug word the title lacks: like a lead word
# Words (letters, digits, inner hyphens and apostrophes): "S-400", "Snowden's", "Су-57".
WORD = re.compile(r"[^\W_](?:[\w'’\-]*[^\W_])?")
CYRILLIC = re.compile(r"[а-яё]", re.IGNORECASE)
# A slug: three or more words joined by hyphens, underscores or pluses ("gm-recall-probe");
# "article_d5918de8" or "2014-03-11" are ids and dates, not slugs (their words have digits).
SLUG = re.compile(r"[^\W_]+(?:[-_+][^\W_]+){2,}")
# A number with an optional scale word after it: "2.5 billion", "2,5 млрд", "400", "21B".
NUMBER = re.compile(
    r"(?<![\w.,])(\d{1,3}(?:[ ,\u00a0]\d{3})+|\d+(?:[.,]\d+)?)"
    r"\s*(billion|bn|b|million|mln|mn|m|thousand|k|трлн|триллион\w*|млрд|миллиард\w*|млн|"
    r"миллион\w*|тыс|тысяч\w*|trillion|tn)?(?![\w])",
    re.IGNORECASE,
)
SCALES = {"trillion": 1e12, "tn": 1e12, "трлн": 1e12, "триллион": 1e12,
          "billion": 1e9, "bn": 1e9, "b": 1e9, "млрд": 1e9, "миллиард": 1e9,
          "million": 1e6, "mln": 1e6, "mn": 1e6, "m": 1e6, "млн": 1e6, "миллион": 1e6,
          "thousand": 1e3, "k": 1e3, "тыс": 1e3, "тысяч": 1e3}
MONTHS = {
    "january": 1, "jan": 1, "январ": 1, "february": 2, "feb": 2, "феврал": 2, "march": 3,
    "mar": 3, "март": 3, "april": 4, "apr": 4, "апрел": 4, "may": 5, "ма": 5, "june": 6,
    "jun": 6, "июн": 6, "july": 7, "jul": 7, "июл": 7, "august": 8, "aug": 8, "август": 8,
    "september": 9, "sep": 9, "sept": 9, "сентябр": 9, "october": 10, "oct": 10, "октябр": 10,
    "november": 11, "nov": 11, "ноябр": 11, "december": 12, "dec": 12, "декабр": 12,
}
# "10 March", "10 марта" and "March 10": a day number next to a month name.
DAY_MONTH = re.compile(r"\b(\d{1,2})\s+([a-zа-яё]+)", re.IGNORECASE)
MONTH_DAY = re.compile(r"\b([a-z]+)\.?\s+(\d{1,2})(?![\d.,])", re.IGNORECASE)
# Short function words the stemmer leaves as they are; IDF takes care of the rest.
STOP_WORDS = frozenset("""
a an the and or but of to in on at by for with from as is are was were be been has have had
it its this that these those not no into over after before about than up out new says said
will would can could may might he she they we you his her their our who what why how when
and amp via vs
и в во на с со по к ко о об от до из за для при что как это не но а же ли бы то он она они
его ее её их мы вы у под над также который которая которые после будет был была были
""".split())


@cache
def stemmer(language: str):
    """Return the Snowball stemmer of a language (English for unknown ones)."""
    name = {"ru": "russian", "en": "english", "de": "german", "fr": "french",
            "es": "spanish", "it": "italian"}.get((language or "en")[:2].lower(), "english")
    return snowballstemmer.stemmer(name)


def scale_of(word: str | None) -> float:
    """Return the multiplier a scale word stands for (1 when there is none)."""
    if not word:
        return 1.0
    word = word.lower()
    for prefix, value in SCALES.items():
        if word == prefix or (len(prefix) > 3 and word.startswith(prefix)):
            return value
    return 1.0


def numbers(text: str) -> set[str]:
    """Return the normalised numbers of `text` ("2.5e9", "400"), years left out."""
    found = set()
    for match in NUMBER.finditer(text):
        digits, scale = match.group(1), match.group(2)
        raw = re.sub(r"[ \u00a0]", "", digits)
        # "1,000" groups thousands; "2,5" is a Russian decimal comma
        raw = raw.replace(",", "") if re.fullmatch(r"\d{1,3}(,\d{3})+", raw) else raw.replace(",", ".")
        try:
            value = float(raw) * scale_of(scale)
        except ValueError:
            continue
        if scale is None and value.is_integer() and 1900 <= value <= 2100:
            continue  # a year
        if value < 2 and scale is None:
            continue  # "1 of", "0.5%": too common to tell stories apart
        found.add(f"{value:g}")
    return found


def month_of(word: str) -> int | None:
    """Return the month a (possibly inflected) month name stands for."""
    word = word.lower().rstrip(".")
    if word in MONTHS:
        return MONTHS[word]
    for prefix in sorted((p for p in MONTHS if len(p) >= 3 and CYRILLIC.match(p)), key=len,
                         reverse=True):
        if word.startswith(prefix):
            return MONTHS[prefix]
    if word in ("мая", "мае", "маю"):
        return 5
    return None


def dates(text: str) -> set[str]:
    """Return the calendar dates named in `text` as MM-DD."""
    return {date for date, _ in date_spans(text)}


def date_spans(text: str) -> list[tuple[str, tuple[int, int]]]:
    """Return (MM-DD, span) of every calendar date named in `text`."""
    found = []
    for pattern, day_group, month_group in ((DAY_MONTH, 1, 2), (MONTH_DAY, 2, 1)):
        for match in pattern.finditer(text):
            month = month_of(match.group(month_group))
            day = int(match.group(day_group))
            if month and 1 <= day <= 31:
                found.append((f"{month:02d}-{day:02d}", match.span()))
    return found


def words(text: str, language: str | None) -> list[str]:
    """Return the stemmed content words of `text`."""
    out = []
    for match in WORD.finditer(text):
        word = match.group(0).lower().replace("’", "'")
        word = word.removesuffix("'s")
        if word in STOP_WORDS or len(word) < 2 or word.isdigit():
            continue
        # each word by its own script: a Latin name in a Russian text stays Latin
        lang = "ru" if CYRILLIC.search(word) else ("en" if (language or "en")[:2] == "ru"
                                                   else language or "en")
        out.append(stemmer(lang).stemWord(word) if "-" not in word else word)
    return out


def slug_words(url: str | None) -> str:
    """Return the words of the slugs in a URL's path ("" when it has none)."""
    if not url:
        return ""
    found = []
    for match in SLUG.finditer(unquote(urlsplit(url).path)):
        parts = [p for p in re.split(r"[-_+]", match.group(0)) if not any(c.isdigit() for c in p)]
        if len(parts) >= 3:
            found.append(" ".join(parts))
    return " ".join(found)


def lead(title: str, text: str, lead_words: int = LEAD_WORDS) -> str:
    """Return the first `lead_words` words of the text, without a repeated headline."""
    body = text or ""
    if title and body.startswith(title):
        body = body[len(title):]
    return " ".join(body.split()[:lead_words])


def article_features(title: str, text: str, language: str | None,
                     actors: Iterable[str | tuple[str, str]] = (),
                     title_only: bool = False, url: str | None = None) -> dict[str, float]:
    """Return the weighted similarity features of one article (see the module docstring).

    `title_only` leaves the text out: for a page whose text is boilerplate (`thin`).
    """
    title = title or ""
    body = "" if title_only else lead(title, text)
    features: dict[str, float] = {}

    def add(name: str, weight: float) -> None:
        features[name] = max(features.get(name, 0.0), weight)

    for word in words(slug_words(url), language):
        add(f"w:{word}", SLUG_WEIGHT)
    for word in words(body, language):
        add(f"w:{word}", 1.0)
    title_words = words(title, language)
    for word in title_words:
        add(f"w:{word}", TITLE_WEIGHT)
    for first, second in zip(title_words, title_words[1:]):
        add(f"p:{first} {second}", PAIR_WEIGHT)
    for part, weight in ((body, 1.0), (title, TITLE_WEIGHT)):
        spans = date_spans(part)
        for day, _ in spans:
            add(f"d:{day}", DATE_WEIGHT * weight)
        for start, end in sorted((span for _, span in spans), reverse=True):
            part = part[:start] + " " + part[end:]  # a date's day is not a number of the story
        for number in numbers(part):
            # "10 agreements" and "a 10-year deal" meet by chance; "$370 million" does not
            specific = float(number) >= 100 or not float(number).is_integer()
            add(f"n:{number}", (NUMBER_WEIGHT if specific else 1.0) * weight)
    for actor in actors:
        # (id, kind) or an id; countries frame half the press ("India", "Russia"), while a
        # leader, an organisation or a place names an event
        actor_id, kind = actor if isinstance(actor, tuple) else (actor, "")
        add(f"a:{actor_id}", (FRAME_WEIGHT if kind in ("country", "leader") else ACTOR_WEIGHT)
            * TITLE_WEIGHT)
    return features


def batch_features(articles: Iterable[object], actors: Iterable[object] = (),
                   thin: set[str] | frozenset[str] = frozenset()) -> dict[str, dict[str, float]]:
    """Return {article_id: features} for a batch of Articles and their ActorMentions; a thin
    article (boilerplate text) is described by its headline only."""
    named: dict[str, list[str]] = {}
    for mention in actors:
        named.setdefault(mention.article_id, []).append((mention.actor, mention.kind))
    return {a.article_id: article_features(a.title, a.text, a.language,
                                           named.get(a.article_id, ()),
                                           title_only=a.article_id in thin, url=a.url)
            for a in articles}
