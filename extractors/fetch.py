"""The HTTP fetch policy: one polite, bounded httpx client for feeds and article pages.

What a crawler team would insist on: connect/read/total timeouts; retries with exponential
backoff and jitter on timeouts, connection errors and 5xx; 429/503 Retry-After honoured
(and applied to the whole host); a per-host concurrency cap and politeness delay; robots.txt
(cached per host) for article pages; a body-size cap enforced while streaming; HTML content
types only for pages; a capped number of redirects, each hop checked; a clear User-Agent;
and no requests to private, loopback or link-local addresses unless explicitly allowed.
"""

from __future__ import annotations

import logging
import random
import threading
import time
import weakref
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from itertools import zip_longest
from urllib.parse import urljoin, urlsplit
from urllib.robotparser import RobotFileParser

import httpx

from .charset import CharsetUnknown, bom_codec, decode_text, http_charset, meta_charset
from .records import FailureCode, FetchedPage
from .transport import BoundedDecoder, Oversize, Refused, check_url, deadline, guarded_transport

LOGGER = logging.getLogger(__name__)

USER_AGENT = "mediawatch/0.1 (media monitoring; polite RSS reader; +https://github.com/mediawatch)"
HTML_TYPES = {"text/html", "application/xhtml+xml"}
REDIRECTS = {301, 302, 303, 307, 308}
# 408 Request Timeout, 425 Too Early, 429 Too Many Requests and 5xx are worth another try;
# other 4xx (404 Not Found, 410 Gone, 403 Forbidden, …) will say the same thing next time.
TRANSIENT_STATUSES = {408, 425, 429, 500, 502, 503, 504}
# magic numbers of bodies that are not HTML whatever their Content-Type says
BINARY_MAGIC = {b"%PDF-": "PDF", b"\x89PNG": "PNG image", b"GIF8": "GIF image",
                b"\xff\xd8\xff": "JPEG image", b"PK\x03\x04": "ZIP archive",
                b"\x1f\x8b": "gzip file", b"RIFF": "RIFF (WebP/AVI) file",
                b"\x00\x00\x01\x00": "icon"}


@dataclass(frozen=True)
class FetchPolicy:
    """The limits of fetching; the defaults suit polling a few dozen news sites."""

    user_agent: str = USER_AGENT
    connect_timeout_s: float = 5.0
    read_timeout_s: float = 15.0
    total_timeout_s: float = 30.0  # wall clock for one request, including the streamed body
    retries: int = 3  # extra attempts after the first, within one run
    backoff_s: float = 1.0  # first retry waits about this long, doubling each time
    max_backoff_s: float = 30.0
    max_retry_after_s: float = 120.0  # a longer Retry-After gives up until the next run
    max_bytes: int = 10_000_000
    max_redirects: int = 5
    concurrency: int = 8  # requests in flight overall
    per_host: int = 2  # requests in flight per host
    delay_s: float = 1.0  # politeness: seconds between request starts to one host
    max_crawl_delay_s: float = 10.0  # cap on a robots.txt Crawl-delay we honour
    respect_robots: bool = True
    allow_private: bool = False  # tests set this to reach 127.0.0.1
    # hosts (`name` or `name:port`) the operator allows to resolve to private addresses,
    # e.g. an intranet feed server; links to any other private address stay refused
    allowed_private_hosts: tuple[str, ...] = ()


def backoff_s(policy: FetchPolicy, attempt: int) -> float:
    """Return the wait before retry number `attempt` (1-based): exponential, with jitter."""
    ceiling = min(policy.max_backoff_s, policy.backoff_s * 2 ** (attempt - 1))
    return ceiling * random.uniform(0.5, 1.0)


