"""Reading seed documents: .txt/.md (first line is the title), .html, and .jsonl records."""

from __future__ import annotations

import codecs
import hashlib
import json
import logging
import re
import stat
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path

from charset_normalizer import from_bytes

from .charset import CharsetUnknown, bom_codec, decode_text, meta_charset
from .keys import jsonl_key, seed_file_key, seed_location
from .records import Failure, FailureCode, SourceDocument
from .sources import SEED_SOURCES_NAME, seed_sources

LOGGER = logging.getLogger(__name__)

TEXT_SUFFIXES = {".txt", ".md"}
HTML_SUFFIXES = {".html", ".htm"}
JSONL_SUFFIXES = {".jsonl"}
SEED_SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES | JSONL_SUFFIXES
# Files that live in seeds/ but are not documents.
IGNORED_NAMES = {"README.md", "feeds.toml"}
DEFAULT_SOURCE = "seed"


@dataclass(frozen=True, slots=True)
class SeedFile:
    """What a seed file was when it was read: enough to tell next time that it is unchanged."""

    location: str  # relative to the seeds root (extractors/keys.py)
    size: int
    mtime_ns: int
    sha256: str
    line_hashes: tuple[str, ...] | None = None  # JSONL: one per line read; else None


@dataclass
class SeedScan:
    """A seed walk's memory: the files as last read (`known`), filled in as files are read
    (`found`: record it once their documents are loaded), and what was skipped unchanged.

    Same size and mtime: the file is not opened. Touched but the same bytes: hashed, not
    parsed. A changed JSONL file: only lines not read before are parsed (an edited line is a
    new line), so an edit updates exactly the articles it touches.
    """

    known: Mapping[str, SeedFile] = field(default_factory=dict)
    found: dict[str, SeedFile] = field(default_factory=dict)
    unchanged_files: int = 0
    unchanged_lines: int = 0


