"""Canonical URLs: one spelling per article, so the same page is one article.

courlan (trafilatura's own URL library) does the work: lower-cased scheme and host, default
ports dropped, query parameters sorted, tracking parameters (utm_*, fbclid, gclid, …) removed.
We only add dropping the fragment, which never changes the page a server returns.
"""

from __future__ import annotations

from urllib.parse import urljoin, urlsplit, urlunsplit

from courlan import normalize_url

HTTP_SCHEMES = {"http", "https"}


def canonical_url(url: str, base: str | None = None) -> str | None:
    """Return the canonical form of an http(s) `url` (resolved against `base`), else None."""
    if not url or not url.strip():
        return None
    url = url.strip()
    if base:
        url = urljoin(base, url)
    parts = urlsplit(url)
    if parts.scheme.lower() not in HTTP_SCHEMES or not parts.hostname:
        return None
    try:
        normalised = normalize_url(url, strict=False)
    except ValueError:
        return None
    return urlunsplit(urlsplit(normalised)._replace(fragment=""))


def host_of(url: str) -> str:
    """Return the lower-cased host[:port] of `url` (the unit of politeness)."""
    return urlsplit(url).netloc.lower()
