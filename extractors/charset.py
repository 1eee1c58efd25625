"""The one charset decoder of seed files, pages and feeds.

Order: a byte-order mark (UTF-8, UTF-16, UTF-32) wins; then UTF-8; then what the document
or the server declares, if it decodes; then UTF-8 with a few bad bytes (a truncated file);
then charset_normalizer's guess, only when it is unambiguous. Legacy 8-bit charsets share
most byte values, and on a short text cp1250, cp1252 and cp1257 fit alike: "Café à" read as
cp1250 is "Café ŕ". A wrong guess garbles the article silently, so a weak one is refused
(CharsetUnknown, a failure row saying how to convert the file) rather than stored.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterable

from charset_normalizer import from_bytes

# UTF-32 LE before UTF-16 LE: its mark begins with UTF-16 LE's.
BOMS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
        (codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"))
# <meta charset="..."> or <meta http-equiv="Content-Type" content="text/html; charset=...">
META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", re.IGNORECASE)
# <?xml version="1.0" encoding="..."?>
XML_ENCODING = re.compile(rb"""^\s*<\?xml[^>]*encoding\s*=\s*["']([A-Za-z0-9._:-]+)""")
HTTP_CHARSET = re.compile(r"charset\s*=\s*[\"']?([\w.:-]+)", re.IGNORECASE)
GUESS_BYTES = 200_000  # charset_normalizer reads no more than this of a large document
# Two guesses whose mess and coherence differ by less than this are a tie.
TIE_CHAOS, TIE_COHERENCE = 0.01, 0.05


class CharsetUnknown(ValueError):
    """Bytes that are not UTF-8 and whose charset cannot be told reliably; the caller adds
    what the user can do (convert a file, ask a publisher to declare the charset)."""


def bom_codec(data: bytes) -> str | None:
    """Return the codec a byte-order mark at the start of `data` names, if any."""
    for bom, codec in BOMS:
        if data.startswith(bom):
            return codec
    return None


def known_codec(name: str | None) -> str | None:
    """Return the Python codec name of a declared charset; None when unknown."""
    if not name:
        return None
    try:
        return codecs.lookup(name.strip().lower()).name
    except LookupError:
        return None


def http_charset(content_type: str | None) -> str | None:
    """Return the charset parameter of a Content-Type header, if any."""
    match = HTTP_CHARSET.search(content_type or "")
    return match.group(1) if match else None


def meta_charset(data: bytes) -> str | None:
    """Return the charset an HTML document declares in its first 4 KB, if any."""
    match = META_CHARSET.search(data[:4096])
    return match.group(1).decode("ascii", "replace") if match else None


def xml_encoding(data: bytes) -> str | None:
    """Return the encoding an XML declaration names, if any."""
    match = XML_ENCODING.match(data[:512])
    return match.group(1).decode("ascii", "replace") if match else None


def decode_text(data: bytes, declared: Iterable[str | None] = ()) -> str:
    """Return `data` as text (see the module docstring for the order of clues).

    `declared` are charsets named by the server or the document, most trusted first; a
    wrong one (common) is skipped. CharsetUnknown when only a weak guess is left.
    """
    codec = bom_codec(data)
    if codec:
        return data.decode(codec, errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    for name in declared:
        codec = known_codec(name)
        if codec and codec != "utf-8":
            try:
                return data.decode(codec)
            except UnicodeDecodeError:
                continue
    text = data.decode("utf-8", errors="replace")
    # UTF-8 but for a few bad bytes (a cut multibyte character, one stray Latin-1 byte in a
    # page): re-reading all of it in a guessed charset would garble every good character.
    # In a legacy 8-bit text nearly every non-ASCII byte is invalid UTF-8; here at least
    # half of them form valid UTF-8 characters.
    bad = text.count("\ufffd")
    non_ascii = sum(1 for byte in data if byte >= 0x80)
    if bad * 2 <= non_ascii:
        return text
    return data.decode(guess(data[:GUESS_BYTES]), errors="replace")


def guess(data: bytes) -> str:
    """Return the one charset that fits `data` best; CharsetUnknown when none does, or when
    others fit as well and read the bytes differently."""
    matches = list(from_bytes(data))
    if not matches:
        raise CharsetUnknown("neither UTF-8 nor any known charset")
    best = matches[0]
    text = str(best)
    rivals = [m.encoding for m in matches[1:6]
              if abs(m.chaos - best.chaos) <= TIE_CHAOS
              and abs(m.coherence - best.coherence) <= TIE_COHERENCE and str(m) != text]
    if rivals:
        names = ", ".join([best.encoding, *rivals[:2]])
        raise CharsetUnknown(f"not UTF-8, and its charset cannot be told for sure ({names} "
                             "read it differently)")
    return best.encoding
