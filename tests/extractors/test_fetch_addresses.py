"""A fetch never reaches a private address unless the operator allowed that host:port: not
from a link, not through a redirect, not through the client itself. A second loopback server
(`hostile.canary_server`) counts any request that got through. The address rules themselves
are test_netsafety.py's."""

import time

import pytest

from extractors.fetch import Fetcher, FetchPolicy
from tests.fetching import fetch, fetch_from, policy_for
from tests.hostile_web import hostile  # noqa: F401 - pytest fixture
from tests.webserver import web  # noqa: F401 - pytest fixture


def test_private_addresses_are_refused_by_default(web):
    page = fetch(f"{web.base}/news/oil-discount.html", FetchPolicy())
    assert not page.ok and "non-public address 127.0.0.1" in page.error
    assert web.hits["/news/oil-discount.html"] == 0
    assert "not an http" in fetch("file:///etc/passwd").error


@pytest.mark.parametrize("url", ["http://169.254.169.254/latest/meta-data/",
                                 "http://10.1.2.3/", "http://[::ffff:10.0.0.1]/",
                                 "http://0.0.0.0/", "http://localhost/"])
def test_private_links_are_refused_without_traffic(hostile, url):
    page = fetch(url, policy_for(hostile))
    assert not page.ok and page.error.startswith("refused:")


@pytest.mark.parametrize("target", ["metadata", "ten", "canary"])
def test_redirects_to_private_addresses_are_refused_at_each_hop(hostile, target):
    started = time.monotonic()
    page = fetch_from(hostile, f"/to/{target}")
    assert not page.ok and not page.transient
    assert page.error.startswith("refused (redirected to http") and "non-public" in page.error
    assert time.monotonic() - started < 1  # refused before connecting, not timed out
    assert sum(hostile.canary_server.hits.values()) == 0


def test_the_allowed_host_is_only_that_host_and_port(hostile):
    page = fetch_from(hostile, "/gone/404")
    assert page.status == 404  # the allowed server itself is reached
    page = fetch(hostile.canary + "/admin", policy_for(hostile))  # same 127.0.0.1, other port
    assert page.error.startswith("refused:")
    assert sum(hostile.canary_server.hits.values()) == 0


def test_connect_time_check_pins_the_address(hostile):
    """The transport checks addresses itself: even a caller that skipped the URL check
    cannot reach a private address through the client."""
    from extractors.transport import Refused

    with Fetcher(policy_for(hostile)) as fetcher, pytest.raises(Refused):
        fetcher.client.get(hostile.canary + "/admin")
    assert sum(hostile.canary_server.hits.values()) == 0
