"""Identity keys: which inputs are one article. Every key format is built here and nowhere else.

The rule, per kind of input (docs/reliability.md, "Repeated keys"):

- a page or record with an http(s) URL: its canonical URL (extractors/urls.py), whichever
  feed, seed file or JSONL line it came from;
- a feed entry without a usable link: ``guid:<feed>:<entry id>``;
- a JSONL line without a URL but with an ``id``: ``jsonl:<file>#<id>``: ids are scoped to
  their file, as two exports numbering their lines 1, 2, 3... are not the same articles;
- a JSONL line with neither: ``seed-content:<hash of title and text>``;
- a .txt/.md/.html seed file: ``seed:<file>``.

``<file>`` is the seed file's path relative to the seeds root (the ``seeds`` setting), so
``--seeds seeds/day1`` and ``--seeds seeds`` name ``day1/article1.txt`` alike, and
``day2/article1.txt`` is another article. A file outside the root is named by its absolute
path: still stable, and never confused with a file of another folder.

Within one run the first document with a key wins (`FirstSeen`); the rest are counted as
duplicates and never reach the warehouse. Across runs a key already stored is the same
article: unchanged if its text is, updated in place if its text changed (a corrected page).
"""

from __future__ import annotations

import hashlib
import os
import threading
from pathlib import Path

from .identity import article_id
from .urls import canonical_url

__all__ = ["FirstSeen", "article_id", "entry_key", "entry_location", "jsonl_key",
           "seed_file_key", "seed_location", "url_key"]


def url_key(url: str | None) -> str | None:
    """Return the key of an article at `url`: its canonical form; None for no http(s) URL."""
    return canonical_url(url) if url else None


def entry_location(feed: str, guid: str, url: str | None) -> str:
    """Return the key of a feed entry before its page is fetched: its canonical link, else
    ``guid:<feed>:<guid>``. Its failures are recorded under this name too."""
    return url or f"guid:{feed}:{guid}"


def entry_key(feed: str, guid: str, url: str | None, final_url: str | None = None) -> str:
    """Return the key of a feed entry's article: the canonical URL its page was fetched from
    after redirects, else its link, else its GUID within the feed."""
    return url_key(final_url) or entry_location(feed, guid, url)


def seed_location(path: Path, root: Path | None) -> str:
    """Return how a seed file is named in keys and failures: relative to `root`, else absolute.

    Bytes of a file name that are not valid UTF-8 are written as ``\\xNN``: a name must be
    storable and printable, and two such names must stay apart (the file itself is still
    opened by its path).
    """
    absolute = Path(os.path.abspath(path))
    name = absolute.as_posix()
    if root is not None:
        try:
            name = absolute.relative_to(os.path.abspath(root)).as_posix()
        except ValueError:
            pass
    return printable_name(name)


def printable_name(name: str) -> str:
    """Return a file name with undecodable bytes (surrogate escapes) written as \\xNN."""
    return name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def jsonl_key(record: dict, file_location: str) -> str:
    """Return the key of one JSONL record of the file named `file_location`.

    Its canonical URL, else its id scoped to the file, else a hash of its title and text.
    """
    if record.get("url"):
        return url_key(str(record["url"])) or str(record["url"]).strip()
    if record.get("id") not in (None, ""):
        # '#' and '%' escaped in the file part, so "a#b" + "c" never meets "a" + "b#c"
        file_part = file_location.replace("%", "%25").replace("#", "%23")
        return f"jsonl:{file_part}#{record['id']}"
    body = f"{record.get('title', '')}\n{record.get('text') or record.get('html') or ''}"
    return f"seed-content:{hashlib.sha256(body.encode()).hexdigest()[:24]}"


def seed_file_key(location: str) -> str:
    """Return the key of a .txt/.md/.html seed file named `location` (see seed_location)."""
    return f"seed:{location}"


class FirstSeen:
    """The keys one run has taken in: the first document with a key wins, later ones are
    repeats. Thread-safe, as two batches of feed pages may be fetched at once."""

    def __init__(self) -> None:
        self._keys: set[str] = set()
        self._lock = threading.Lock()

    def claim(self, key: str) -> bool:
        """Return True for the first document with `key` in this run, False for a repeat."""
        with self._lock:
            if key in self._keys:
                return False
            self._keys.add(key)
            return True

    def keep_first(self, docs: list) -> tuple[list, int]:
        """Return the documents whose key is new to this run (in order), and how many were
        repeats."""
        kept = [d for d in docs if self.claim(d.key)]
        return kept, len(docs) - len(kept)
