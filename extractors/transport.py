"""The socket-level guards of the fetcher: which addresses we connect to, a total deadline per
request, and response bodies decoded within the size cap.

httpx checks none of these itself: its timeouts are per read (a server that trickles one byte
every few seconds never times out), it connects to whatever a name resolves to at connect
time (a name checked as public can resolve to 10.0.0.1 a moment later), and it inflates a
whole 64 KiB gzip chunk at once (up to ~65 MB) before anyone can count the bytes. So the
connection pool gets a network backend that resolves, checks and pins each address itself
and shrinks every read and write to the time left, and bodies are inflated here, bounded.
"""

from __future__ import annotations

import socket
import threading
import time
import weakref
import zlib
from collections.abc import Iterable
from urllib.parse import urlsplit

import httpcore
import httpx

from .netsafety import is_public_address


class Refused(Exception):
    """A request the policy will not make (robots.txt, private address, bad scheme)."""


class Oversize(Exception):
    """The body grew past the size cap while streaming."""


def is_public(address: str) -> bool:
    """Return True when an IP address is globally routable unicast (netsafety's rules:
    not private, loopback, link-local, shared, reserved, multicast, nor an IPv6 form
    carrying such an IPv4 address)."""
    return is_public_address(address.split("%")[0])


def host_allowed(host: str, port: int | None, allowed_hosts: Iterable[str]) -> bool:
    """Return True when `host` (or `host:port`) is one the operator allowed to be private."""
    host = host.lower().strip("[]")
    return any(entry in (host, f"{host}:{port}") for entry in allowed_hosts)


def resolve_checked(host: str, port: int, allow_private: bool,
                    allowed_hosts: Iterable[str] = ()) -> list[str]:
    """Return the addresses of `host`; Refused when any is non-public and not allowed.

    All addresses must be public, not just the first: a name that also resolves to an
    internal address could be steered there on a retry.
    """
    try:
        infos = socket.getaddrinfo(host, port, proto=socket.IPPROTO_TCP)
    except (socket.gaierror, UnicodeError) as exc:
        raise httpcore.ConnectError(f"cannot resolve {host}: {exc}") from exc
    addresses = list(dict.fromkeys(info[4][0] for info in infos))
    if not (allow_private or host_allowed(host, port, allowed_hosts)):
        for address in addresses:
            if not is_public(address):
                what = (f"non-public address {address}" if host.strip("[]") == address
                        else f"{host} resolves to non-public address {address}")
                raise Refused(f"{what} (private, loopback or link-local; "
                              "allowed_private_hosts can allow a named host)")
    return addresses


def check_url(url: str, allow_private: bool, allowed_hosts: Iterable[str] = ()) -> None:
    """Raise Refused unless `url` is http(s) to a host whose addresses may be fetched."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise Refused(f"not an http(s) URL: {url[:200]}")
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError as exc:
        raise Refused(f"bad port in {url[:200]}") from exc
    if allow_private:
        return
    try:
        resolve_checked(parts.hostname, port, False, allowed_hosts)
    except httpcore.ConnectError as exc:
        raise httpx.ConnectError(str(exc)) from exc


# -- the total deadline of the request running in this thread -------------------------------
_DEADLINE = threading.local()


class deadline:  # noqa: N801 - used as a context manager, reads like a function
    """Within this block, every socket operation of this thread ends by `seconds` from now."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds

    def __enter__(self) -> None:
        _DEADLINE.at = time.monotonic() + self.seconds
        _DEADLINE.total = self.seconds

    def __exit__(self, *exc: object) -> None:
        _DEADLINE.at = None


def time_left(timeout: float | None, kind: type[Exception], slack_s: float = 0.0) -> float | None:
    """Return `timeout` shrunk to the time left before this thread's deadline."""
    at = getattr(_DEADLINE, "at", None)
    if at is None:
        return timeout
    left = at - time.monotonic()
    if left <= slack_s:
        raise kind(f"no complete response within the total deadline of {_DEADLINE.total:g} s")
    return left if timeout is None else min(timeout, left)