def retry_after_s(value: str | None) -> float | None:
    """Return the seconds a Retry-After header asks for (delta-seconds or an HTTP date)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


def html_as_utf8(body: bytes, content_type: str | None = None) -> bytes:
    """Return an HTML body as UTF-8 bytes, decoded by extractors/charset.py (BOM, UTF-8, the
    HTTP charset, <meta charset>, then a guess; CharsetUnknown when the guess is weak). A
    body that is UTF-8 already is returned as it is: pages go to the extraction processes
    as bytes, and re-encoding 180 KB costs half a millisecond."""
    if bom_codec(body) is None:
        try:
            body.decode("utf-8")
            return body
        except UnicodeDecodeError:
            pass
    return decode_text(body, [http_charset(content_type), meta_charset(body)]).encode("utf-8")


def decode_html(body: bytes, content_type: str | None = None) -> str:
    """Return an HTML body as text (see html_as_utf8 for how its encoding is found)."""
    return html_as_utf8(body, content_type).decode("utf-8")


class WrongType(Exception):
    """A page whose Content-Type (or first bytes) say it is not HTML."""


def sniff_binary(body: bytes) -> str | None:
    """Return what a body is when its first bytes say it is not text (PDF, image, archive)."""
    for magic, kind in BINARY_MAGIC.items():
        if body.startswith(magic):
            return kind
    return None


class HostGate:
    """Per-host concurrency cap and spacing between request starts (thread-safe)."""

    def __init__(self, per_host: int, delay_s: float) -> None:
        self.per_host, self.delay_s = per_host, delay_s
        self.lock = threading.Lock()
        self.slots: dict[str, threading.Semaphore] = {}
        self.next_start: dict[str, float] = {}
        self.delays: dict[str, float] = {}

    def slot(self, host: str) -> threading.Semaphore:
        with self.lock:
            return self.slots.setdefault(host, threading.Semaphore(self.per_host))

    def set_delay(self, host: str, delay_s: float) -> None:
        """Space this host's requests further apart (robots.txt Crawl-delay)."""
        with self.lock:
            self.delays[host] = max(self.delay_s, delay_s)

    def hold_off(self, host: str, seconds: float) -> None:
        """Start no request to `host` for `seconds` (a 429/503 Retry-After applies to all)."""
        with self.lock:
            self.next_start[host] = max(self.next_start.get(host, 0.0), time.monotonic() + seconds)

    def wait_turn(self, host: str, stop: threading.Event | None = None) -> None:
        """Block until a request to `host` may start (or `stop` is set), and book the next
        start time."""
        with self.lock:
            now = time.monotonic()
            start = max(now, self.next_start.get(host, 0.0))
            self.next_start[host] = start + self.delays.get(host, self.delay_s)
        if start > now:
            (stop or threading.Event()).wait(start - now)


LOOKAHEAD = 4  # pages fetched ahead of a caller, per concurrent request
_LIVE: weakref.WeakSet[Fetcher] = weakref.WeakSet()  # open fetchers, for interrupt_all()


class Interrupted(Exception):
    """The run is stopping: no more requests, and the ones in flight are cut off."""


def interrupt_all() -> None:
    """Stop every open Fetcher of this process now (Ctrl-C, SIGTERM): queued requests are
    dropped, waits end, and connections in flight are shut down. Returns at once."""
    for fetcher in list(_LIVE):
        fetcher.interrupt()