def file_sha256(path: Path) -> str:
    """Return the SHA-256 of a file, read in 1 MB chunks."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def line_hash(raw: bytes) -> str:
    """Return the hash by which a JSONL line is known again (trailing newline ignored)."""
    return hashlib.blake2b(raw.rstrip(b"\r\n"), digest_size=12).hexdigest()


def parse_datetime(value: object) -> datetime | None:
    """Return an ISO 8601 string as a naive UTC datetime; None when absent; ValueError if bad."""
    if value in (None, ""):
        return None
    if not isinstance(value, str):
        raise ValueError(f"published_at must be an ISO 8601 string, got {type(value).__name__}")
    parsed = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    if parsed.tzinfo is not None:
        parsed = parsed.astimezone(UTC).replace(tzinfo=None)
    return parsed


SURROGATE = re.compile("[\ud800-\udfff]")
JSON_MAX_DEPTH_HINT = "JSON nested too deeply to be an article record"


class SeedProblem(ValueError):
    """A seed that cannot be read as a document, with the failure code it is recorded under."""

    def __init__(self, code: FailureCode, reason: str) -> None:
        super().__init__(reason)
        self.code = code


def jsonl_line_text(raw: bytes) -> str:
    """Return one JSONL line as text; ValueError saying how to fix it when it is not UTF-8.

    JSON Lines files are UTF-8 by definition, and a short line is too little text to guess a
    charset from reliably, so a line in another charset is refused rather than garbled.
    """
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        guess = from_bytes(raw).best()
        hint = (f"; it looks like {guess.encoding}: convert the file with "
                f"`iconv -f {guess.encoding} -t utf-8`" if guess and guess.encoding != "utf_8" else "")
        raise SeedProblem(FailureCode.CHARSET,
                          f"not UTF-8 (byte 0x{raw[exc.start]:02x} at column {exc.start + 1}); "
                          f"JSON Lines files must be UTF-8{hint}") from None


def looks_binary(data: bytes) -> bool:
    """Return True when the bytes are not a text document (NUL bytes in the first 8 KB, and
    no byte-order mark: UTF-16 text is half NUL bytes)."""
    return b"\x00" in data[:8192] and bom_codec(data) is None


def split_title(text: str) -> tuple[str, str]:
    """Return (first non-empty line without Markdown heading marks, the rest)."""
    lines = text.splitlines()
    for i, line in enumerate(lines):
        if line.strip():
            return line.strip().lstrip("#").strip(), "\n".join(lines[i + 1 :]).strip()
    return "", ""


def scrub_surrogates(value: object) -> object:
    """Return a string with lone UTF-16 surrogates (JSON "\\ud800" escapes) replaced by U+FFFD.

    Python accepts them in a str, but no UTF-8 writer does: one would fail the whole batch
    at load time. Escaped surrogate pairs become the character they encode.
    """
    if not isinstance(value, str) or not SURROGATE.search(value):
        return value
    return value.encode("utf-16", "surrogatepass").decode("utf-16", "replace")


def document_from_record(record: object, location: str, file_location: str) -> SourceDocument:
    """Return the SourceDocument of one JSONL record (line `location` of the file named
    `file_location`); ValueError with the reason if invalid."""
    if not isinstance(record, dict):
        raise ValueError(f"expected a JSON object, got {type(record).__name__}")
    record = {key: scrub_surrogates(value) for key, value in record.items()}
    title = record.get("title")
    if not isinstance(title, str) or not title.strip():
        raise ValueError("missing required field 'title'")
    text, html = record.get("text"), record.get("html")
    if not (isinstance(text, str) and text.strip()) and not (isinstance(html, str) and html.strip()):
        raise ValueError("missing required field 'text' or 'html'")
    for name in ("id", "url", "source", "language"):
        value = record.get(name)
        if value is not None and not isinstance(value, str | int):
            raise ValueError(f"field '{name}' must be a string")
    country = record.get("source_country")
    if country is not None and not isinstance(country, str):
        raise ValueError("field 'source_country' must be a string: a gazetteer country id "
                         "such as \"India\"")
    try:
        published_at = parse_datetime(record.get("published_at"))
    except ValueError as exc:
        raise ValueError(f"published_at is not ISO 8601: {record.get('published_at')!r}") from exc
    return SourceDocument(
        key=jsonl_key(record, file_location),
        origin="seed",
        source=str(record.get("source") or DEFAULT_SOURCE),
        location=location,
        url=str(record["url"]).strip() if record.get("url") else None,
        title=title,
        text=text if isinstance(text, str) and text.strip() else None,
        html=html if not (isinstance(text, str) and text.strip()) else None,
        author=record.get("author") if isinstance(record.get("author"), str) else None,
        published_at=published_at,
        language=str(record["language"]) if record.get("language") else None,
        source_country=(country or "").strip() or None,
    )


def too_big(size: int, limit: int) -> str:
    """Return the reason a document of `size` bytes over `limit` is refused."""
    return (f"document is {size / 1e6:.1f} MB, over the {limit / 1e6:g} MB limit for one "
            "document (MEDIAWATCH_MAX_DOCUMENT_BYTES); an article is rarely over 1 MB: check "
            "the file, or raise the limit")


def iter_lines(handle, max_line_bytes: int) -> Iterator[tuple[bytes, int]]:
    """Yield (line, its full length) of a binary file, lines cut at `max_line_bytes`.

    Never holds more than `max_line_bytes` of one line in memory: the rest of an over-long
    line is read in chunks and counted, not kept.
    """
    while raw := handle.readline(max_line_bytes + 1):
        length = len(raw)
        if length > max_line_bytes and not raw.endswith(b"\n"):
            while (chunk := handle.readline(1 << 20)) and not chunk.endswith(b"\n"):
                length += len(chunk)
            length += len(chunk)
        yield raw, length


def read_jsonl(path: Path, location: str, max_line_bytes: int = 5_000_000,
               skip: frozenset[str] = frozenset(), hashes: list[str] | None = None,
               scan: SeedScan | None = None) -> Iterator[SourceDocument | Failure]:
    """Yield one document per valid line of a JSONL file, and a Failure per bad line.

    Lines whose `line_hash` is in `skip` (read by an earlier run) are passed over; the hash
    of every line is appended to `hashes` when given.
    """
    with path.open("rb") as handle:
        for lineno, (raw, length) in enumerate(iter_lines(handle, max_line_bytes), start=1):
            if not raw.strip():
                continue
            if hashes is not None or skip:
                # an over-long line is hashed by its kept part and its full length
                known_as = line_hash(raw + b"#%d" % length if length > len(raw) else raw)
                if hashes is not None:
                    hashes.append(known_as)
                if known_as in skip:
                    if scan is not None:
                        scan.unchanged_lines += 1
                    continue
            where = f"{location}:{lineno}"
            if length > max_line_bytes:
                yield Failure(where, DEFAULT_SOURCE, "seed", FailureCode.TOO_LARGE,
                              too_big(length, max_line_bytes))
                continue
            try:
                record = json.loads(jsonl_line_text(raw))
                yield document_from_record(record, where, location)
            except (ValueError, RecursionError) as exc:
                reason = str(exc).splitlines()[0][:300]
                if isinstance(exc, json.JSONDecodeError):
                    reason = f"invalid JSON: {exc.msg} at column {exc.colno}"
                elif isinstance(exc, RecursionError):  # "[[[[..." a million deep
                    reason = JSON_MAX_DEPTH_HINT
                yield Failure(where, DEFAULT_SOURCE, "seed",
                              getattr(exc, "code", FailureCode.MALFORMED), reason)


def read_document_file(path: Path, location: str, suffix: str) -> SourceDocument:
    """Return the document of one .txt/.md/.html file; ValueError with the reason if unusable."""
    data = path.read_bytes()
    if looks_binary(data):
        raise SeedProblem(FailureCode.UNREADABLE,
                          "binary file, not a text document (NUL bytes found)")
    try:
        content = decode_text(data, [meta_charset(data)] if suffix in HTML_SUFFIXES else [])
    except CharsetUnknown as exc:
        raise SeedProblem(FailureCode.CHARSET,
                          f"{exc}: save it as UTF-8, e.g. `iconv -f CHARSET -t utf-8 FILE`, "
                          "naming the charset it was written in") from None
    if not content.strip():
        raise SeedProblem(FailureCode.NO_TEXT, "empty file")
    key = seed_file_key(location)
    if suffix in HTML_SUFFIXES:
        return SourceDocument(key=key, origin="seed", source=DEFAULT_SOURCE, location=location,
                              html=content)
    title, body = split_title(content)
    return SourceDocument(key=key, origin="seed", source=DEFAULT_SOURCE, location=location,
                          title=title, text=body or title)


def iter_seed_documents(
    seeds_dir: Path, max_file_bytes: int = 100_000_000, max_document_bytes: int = 5_000_000,
    root: Path | None = None, scan: SeedScan | None = None,
) -> Iterator[SourceDocument | Failure]:
    """Yield every document under `seeds_dir` in a stable order, and a Failure per bad input.

    Files are named (in keys and failures) relative to the seeds `root` (default `seeds_dir`
    itself; see extractors/keys.py). Files are streamed (JSONL line by line), so memory does
    not grow with the seed size. With a `scan`, files and JSONL lines it knows unchanged are
    skipped (see SeedScan), and the state of each file read is put in `scan.found`.
    A document whose record names no `source_country` gets its outlet's from the sources
    registry (the folder's sources.toml over the shipped one), when it knows the outlet.
    """
    seeds_dir = Path(seeds_dir)
    if not seeds_dir.is_dir():
        yield Failure(str(seeds_dir), DEFAULT_SOURCE, "seed", FailureCode.NOT_FOUND,
                      "seeds folder not found")
        return
    sources, problem = seed_sources(seeds_dir)
    if problem:
        yield Failure(SEED_SOURCES_NAME, DEFAULT_SOURCE, "seed", FailureCode.BAD_CONFIG, problem)
    if scan is not None:
        forget_if_sources_changed(seeds_dir, seeds_dir if root is None else root, scan)
    for item in _iter_seed_items(seeds_dir, max_file_bytes, max_document_bytes,
                                 seeds_dir if root is None else root, scan):
        if isinstance(item, SourceDocument) and item.source_country is None:
            country = sources.country_of(item.source if item.source != DEFAULT_SOURCE else None,
                                         item.url)
            if country:
                item = replace(item, source_country=country)
        yield item


def _iter_seed_items(seeds_dir: Path, max_file_bytes: int, max_document_bytes: int,
                     root: Path, scan: SeedScan | None) -> Iterator[SourceDocument | Failure]:
    for path in sorted(p for p in seeds_dir.rglob("*") if not p.is_dir()):
        suffix = path.suffix.lower()
        if path.name in IGNORED_NAMES or path.name.startswith(".") or suffix not in SEED_SUFFIXES:
            continue
        location = seed_location(path, root)
        try:
            if not path.is_file():
                yield Failure(location, DEFAULT_SOURCE, "seed", FailureCode.UNREADABLE,
                              not_a_file_reason(path))
                continue
            size = path.stat().st_size
            if size > max_file_bytes:
                yield Failure(location, DEFAULT_SOURCE, "seed", FailureCode.TOO_LARGE,
                              f"file is {size / 1e6:.0f} MB, over the {max_file_bytes / 1e6:.0f} MB "
                              "limit (MEDIAWATCH_MAX_SEED_FILE_BYTES); split it into smaller files")
                continue
            if scan is None:
                state, skip, hashes = None, frozenset(), None
            else:
                state, skip = seed_file_state(path, location, scan)
                if state is None:  # unchanged since it was last read
                    continue
                hashes = [] if suffix in JSONL_SUFFIXES else None
            if suffix in JSONL_SUFFIXES:
                yield from read_jsonl(path, location, max_document_bytes, skip, hashes, scan)
            elif size > max_document_bytes:
                yield Failure(location, DEFAULT_SOURCE, "seed", FailureCode.TOO_LARGE,
                              too_big(size, max_document_bytes))
            else:
                yield read_document_file(path, location, suffix)
            if state is not None:
                scan.found[location] = replace(
                    state, line_hashes=tuple(hashes) if hashes is not None else None)
        except (OSError, ValueError) as exc:
            reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
            if isinstance(exc, PermissionError):
                reason += " (give the user running mediawatch read access to the file)"
            code = exc.code if isinstance(exc, SeedProblem) else FailureCode.UNREADABLE
            yield Failure(location, DEFAULT_SOURCE, "seed", code, f"cannot read: {reason}")


def forget_if_sources_changed(seeds_dir: Path, root: Path, scan: SeedScan) -> None:
    """Forget every file's state when the folder's sources.toml changed since the last read:
    the outlets' countries it gives are part of every document read from the folder."""
    registry = seeds_dir / SEED_SOURCES_NAME
    marker = SeedFile(f"({seed_location(registry, root)})", 0, 0,
                      file_sha256(registry) if registry.is_file() else "")
    known = scan.known.get(marker.location)
    if (known.sha256 if known is not None else "") != marker.sha256:  # "": no sources.toml
        scan.known = {}
    scan.found[marker.location] = marker


def seed_file_state(path: Path, location: str,
                    scan: SeedScan) -> tuple[SeedFile | None, frozenset[str]]:
    """Return the file's state to record once it is read, and the JSONL line hashes that need
    no reading; (None, ...) when the file is unchanged (recorded in `scan.found` as it is)."""
    info = path.stat()
    known = scan.known.get(location)
    if known is not None and (known.size, known.mtime_ns) == (info.st_size, info.st_mtime_ns):
        scan.found[location] = known
        scan.unchanged_files += 1
        return None, frozenset()
    sha256 = file_sha256(path)
    state = SeedFile(location, info.st_size, info.st_mtime_ns, sha256)
    if known is not None and known.sha256 == sha256:  # touched, not changed
        scan.found[location] = replace(state, line_hashes=known.line_hashes)
        scan.unchanged_files += 1
        return None, frozenset()
    return state, frozenset(known.line_hashes or ()) if known is not None else frozenset()


def not_a_file_reason(path: Path) -> str:
    """Return why a seed path that is not a regular file is skipped (it is never opened:
    reading a FIFO would block the run forever)."""
    if path.is_symlink() and not path.exists():
        return (f"broken symbolic link to {path.readlink()}: the target does not exist; "
                "fix or remove the link")
    mode = path.lstat().st_mode
    kind = ("a named pipe (FIFO)" if stat.S_ISFIFO(mode) else "a socket" if stat.S_ISSOCK(mode)
            else "a device" if stat.S_ISCHR(mode) or stat.S_ISBLK(mode) else "not a regular file")
    return f"cannot read: {kind}, not a document file; remove it from the seeds folder"