class DeadlineStream(httpcore.NetworkStream):
    """A connection whose every read and write ends by the thread's deadline."""

    def __init__(self, stream: httpcore.NetworkStream) -> None:
        self.stream = stream

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        try:
            return self.stream.read(max_bytes, time_left(timeout, httpcore.ReadTimeout))
        except httpcore.ReadTimeout:
            time_left(None, httpcore.ReadTimeout, 0.05)  # say so when the deadline is why
            raise

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        try:
            self.stream.write(buffer, time_left(timeout, httpcore.WriteTimeout))
        except httpcore.WriteTimeout:
            time_left(None, httpcore.WriteTimeout, 0.05)
            raise

    def close(self) -> None:
        self.stream.close()

    def start_tls(self, ssl_context, server_hostname=None, timeout=None):  # noqa: ANN001
        return DeadlineStream(self.stream.start_tls(
            ssl_context, server_hostname, time_left(timeout, httpcore.ConnectTimeout)))

    def get_extra_info(self, info: str):  # noqa: ANN201
        return self.stream.get_extra_info(info)


class GuardedBackend(httpcore.SyncBackend):
    """Connects only to checked addresses (pinned: the checked address is the one dialled)."""

    def __init__(self, allow_private: bool, allowed_hosts: Iterable[str]) -> None:
        self.allow_private, self.allowed_hosts = allow_private, tuple(allowed_hosts)
        self.streams: weakref.WeakSet[DeadlineStream] = weakref.WeakSet()
        self.aborted = False

    def abort(self) -> None:
        """End every connection now, reads in flight included (an interrupted run): a
        shutdown wakes a thread blocked in recv, where closing the socket would not."""
        self.aborted = True
        for stream in list(self.streams):
            sock = stream.get_extra_info("socket")
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except (AttributeError, OSError):
                pass  # already closed

    def connect_tcp(self, host, port, timeout=None, local_address=None,  # noqa: ANN001
                    socket_options=None):  # noqa: ANN001, ANN201
        if self.aborted:
            raise httpcore.ConnectError("interrupted: the run is stopping")
        addresses = resolve_checked(host, port, self.allow_private, self.allowed_hosts)
        error: Exception | None = None
        for address in addresses:
            try:
                stream = super().connect_tcp(address, port,
                                             time_left(timeout, httpcore.ConnectTimeout),
                                             local_address, socket_options)
                stream = DeadlineStream(stream)
                self.streams.add(stream)
                return stream
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                error = exc
        raise error or httpcore.ConnectError(f"no address for {host}")


def guarded_transport(limits: httpx.Limits, allow_private: bool,
                      allowed_hosts: Iterable[str]) -> httpx.HTTPTransport:
    """Return an httpx transport whose connections go through GuardedBackend.

    httpx does not take a network backend, so its pool is rebuilt with one (pinned httpx
    0.28; tests/extractors/test_fetch_addresses.py fails loudly if this stops working).
    """
    transport = httpx.HTTPTransport(limits=limits, trust_env=False)
    transport._pool = httpcore.ConnectionPool(  # noqa: SLF001
        ssl_context=httpx.create_ssl_context(trust_env=False),
        max_connections=limits.max_connections,
        max_keepalive_connections=limits.max_keepalive_connections,
        keepalive_expiry=limits.keepalive_expiry,
        network_backend=GuardedBackend(allow_private, allowed_hosts),
    )
    return transport


# -- bodies -----------------------------------------------------------------------------
class BoundedDecoder:
    """Inflates a response body (identity, gzip, deflate) chunk by chunk, never past a cap."""

    def __init__(self, content_encoding: str | None, max_bytes: int) -> None:
        encoding = (content_encoding or "identity").strip().lower()
        if encoding in ("gzip", "x-gzip"):
            self.inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
        elif encoding == "deflate":
            self.inflater = zlib.decompressobj(32 + zlib.MAX_WBITS)  # zlib header or gzip
        elif encoding in ("identity", ""):
            self.inflater = None
        else:  # we only ask for gzip and deflate; stacked or other encodings are refused
            raise Refused(f"unsupported Content-Encoding {encoding[:40]!r}")
        self.max_bytes, self.size = max_bytes, 0

    def feed(self, raw: bytes) -> bytes:
        """Return the decoded bytes of the next raw chunk; Oversize past the cap."""
        if self.inflater is None:
            return self.count(raw)
        out, data = [], raw
        while data:
            try:
                piece = self.inflater.decompress(data, self.max_bytes - self.size + 1)
            except zlib.error as exc:
                raise httpx.DecodingError(f"corrupt compressed body: {exc}") from exc
            out.append(self.count(piece))
            data = self.inflater.unconsumed_tail
        return b"".join(out)

    def count(self, piece: bytes) -> bytes:
        self.size += len(piece)
        if self.size > self.max_bytes:
            raise Oversize(f"body over {self.max_bytes / 1e6:g} MB (decoded)")
        return piece