class Fetcher:
    """A polite HTTP client; use as a context manager. Safe to share between threads."""

    def __init__(self, policy: FetchPolicy | None = None) -> None:
        self.policy = policy or FetchPolicy()
        p = self.policy
        self.client = httpx.Client(
            headers={"User-Agent": p.user_agent, "Accept-Encoding": "gzip, deflate"},
            timeout=httpx.Timeout(p.read_timeout_s, connect=p.connect_timeout_s),
            follow_redirects=False,  # followed by hand so every hop is checked and counted
            trust_env=False,  # no proxy settings from the environment
            transport=guarded_transport(httpx.Limits(max_connections=p.concurrency * 2),
                                        p.allow_private, p.allowed_private_hosts),
        )
        self.gate = HostGate(p.per_host, p.delay_s)
        self.robots: dict[str, RobotFileParser | None] = {}
        self.robots_lock = threading.Lock()
        self.stop = threading.Event()

    def interrupt(self) -> None:
        """Stop this fetcher: see interrupt_all()."""
        self.stop.set()
        self.client._transport._pool._network_backend.abort()  # noqa: SLF001 - ours

    def __enter__(self) -> Fetcher:
        _LIVE.add(self)
        return self

    def __exit__(self, *exc: object) -> None:
        _LIVE.discard(self)
        self.client.close()

    # -- robots.txt -------------------------------------------------------------------
    def robots_for(self, url: str) -> RobotFileParser | None:
        """Return the parsed robots.txt of `url`'s site (None: everything allowed), cached."""
        parts = urlsplit(url)
        site = f"{parts.scheme}://{parts.netloc}"
        with self.robots_lock:
            if site in self.robots:
                return self.robots[site]
        parser: RobotFileParser | None = None
        try:
            response, body = self._request(f"{site}/robots.txt", {})
            if response.status_code == 200:
                parser = RobotFileParser()
                parser.parse(body.decode("utf-8", errors="replace").splitlines())
                delay = parser.crawl_delay(self.policy.user_agent)
                if delay:
                    self.gate.set_delay(parts.netloc, min(float(delay), self.policy.max_crawl_delay_s))
            elif response.status_code >= 500:
                # RFC 9309: an unreachable robots.txt means "assume complete disallow" for now.
                parser = RobotFileParser()
                parser.disallow_all = True
            # 4xx (and, simplifying RFC 9309, a redirect): no robots.txt, everything allowed
        except Oversize:
            parser = None  # a robots.txt over the size cap is ignored rather than obeyed in part
        except httpx.HTTPError as exc:
            LOGGER.info("robots.txt of %s unreachable (%s): not fetching there now", site, exc)
            parser = RobotFileParser()
            parser.disallow_all = True
        with self.robots_lock:
            self.robots[site] = parser
        return parser

    def allowed(self, url: str) -> bool:
        """Return True when robots.txt lets our User-Agent fetch `url`."""
        parser = self.robots_for(url)
        return parser is None or parser.can_fetch(self.policy.user_agent, url)

    # -- one request ------------------------------------------------------------------
    def _request(self, url: str, headers: dict[str, str],
                 html: bool = False) -> tuple[httpx.Response, bytes]:
        """Send one GET within the policy's limits; return the response and its body.

        The whole exchange (connect, headers, body) ends by the total deadline; the body is
        read only for a 200, decoded within the size cap, and, for `html`, only when its
        Content-Type is an HTML one (a 40 MB PDF is not downloaded to be thrown away).
        """
        host = urlsplit(url).netloc.lower()
        with self.gate.slot(host):
            self.gate.wait_turn(host, self.stop)
            if self.stop.is_set():
                raise Interrupted("interrupted: the run is stopping")
            with deadline(self.policy.total_timeout_s), \
                    self.client.stream("GET", url, headers=headers) as response:
                chunks: list[bytes] = []
                if response.status_code == 200:
                    mime = response.headers.get("content-type", "").split(";")[0].strip().lower()
                    if html and mime and mime not in HTML_TYPES:
                        raise WrongType(f"not an HTML page ({mime[:60]})")
                    decoder = BoundedDecoder(response.headers.get("content-encoding"),
                                             self.policy.max_bytes)
                    for raw in response.iter_raw():
                        chunks.append(decoder.feed(raw))
                return response, b"".join(chunks)

    def fetch(self, url: str, *, html: bool = True, etag: str | None = None,
              last_modified: str | None = None) -> FetchedPage:
        """Return the page at `url`, following the whole policy; never raises.

        `html=True` is an article page (robots.txt, HTML types only, decoded to text);
        `html=False` is a feed document (raw bytes for feedparser; conditional GET with
        `etag` / `last_modified`, a 304 comes back as status 304 with no error).
        """
        headers = {"Accept": "text/html,application/xhtml+xml;q=0.9,*/*;q=0.5" if html else
                   "application/rss+xml,application/atom+xml,application/rdf+xml,"
                   "application/xml;q=0.9,text/xml;q=0.9,*/*;q=0.5"}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        current, hops, attempt = url, 0, 0
        status: int | None = None

        def failed(code: FailureCode, error: str, transient: bool) -> FetchedPage:
            return FetchedPage(url, current, status, error=error, transient=transient,
                               attempts=attempt, code=code)

        while True:
            attempt += 1
            try:
                check_url(current, self.policy.allow_private, self.policy.allowed_private_hosts)
                if html and self.policy.respect_robots and not self.allowed(current):
                    return failed(FailureCode.ROBOTS, "robots.txt disallows fetching this page", False)
                response, body = self._request(current, headers, html)
            except Interrupted as exc:
                return failed(FailureCode.INTERRUPTED, str(exc), True)
            except Refused as exc:
                hop = f" (redirected to {current[:200]})" if hops else ""
                return failed(FailureCode.REFUSED, f"refused{hop}: {exc}", False)
            except Oversize as exc:
                return failed(FailureCode.TOO_LARGE, f"too large: {exc}", False)
            except WrongType as exc:
                return failed(FailureCode.WRONG_TYPE, str(exc), False)
            except httpx.DecodingError as exc:
                return failed(FailureCode.MALFORMED, f"undecodable body: {exc}", False)
            except (httpx.TimeoutException, httpx.TransportError) as exc:
                if self.stop.is_set():
                    return failed(FailureCode.INTERRUPTED, "interrupted: the run is stopping", True)
                detail = str(exc)
                if detail == "timed out":  # the socket's own words; say which limit it was
                    detail = (f"no answer within {self.policy.connect_timeout_s:g} s"
                              if isinstance(exc, httpx.ConnectTimeout) else
                              f"no data for {self.policy.read_timeout_s:g} s")
                reason = f"{type(exc).__name__}: {detail}" if detail else type(exc).__name__
                if attempt > self.policy.retries:
                    return failed(FailureCode.NETWORK, f"{reason} (after {attempt} attempts)", True)
                self.stop.wait(backoff_s(self.policy, attempt))
                continue
            status = response.status_code
            host = urlsplit(current).netloc.lower()
            if status in REDIRECTS and response.headers.get("location"):
                hops += 1
                if hops > self.policy.max_redirects:
                    return failed(FailureCode.REDIRECTS, f"more than {self.policy.max_redirects} redirects", False)
                current = urljoin(current, response.headers["location"])
                attempt -= 1  # a redirect is not a failed attempt
                continue
            if status in TRANSIENT_STATUSES:
                wait = retry_after_s(response.headers.get("retry-after"))
                if wait is not None:
                    self.gate.hold_off(host, min(wait, self.policy.max_retry_after_s))
                if attempt > self.policy.retries or (wait or 0) > self.policy.max_retry_after_s:
                    return failed(FailureCode.HTTP, f"HTTP {status} (after {attempt} attempts)", True)
                if wait is None:
                    self.stop.wait(backoff_s(self.policy, attempt))
                continue
            if status == 304 and not html:
                return FetchedPage(url, current, status, etag=etag, last_modified=last_modified,
                                   attempts=attempt)
            if status != 200:
                return failed(FailureCode.HTTP, f"HTTP {status}", False)
            content_type = response.headers.get("content-type", "")
            validators = {"etag": response.headers.get("etag"),
                          "last_modified": response.headers.get("last-modified")}
            if not body.strip():
                # often a server hiccup: worth another run, within max_fetch_attempts
                return failed(FailureCode.EMPTY, "empty body (HTTP 200 with no content)", True)
            if not html:
                return FetchedPage(url, current, status, body=body, content_type=content_type,
                                   attempts=attempt, **validators)
            kind = sniff_binary(body)
            if kind:
                return failed(FailureCode.WRONG_TYPE, f"not an HTML page (a {kind}, served as "
                              f"{content_type.split(';')[0] or 'no Content-Type'})", False)
            try:
                utf8 = html_as_utf8(body, content_type)
            except CharsetUnknown as exc:
                return failed(FailureCode.CHARSET, f"{exc}, and the page declares none that fits (Content-Type "
                              "or <meta charset>): ask the publisher to declare it", False)
            return FetchedPage(url, current, status, body=utf8, content_type=content_type,
                               attempts=attempt, **validators)

    def fetch_many(self, urls: Iterable[str], *, html: bool = True
                   ) -> Iterator[tuple[int, FetchedPage]]:
        """Yield (index in `urls`, page) for every URL, fetched concurrently within the policy.

        Requests go out round-robin over hosts, so the workers are not all queued behind one
        slow or rate-limited site, and pages come back in that same (deterministic) order.
        At most `LOOKAHEAD` times the concurrency are fetched ahead of the caller: a caller
        that is slower than the network (extraction) holds a few pages, not the batch.
        """
        urls = list(urls)
        by_host: dict[str, list[int]] = {}
        for i, url in enumerate(urls):
            by_host.setdefault(urlsplit(url).netloc.lower(), []).append(i)
        order = [i for round_ in zip_longest(*by_host.values()) for i in round_ if i is not None]
        window = self.policy.concurrency * LOOKAHEAD
        pool = ThreadPoolExecutor(max_workers=self.policy.concurrency, thread_name_prefix="fetch")
        try:
            ahead: deque = deque()
            for i in order:
                if self.stop.is_set():
                    return
                ahead.append((i, pool.submit(self.fetch, urls[i], html=html)))
                if len(ahead) >= window:
                    index, future = ahead.popleft()
                    yield index, future.result()
            while ahead and not self.stop.is_set():
                index, future = ahead.popleft()
                yield index, future.result()
        finally:
            # A caller that stops early (an interrupt) drops the queued requests instead of
            # waiting for them: with a slow site that wait was minutes.
            pool.shutdown(wait=not self.stop.is_set(), cancel_futures=True)
