"""One frozen record per stage: SourceDocument -> Article -> ThemeTag, and Failure for drops."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from .keys import entry_location
from .normalise import one_line


class FailureCode(StrEnum):
    """Why something could not be ingested, as a fixed word to group and query by
    (`ingest_failures.code`); the failure's `reason` says the details in a sentence."""

    NOT_FOUND = "not_found"  # the seeds folder is missing
    UNREADABLE = "unreadable"  # a seed that is not a readable text file (permissions, binary)
    TOO_LARGE = "too_large"  # over a size limit (file, line, document, response)
    MALFORMED = "malformed"  # invalid JSON line, not a feed, malformed XML
    BAD_CONFIG = "bad_config"  # an invalid sources.toml
    CHARSET = "charset"  # text in an encoding that cannot be told
    NO_TEXT = "no_text"  # no article text found on the page or in the record
    EXTRACT_ERROR = "extract_error"  # extraction raised (a bug or a pathological page)
    ROBOTS = "robots"  # robots.txt disallows the page
    REFUSED = "refused"  # the address policy (private address, scheme) refused it
    WRONG_TYPE = "wrong_type"  # a PDF, an image, anything that is not HTML
    NETWORK = "network"  # timeouts, refused connections, broken transfers
    HTTP = "http"  # an HTTP status other than 200 (see http_status)
    REDIRECTS = "redirects"  # too many redirects
    EMPTY = "empty"  # HTTP 200 with no content
    INTERRUPTED = "interrupted"  # the run was stopping


@dataclass(frozen=True, slots=True)
class SourceDocument:
    """A document as found in a seed file or a feed, before extraction.

    `key` is the identity of the article (canonical URL, explicit id, or seed path);
    the same key always gives the same `article_id`.
    """

    key: str
    origin: str  # "seed" or "feed"
    source: str
    location: str  # where it came from, for failure messages: path[:line] or URL
    url: str | None = None
    title: str | None = None
    text: str | None = None
    html: str | bytes | None = None  # bytes are UTF-8 (compact for large batches)
    author: str | None = None
    published_at: datetime | None = None
    language: str | None = None
    feed: str | None = None
    guid: str | None = None
    fallback_text: str | None = None  # a feed entry's own content, used when the page has none
    source_country: str | None = None  # the outlet's home country (gazetteer id), when known


@dataclass(frozen=True, slots=True)
class FeedEntry:
    """One item of a polled feed: where its page is and what the feed itself says about it."""

    feed: str
    guid: str  # the entry's id, else its link: the identity of the entry within the feed
    url: str | None  # canonical link to the article page
    title: str | None = None
    content: str | None = None  # plain text of content:encoded / Atom content, else summary
    author: str | None = None
    published_at: datetime | None = None
    language: str | None = None
    country: str | None = None  # the feed's home country (feed list `country`), if given

    @property
    def location(self) -> str:
        """The entry's key before its page is fetched; its failures are recorded under it."""
        return entry_location(self.feed, self.guid, self.url)


@dataclass(frozen=True, slots=True)
class FetchedPage:
    """The outcome of one HTTP fetch (after redirects and retries)."""

    url: str  # as requested
    final_url: str  # after redirects
    status: int | None  # last HTTP status; None when no response came
    body: bytes = b""  # an HTML page as UTF-8; a feed document raw (feedparser decodes it)
    content_type: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    error: str | None = None  # why there is no usable body
    transient: bool = False  # worth retrying on a later run
    attempts: int = 1
    code: FailureCode | None = None  # the kind of error, with `error`

    @property
    def ok(self) -> bool:
        return self.error is None

    @property
    def text(self) -> str:
        """The body of an HTML page as text."""
        return self.body.decode("utf-8", "replace")


@dataclass(frozen=True, slots=True)
class Article:
    """An extracted, normalised article ready to be tagged and loaded."""

    article_id: str
    key: str
    origin: str
    source: str
    url: str | None
    title: str
    text: str
    author: str | None
    published_at: datetime | None
    language: str | None
    word_count: int
    content_hash: str  # of the normalised text: exact-duplicate detection
    simhash: int  # 64-bit SimHash of the text shingles: near-duplicate detection
    tone: float | None = None
    feed: str | None = None
    guid: str | None = None
    site_name: str | None = None  # the publisher's name as the page states it
    location: str | None = None  # where it came from (its document's location)
    # The outlet's home country, a gazetteer country id ("Russia", "India"): what is domestic
    # news to it. See extractors/sources.py for where it comes from; None when unknown.
    source_country: str | None = None
    # How published_at was known: "published" (the record or the page's metadata), "feed"
    # (the feed entry), "estimated" (a date in the page's URL); None when it is unknown.
    date_source: str | None = None


@dataclass(frozen=True, slots=True)
class ThemeTag:
    """One theme on one article, with the evidence that explains it."""

    article_id: str
    theme: str
    score: float
    evidence: dict = field(hash=False, compare=False)
    taxonomy_version: str = ""


@dataclass(frozen=True, slots=True)
class ActorMention:
    """One actor (country, leader, organisation, place) named in one article."""

    article_id: str
    actor: str
    kind: str
    mentions: int


@dataclass(frozen=True, slots=True)
class Failure:
    """Something that could not be ingested, with a reason a user can act on."""

    location: str  # URL or path[:line]
    source: str
    stage: str  # seed, feed, fetch, extract, normalise, tag, load
    code: FailureCode
    reason: str
    http_status: int | None = None
    transient: bool = False  # retried on a later run when True
    feed: str | None = None  # the feed whose entry failed, for feed-originated failures

    def __post_init__(self) -> None:
        # Reasons quote servers (a redirect's Location, a Content-Type) and file names: one
        # printable line each, whoever built the Failure.
        for name in ("location", "source", "reason"):
            object.__setattr__(self, name, one_line(getattr(self, name)))


@dataclass(frozen=True, slots=True)
class FocusMark:
    """How much one article is about the relationship an analyst follows (see focus.py)."""

    article_id: str
    focus: str  # the focus in force, e.g. "India, Russia"
    score: float  # share of the focus parties the article names, 0..1
    is_focus: bool  # every focus party named: a focus article
    parties: tuple[str, ...] = ()  # the focus parties it names


@dataclass
class FeedPoll:
    """What polling one feed gave: its new validators, status and entries (or an error)."""

    name: str
    url: str
    ok: bool
    status: str  # '200', '304', '404', … or an error word
    etag: str | None = None
    last_modified: str | None = None
    error: str | None = None
    http_status: int | None = None
    transient: bool = False
    warning: str | None = None  # the feed was read, but not cleanly (recorded as a failure)
    entries: list[FeedEntry] = field(default_factory=list)
    new_entries: int = 0
    code: FailureCode | None = None  # the kind of error or warning, with it
