"""Article tone with VADER (vaderSentiment): how positive or negative the wording is.

What it measures: the mean VADER `compound` score of the title and the lead sentences,
in [-1, 1] (-1 hostile/alarmed wording, +1 warm/approving wording, 0 neutral or mixed).
VADER is a lexicon of words rated by people (with rules for negation, intensifiers and
"but"); it scores the wording, not who is right, and not the stance towards a given actor.
It is an English lexicon: other languages get no tone (null). No maintained Russian lexicon
or model runs offline from a package (dostoevsky downloads its model at first use), so
Russian articles stay null rather than get a guessed score; the digest shows the share of
stories with a tone.
"""

from __future__ import annotations

import re
from functools import cache

LEAD_SENTENCES = 10  # the title plus the first sentences carry a news article's framing
MAX_LEAD_CHARS = 3000
SENTENCE = re.compile(r"(?<=[.!?])\s+|\n+")


@cache
def _analyzer():
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    return SentimentIntensityAnalyzer()


def article_tone(title: str, text: str, language: str | None = None) -> float | None:
    """Return the tone of an article in [-1, 1], or None when it cannot be measured."""
    if language and not language.lower().startswith("en"):
        return None
    sentences = [s for s in SENTENCE.split(text[:MAX_LEAD_CHARS]) if s.strip()][:LEAD_SENTENCES]
    if title:
        sentences.insert(0, title)
    if not sentences:
        return None
    analyzer = _analyzer()
    scores = [analyzer.polarity_scores(s)["compound"] for s in sentences]
    return round(sum(scores) / len(scores), 4)
