"""Text repair: mojibake, the seed's `9`-for-apostrophe artifact, and whitespace."""

from __future__ import annotations

import re

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
# Every character of Unicode category C (controls, formats, surrogates, private use; as of
# Unicode 14) except newline and tab: invisible in text, and a trap for search and JSON.
# One compiled class is ~20x faster than testing each character's category.
CONTROL_CHARS = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\xad\u0600-\u0605\u061c\u06dd\u070f\u0890-\u0891\u08e2"
    "\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ud800-\uf8ff\ufeff"
    "\ufff9-\ufffb\U000110bd\U000110cd\U00013430-\U00013438\U0001bca0-\U0001bca3"
    "\U0001d173-\U0001d17a\U000e0001\U000e0020-\U000e007f\U000f0000-\U000ffffd"
    "\U00100000-\U0010fffd]"
)
# Lines ftfy leaves as they are: printable ASCII without `&` and `<` (HTML entities and
# markup switch ftfy's unescaping), with either the typographic marks of plain news text or
# Russian letters. Mojibake is a lead byte followed by continuation bytes, all read in one
# legacy encoding; in every encoding ftfy repairs, neither set holds both a character that
# reads as a lead byte and one that reads as a continuation byte (tests/extractors/
# test_normalise.py checks this), so such a line cannot be mojibake, and ftfy's checks
# (~1 ms per 5,000 characters) are skipped for it.
SAFE_ASCII = "\\t\\n\\x20-\\x25\\x27-\\x3b\\x3d-\\x7e"
SAFE_TYPOGRAPHY = "\u2018\u2019\u201c\u201d\u2013\u2014\u2026\u00a0\u00b7"  # ‘’“”–—… nbsp ·
SAFE_CYRILLIC = "\u0410-\u044f"  # А-Я а-я (not ё/Ё: a continuation byte in cp1251)
FTFY_IDENTITY_LINE = re.compile(
    f"[{SAFE_ASCII}{SAFE_TYPOGRAPHY}]*|[{SAFE_ASCII}{SAFE_CYRILLIC}]*"
)
FTFY_CONFIG = ftfy.TextFixerConfig(uncurl_quotes=False, normalization="NFC", explain=False)
# Whole terminal escape sequences (CSI "ESC [ ... m", OSC "ESC ] ... BEL"), so that removing
# the control characters does not leave "[31m" behind in a title or a source name.
TERMINAL_ESCAPE = re.compile(r"\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)?|[@-Z\\-_])")
SPACES = re.compile(r"[ \t\u00a0\u2000-\u200b\u202f\u205f\u3000]+")
BLANK_LINES = re.compile(r"\n\s*\n\s*(\n\s*)+")


# Both artifacts need a letter right before the 9; testing that first skips the slow,
# lookbehind patterns on almost every text.
LETTER_NINE = re.compile(r"[A-Za-z]9")


def repair_apostrophes(text: str) -> str:
    """Return `text` with the `9`-for-apostrophe artifact repaired."""
    if not LETTER_NINE.search(text):
        return text
    text = APOSTROPHE_NINE.sub(r"\1'\2", text)
    return PLURAL_POSSESSIVE_NINE.sub(r"\1'", text)


def fix_unicode(text: str) -> str:
    """Return `text` as `ftfy.fix_text` (curly quotes kept, NFC) fixes it, asking ftfy only
    about the lines it could change.

    ftfy fixes text line by line; the one state it carries across lines is its HTML
    unescaping, which stops for the rest of the text at the first line containing `<`.
    """
    if FTFY_IDENTITY_LINE.fullmatch(text):
        return text
    config, out, pos = FTFY_CONFIG, [], 0
    while pos < len(text):
        end = text.find("\n", pos) + 1 or len(text)
        end = min(end, pos + config.max_decode_length)
        segment = text[pos:end]
        if FTFY_IDENTITY_LINE.fullmatch(segment):
            out.append(segment)
        else:
            if config.unescape_html == "auto" and "<" in segment:
                config = config._replace(unescape_html=False)
            out.append(ftfy.fix_and_explain(segment, config)[0])
        pos = end
    return "".join(out)


def normalise_text(text: str) -> str:
    """Return `text` with broken Unicode fixed, apostrophes repaired and whitespace tidied.

    Curly quotes are kept as the author wrote them (ftfy's `uncurl_quotes` off): only
    broken text is changed.
    """
    if not text:
        return ""
    if "\x1b" in text:  # before ftfy, which takes the ESC of some sequences only
        text = TERMINAL_ESCAPE.sub("", text)
    text = fix_unicode(text)
    text = repair_apostrophes(text)
    text = CONTROL_CHARS.sub("", text)
    lines = [SPACES.sub(" ", line).strip() for line in text.replace("\r\n", "\n").split("\n")]
    return BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()


def normalise_title(title: str | None) -> str:
    """Return a one-line, repaired title ('' for None)."""
    return " ".join(normalise_text(title or "").split())


def one_line(value: str | None) -> str | None:
    """Return a name, URL or message as one line of printable text (terminal escapes and
    other control characters removed, whitespace runs made one space); None stays None.

    Remote and user strings (a feed's source name, an author, a server's error) are data:
    they must never move a terminal's cursor nor break a log line in two.
    """
    if value is None:
        return None
    if "\x1b" in value:
        value = TERMINAL_ESCAPE.sub("", value)
    return " ".join(CONTROL_CHARS.sub("", value).split())
