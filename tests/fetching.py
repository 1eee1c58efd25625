"""Fetch helpers shared by the fetch tests: one fetch under a small policy, on either
loopback server (tests/webserver.py's `web`, tests/hostile_web.py's `hostile`)."""

from __future__ import annotations

from dataclasses import replace

from extractors.fetch import Fetcher, FetchPolicy
from extractors.records import FetchedPage

# For the well-behaved server: every private address allowed, quick retries.
FAST = FetchPolicy(allow_private=True, delay_s=0.0, backoff_s=0.01, read_timeout_s=1.0,
                   total_timeout_s=2.0, retries=2)


def fetch(url: str, policy: FetchPolicy = FAST, **kw) -> FetchedPage:
    """Fetch one URL with a fresh Fetcher."""
    with Fetcher(policy) as f:
        return f.fetch(url, **kw)


def policy_for(server, **overrides) -> FetchPolicy:
    """Small limits (a 2 s total deadline, a 2 MB cap); only the hostile server's own
    host:port may be private."""
    port = server.server_port
    return replace(FetchPolicy(connect_timeout_s=1, read_timeout_s=1, total_timeout_s=2,
                               retries=1, backoff_s=0.05, delay_s=0, max_bytes=2_000_000,
                               respect_robots=False, per_host=8,
                               allowed_private_hosts=(f"127.0.0.1:{port}",)), **overrides)


def fetch_from(server, path: str, **overrides) -> FetchedPage:
    """Fetch `path` from the hostile server under policy_for(server, **overrides)."""
    return fetch(server.base + path, policy_for(server, **overrides))
