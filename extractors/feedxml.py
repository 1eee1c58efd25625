"""Feed bytes made safe for the XML parser: no DTD, so no entities to expand or to fetch.

feedparser 6.0.14 already tries: it drops `<!ENTITY` lines it does not like (by regex, at
line starts only), and turns off external general entities in expat; the expat bundled
with Python 3.11.7 (2.5.0) also caps entity amplification. But a declaration on the same
line as `<!DOCTYPE` passes its regex, and the amplification cap depends on the expat build
the interpreter links. RSS and Atom need no DTD at all, so we remove every DOCTYPE from the
prolog before parsing: nothing is expanded, nothing is fetched, whatever expat is in use.
(defusedxml would refuse such feeds outright, but plugging it into feedparser means patching
the stdlib parsers process-wide, and a refused feed loses the entries we can still read.)
"""

from __future__ import annotations

import re

# In the prolog: a comment, a processing instruction, a DOCTYPE, or the root element's start.
PROLOG_TOKEN = re.compile(rb"<!--.*?-->|<\?.*?\?>|(<!DOCTYPE)|<[A-Za-z_:]", re.S | re.I)
# Inside a DOCTYPE: quoted strings and comments (which may hold > ] [), brackets, its end.
DTD_TOKEN = re.compile(rb"\"[^\"]*\"|'[^']*'|<!--.*?-->|[\[\]>]", re.S)
ENTITY = re.compile(rb"<!ENTITY", re.I)


def doctype_end(body: bytes, start: int) -> int:
    """Return the offset just past the DOCTYPE declaration whose body begins at `start`."""
    depth = 0
    for token in DTD_TOKEN.finditer(body, start):
        mark = token.group()
        if mark == b"[":
            depth += 1
        elif mark == b"]":
            depth = max(0, depth - 1)
        elif mark == b">" and depth == 0:
            return token.end()
    return len(body)  # never closed: the rest is no feed either


def is_wide(body: bytes) -> bool:
    """Return True for UTF-16/32 text (NUL bytes among the first characters)."""
    return b"\x00" in body[:64]


def strip_dtd(body: bytes) -> tuple[bytes, bool]:
    """Return the feed without DOCTYPE declarations, and whether one declared entities.

    ValueError for a UTF-16/32 feed that carries a DTD (rare enough to refuse, rather than
    transcode the document feedparser would otherwise decode itself).
    """
    if is_wide(body):
        head = body[:65536].replace(b"\x00", b"")
        if b"<!doctype" in head.lower() or b"<!entity" in head.lower():
            raise ValueError("a UTF-16/32 feed with a DTD (<!DOCTYPE>); refused as unsafe")
        return body, False
    parts, pos, scan, declared = [], 0, 0, False
    while token := PROLOG_TOKEN.search(body, scan):
        if token.group(1) is None:
            if not token.group().startswith((b"<!--", b"<?")):
                break  # the root element: the prolog is over
            scan = token.end()
            continue
        end = doctype_end(body, token.end())
        declared = declared or bool(ENTITY.search(body, token.end(), end))
        parts.append(body[pos:token.start()])
        pos = scan = end
    if not parts:
        return body, False
    parts.append(body[pos:])
    return b"".join(parts), declared
