"""Spans of an article that are not its prose: photo captions and credits, bylines, datelines.

Theme terms inside these spans are never evidence: a caption names whatever the picture shows
("Rosa | Afp | Getty Images", an oil platform under a market story), a dateline names the
desk's city («МОСКВА, 1 дек - РИА Новости.»), and neither says what the article is about.
One linear pass of a few regular expressions; the spans are (start, end) offsets, in order.
"""

from __future__ import annotations

import re
from functools import lru_cache

# Agencies and photo desks that close a credit line: "Saul Loeb | Afp | Getty Images".
_DESKS = (r"Getty Images(?: News)?|Reuters|AP|AFP|Afp|Bloomberg|EPA|NurPhoto|Nurphoto|"
          r"Anadolu|Xinhua|Sputnik|TASS|Moment|Shutterstock|Alamy|PA Images|PA")
# The last field of "Name | Outlet | Getty Images": a "|" then a desk. The fields before it
# (up to three, each at most 60 characters on the same line) are found by walking back, so
# the expression scans the text once without backtracking.
PIPE_DESK = re.compile(rf"\|[ \t]*(?:{_DESKS})\b")
CREDIT_FIELDS, CREDIT_FIELD_CHARS = 3, 60
# "(Photo by Sean Gallup/Getty Images)", "Image: Capcom via Polygon", "Credit: NASA",
# "Image Credits: KCNA VIA KNS/AFP / Getty Images", "FILE PHOTO:". A labelled credit runs to
# the end of its sentence, at most six words.
# (No leading \b: a pattern that starts with a set of letters is scanned for them at C
# speed; the word boundary before the label is checked in code.)
LABELLED_CREDIT = re.compile(
    r"\((?:Photo|Image|Picture)s? (?:by|credit)[^)\n]{0,120}\)"
    r"|(?:Image|Photo|Picture|Photograph)s?(?: [Cc]redits?)?:[ \t]*(?:[^\s.]+[ \t]*){1,6}"
    r"(?:/ Getty Images)?\.?"
    r"|Credits?:[ \t]*(?:[^\s.]+[ \t]*){1,4}\.?"
    r"|FILE PHOTO:")
# A caption is the block of text that ends in a credit: up to this many characters before
# it, from the start of its line (CNBC, the BBC and Reuters put it first).
CAPTION_CHARS = 700
# Datelines and agency slugs at the start of the text or after a caption:
# "МОСКВА, 1 дек - РИА Новости.", "МОСКВА, 3 декабря/ Радио Sputnik.", "BEIJING —",
# "WASHINGTON (Reuters) -". The city is in capitals (at least three letters).
DATELINE = re.compile(
    r"[ \t]*[A-ZА-ЯЁ][A-ZА-ЯЁ.'\- ]{2,40}(?:\([^)\n]{1,30}\))?(?:,[^\n,.—–/]{1,30})?"
    r"\s*(?:[—–-]|/)\s*(?:(?:РИА Новости|Радио Sputnik|Sputnik|ПРАЙМ|Прайм|ТАСС|Интерфакс|"
    r"Reuters|AFP|AP)\b\.?)?")
# Bylines and stamps: "By Jane Smith", "Published Mar 4, 2026, 10:48 AM EST", "Posted: ...".
STAMP = re.compile(
    r"[ \t]*(?:By [A-Z][\w.'\-]+(?: (?:[A-Z][\w.'\-]+|and|de|van|von)){0,4}"
    r"|(?:Published|Updated|Posted):? [^\n]{0,40}?\d{1,2}:\d\d ?(?:AM|PM|am|pm)?"
    r"(?: [A-Z]{2,4})?(?: · [A-Z][a-z]+ \d{1,2}, \d{4})?)")


# Bylines and datelines open an article: they are looked for at the start of its first
# few lines only.
HEAD_LINES, HEAD_CHARS = 4, 1000
# The words each credit pattern needs: a text without them skips that scan (most texts).
LABEL_WORDS = ("(Photo", "(Image", "(Picture", "Image", "Photo", "Picture", "Credit",
               "FILE PHOTO")


