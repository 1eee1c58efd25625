"""Spans of an article that are not its prose: photo captions and credits, bylines, datelines.

Theme terms inside these spans are never evidence: a caption names whatever the picture shows
("Rosa | Afp | Getty Images", an oil platform under a market story), a dateline names the
desk's city («МОСКВА, 1 дек - РИА Новости.»), and neither says what the article is about.
One linear pass of a few regular expressions; the spans are (start, end) offsets, in order.
"""

from __future__ import annotations

import re

# Agencies and photo desks that close a credit line: "Saul Loeb | Afp | Getty Images".
_DESKS = (r"Getty Images(?: News)?|Reuters|AP|AFP|Afp|Bloomberg|EPA|NurPhoto|Nurphoto|"
          r"Anadolu|Xinhua|Sputnik|TASS|Moment|Shutterstock|Alamy|PA Images|PA")
# "Name | Outlet | Getty Images": up to three "|"-separated fields ending in a desk.
PIPE_CREDIT = re.compile(rf"(?:[^|\n]{{1,60}}\|\s*){{1,3}}(?:{_DESKS})\b")
# "(Photo by Sean Gallup/Getty Images)", "Image: Capcom via Polygon", "Credit: NASA",
# "Image Credits: KCNA VIA KNS/AFP / Getty Images", "FILE PHOTO:". A labelled credit runs to
# the end of its sentence, at most six words.
LABELLED_CREDIT = re.compile(
    r"\((?:Photo|Image|Picture)s? (?:by|credit)[^)\n]{0,120}\)"
    r"|\b(?:Image|Photo|Picture|Photograph)s?(?: [Cc]redits?)?:[ \t]*(?:[^\s.]+[ \t]*){1,6}"
    r"(?:/ Getty Images)?\.?"
    r"|\bCredits?:[ \t]*(?:[^\s.]+[ \t]*){1,4}\.?"
    r"|\bFILE PHOTO:")
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


def non_prose_spans(doc: str, text_start: int = 0) -> list[tuple[int, int]]:
    """Return sorted (start, end) spans of `doc` that are captions, credits, datelines or
    bylines; `text_start` is where the body starts (after the title line)."""
    spans: list[tuple[int, int]] = []
    for m in PIPE_CREDIT.finditer(doc, text_start):
        # The credit's own first field is the photographer; the caption is the text before
        # it on the same line, when short enough to be one.
        line_start = max(doc.rfind("\n", 0, m.start()) + 1, text_start)
        prev_end = spans[-1][1] if spans else line_start
        start = max(line_start, prev_end)
        if m.start() - start > CAPTION_CHARS:
            start = _sentence_start(doc, m.start(), start)
        spans.append((start, m.end()))
    for m in LABELLED_CREDIT.finditer(doc, text_start):
        spans.append((m.start(), m.end()))
    # Datelines and stamps: at the start of the text, of a line, and right after a credit.
    starts = {text_start} | {e for _, e in spans}
    starts |= {m.end() for m in re.finditer(r"\n", doc[text_start:text_start + 2000])}
    for pos in sorted(starts):
        if pos >= len(doc):
            continue
        pos = _skip_space(doc, pos)
        for pattern in (STAMP, DATELINE, STAMP):
            m = pattern.match(doc, pos)
            if m and m.end() > pos:
                spans.append((pos, m.end()))
                pos = _skip_space(doc, m.end())
    return _merge(spans)


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
