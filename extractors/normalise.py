"""Text repair: mojibake, the seed's `9`-for-apostrophe artifact, and whitespace."""

from __future__ import annotations

import re
import unicodedata

import ftfy

# Some exports turn a typographic apostrophe (U+2019) into the digit 9: "India9s", "don9t".
# A contraction or possessive after a word of two or more letters ("India9s", "Modi9s",
# "don9t", "we9re") or the pronoun I ("I9m") is repaired; a single capital ("G9s"), a
# hyphenated designation ("F-9s", "Su-9s") and numbers ("1990s") never match because the
# left side must be letters only, preceded by neither a word character nor a hyphen.
APOSTROPHE_NINE = re.compile(
    r"(?<![\w\-])"  # start of a word, not inside "F-9s" or "1990s"
    r"([A-Za-z]{2,}|I)"  # the word itself
    r"9"
    r"(s|t|re|ve|ll|m|d)\b"  # the contraction or possessive
)
# Plural possessive: "countries9 interests" -> "countries' interests".
PLURAL_POSSESSIVE_NINE = re.compile(r"(?<![\w\-])([a-z]{2,}s)9(?= [a-z])")
SPACES = re.compile(r"[ \t\u00a0\u2000-\u200b\u202f\u205f\u3000]+")
BLANK_LINES = re.compile(r"\n\s*\n\s*(\n\s*)+")


def repair_apostrophes(text: str) -> str:
    """Return `text` with the `9`-for-apostrophe artifact repaired."""
    text = APOSTROPHE_NINE.sub(r"\1'\2", text)
    return PLURAL_POSSESSIVE_NINE.sub(r"\1'", text)


def normalise_text(text: str) -> str:
    """Return `text` with broken Unicode fixed, apostrophes repaired and whitespace tidied.

    Curly quotes are kept as the author wrote them (ftfy's `uncurl_quotes` off): only
    broken text is changed.
    """
    if not text:
        return ""
    text = ftfy.fix_text(text, uncurl_quotes=False, normalization="NFC")
    text = repair_apostrophes(text)
    text = "".join(ch for ch in text if ch in "\n\t" or unicodedata.category(ch)[0] != "C")
    lines = [SPACES.sub(" ", line).strip() for line in text.replace("\r\n", "\n").split("\n")]
    return BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()


def normalise_title(title: str | None) -> str:
    """Return a one-line, repaired title ('' for None)."""
    return " ".join(normalise_text(title or "").split())