@lru_cache(maxsize=4)  # the tagger asks twice per article (scoring, then evidence)
def non_prose_spans(doc: str, text_start: int = 0) -> tuple[tuple[int, int], ...]:
    """Return sorted (start, end) spans of `doc` that are captions, credits, datelines or
    bylines; `text_start` is where the body starts (after the title line)."""
    spans: list[tuple[int, int]] = []
    if "|" not in doc:
        pipes = ()
    else:
        pipes = PIPE_DESK.finditer(doc, text_start)
    for m in pipes:
        credit_start = _credit_start(doc, m.start(), text_start)
        # The caption is the text before the credit on the same line, when short enough.
        line_start = max(doc.rfind("\n", 0, credit_start) + 1, text_start)
        prev_end = spans[-1][1] if spans else line_start
        start = max(line_start, prev_end)
        if credit_start - start > CAPTION_CHARS:
            start = _sentence_start(doc, credit_start, start)
        spans.append((min(start, credit_start), m.end()))
    for word in LABEL_WORDS:  # str.find runs at C speed; the pattern only where it may match
        pos = doc.find(word, text_start)
        while pos >= 0:
            if word[0] == "(" or pos == 0 or not doc[pos - 1].isalnum():
                m = LABELLED_CREDIT.match(doc, pos)
                if m:
                    spans.append(m.span())
            pos = doc.find(word, pos + 1)
    # Datelines and stamps: at the start of the text, of its first lines, after a credit.
    starts = {text_start} | {e for _, e in spans}
    line = doc.find("\n", text_start, text_start + HEAD_CHARS)
    for _ in range(HEAD_LINES):
        if line < 0:
            break
        starts.add(line + 1)
        line = doc.find("\n", line + 1, text_start + HEAD_CHARS)
    for pos in sorted(starts):
        if pos >= len(doc):
            continue
        pos = _skip_space(doc, pos)
        for pattern in (STAMP, DATELINE, STAMP):
            m = pattern.match(doc, pos)
            if m and m.end() > pos:
                spans.append((pos, m.end()))
                pos = _skip_space(doc, m.end())
    return tuple(_merge(spans))


def _credit_start(doc: str, bar: int, floor: int) -> int:
    """Return where a credit whose last "|" is at `bar` starts: up to CREDIT_FIELDS fields
    back, each a short run of text without a line break."""
    start = bar
    for _ in range(CREDIT_FIELDS):
        lo = max(floor, start - CREDIT_FIELD_CHARS)
        cut = max(doc.rfind("|", lo, start), doc.rfind("\n", lo, start))
        if cut >= 0 and doc[cut] == "|":
            start = cut
            continue
        # The first field (the photographer): back to a sentence end or a line break.
        dot = doc.rfind(". ", lo, start)
        start = (dot + 2) if dot >= 0 and dot > cut else (cut + 1 if cut >= 0 else lo)
        break
    return start


def _skip_space(doc: str, pos: int) -> int:
    while pos < len(doc) and doc[pos] in " \t":
        pos += 1
    return pos


def _sentence_start(doc: str, pos: int, floor: int) -> int:
    """Return where the sentence before `pos` starts (after '. '), at least `floor`."""
    cut = doc.rfind(". ", max(floor, pos - CAPTION_CHARS), max(floor, pos - 2))
    return cut + 2 if cut >= 0 else max(floor, pos - CAPTION_CHARS)


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


# Pages that stand in for an article: a paywall offer or a bot challenge served instead of
# the text. Their words say nothing about the article ("Premium Digital ... $75 per month"),
# so an article whose body is one is tagged from its title alone, as a headline.
STUB_MARKERS = ("subscribe to unlock this article", "subscribe to continue reading",
                "subscribe to read", "why have i been blocked?",
                "this website is using a security service to protect itself",
                "for help please visit help.ft.com",
                "the page you are trying to access is unavailable",
                "please enable javascript and cookies to continue",
                "verify you are human", "access denied")
STUB_HEAD_CHARS = 200  # a stub says so at its start; an article may quote the words later
STUB_MAX_CHARS = 2500  # stubs are a few hundred words; a long text opening "Access denied"
# is an article about access being denied


def is_stub(text: str) -> bool:
    """Return whether `text` is a paywall or bot-challenge page rather than an article."""
    if len(text) > STUB_MAX_CHARS:
        return False
    head = text[:STUB_HEAD_CHARS].lower()
    return any(marker in head for marker in STUB_MARKERS)
