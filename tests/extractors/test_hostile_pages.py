"""Hostile pages against the fetcher: each fault is one clear failure, fast, and bounded.

Everything runs against tests/hostile_web.py on 127.0.0.1, with small limits (a 2 s total
deadline, a 2 MB cap) so the suite stays quick.
"""

import subprocess
import sys
import time
from dataclasses import replace

import pytest

from extractors.fetch import Fetcher, FetchPolicy
from extractors.transport import BoundedDecoder, Oversize, is_public
from tests.conftest import ROOT
from tests.hostile_web import gzip_bomb, hostile  # noqa: F401 - pytest fixture


def policy_for(server, **overrides) -> FetchPolicy:
    """Small limits; only the hostile server's own host:port may be private."""
    port = server.server_port
    return replace(FetchPolicy(connect_timeout_s=1, read_timeout_s=1, total_timeout_s=2,
                               retries=1, backoff_s=0.05, delay_s=0, max_bytes=2_000_000,
                               respect_robots=False, per_host=8,
                               allowed_private_hosts=(f"127.0.0.1:{port}",)), **overrides)


def fetch(server, path, **overrides):
    with Fetcher(policy_for(server, **overrides)) as fetcher:
        return fetcher.fetch(server.base + path)


@pytest.mark.parametrize("code", [404, 410])
def test_gone_pages_are_permanent_and_not_retried(hostile, code):
    page = fetch(hostile, f"/gone/{code}")
    assert (page.status, page.transient, page.error) == (code, False, f"HTTP {code}")
    assert hostile.hits[f"/gone/{code}"] == 1


def test_server_errors_are_retried_and_retry_after_is_honoured(hostile):
    started = time.monotonic()
    page = fetch(hostile, "/once503/oil-discount.html")
    assert page.ok and "Urals" in page.text and page.attempts == 2
    assert time.monotonic() - started >= 0.9  # waited the 1 s Retry-After, not the 0.05 s backoff
    assert fetch(hostile, "/once500/oil-discount.html").ok
    down = fetch(hostile, "/down")
    assert (down.status, down.transient) == (503, True) and "after 2 attempts" in down.error


@pytest.mark.parametrize("path", ["/hang", "/trickle", "/trickle-head"])
def test_total_deadline_ends_silent_and_trickling_servers(hostile, path):
    # the read timeout (1 s) alone never fires on /trickle: a byte comes every 0.2 s
    started = time.monotonic()
    page = fetch(hostile, path, retries=0, read_timeout_s=5)
    elapsed = time.monotonic() - started
    assert not page.ok and page.transient
    assert "Timeout" in page.error
    assert elapsed < 3.5, f"{path} took {elapsed:.1f} s past a 2 s total deadline"


def test_oversized_body_is_cut_off_while_streaming(hostile):
    page = fetch(hostile, "/huge")
    assert not page.ok and not page.transient and page.error.startswith("too large")


PEAK_RSS = """
import resource, sys
from extractors.fetch import Fetcher, FetchPolicy
policy = FetchPolicy(total_timeout_s=5, retries=0, delay_s=0, max_bytes=2_000_000,
                     respect_robots=False, allow_private=True)
with Fetcher(policy) as fetcher:
    page = fetcher.fetch(sys.argv[1])
print(page.error or "ok", "|", resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


def peak_rss_kb(url: str) -> tuple[str, int]:
    """Fetch `url` in a fresh interpreter; return its outcome and peak RSS (KiB)."""
    out = subprocess.run([sys.executable, "-c", PEAK_RSS, url], capture_output=True, text=True,
                         check=True, cwd=ROOT, timeout=60).stdout
    error, rss = out.rsplit("|", 1)
    return error.strip(), int(rss)


def test_gzip_bomb_stops_at_the_cap_counted_after_inflating(hostile):
    gzip_bomb()  # built before timing: the server's own work is not the client's
    error, bomb_kb = peak_rss_kb(hostile.base + "/gzbomb")
    assert error.startswith("too large") and "decoded" in error and "2 MB" in error
    _, page_kb = peak_rss_kb(hostile.base + "/news/oil-discount.html")
    # httpx would inflate each 64 KiB chunk at once (~65 MB); we stay near the 2 MB cap
    assert (bomb_kb - page_kb) / 1024 < 25, f"bomb {bomb_kb} KiB vs page {page_kb} KiB"


def test_bounded_decoder_never_inflates_past_the_cap():
    decoder = BoundedDecoder("gzip", 1_000_000)
    bomb = gzip_bomb()
    with pytest.raises(Oversize):
        for i in range(0, len(bomb), 65536):
            out = decoder.feed(bomb[i:i + 65536])
            assert len(out) <= 1_000_001
    assert decoder.size <= 1_000_001


@pytest.mark.parametrize("path, kind", [("/pdf", "application/pdf"), ("/png", "image/png"),
                                        ("/pdf-as-html", "PDF")])
def test_binary_bodies_are_not_html(hostile, path, kind):
    page = fetch(hostile, path)
    assert not page.ok and not page.transient
    assert page.error.startswith("not an HTML page") and kind in page.error


def test_empty_body_is_a_transient_failure(hostile):
    page = fetch(hostile, "/empty")
    assert (page.ok, page.transient, page.status) == (False, True, 200)
    assert "empty body" in page.error


def test_redirect_loop_is_capped(hostile):
    page = fetch(hostile, "/loop")
    assert not page.ok and "more than 5 redirects" in page.error
    assert hostile.hits["/loop"] == 6


def test_charsets_declared_nowhere_and_invalid_utf8(hostile):
    russian = fetch(hostile, "/cp1251/rossiya-indiya.html")
    assert "Россия и Индия" in russian.text
    japanese = fetch(hostile, "/sjis")
    assert "インドとロシア" in japanese.text
    broken = fetch(hostile, "/badutf8/s400-deliveries.html")
    assert broken.ok and "S-400 Triumf" in broken.text and "\ufffd" in broken.text


@pytest.mark.parametrize("target", ["metadata", "ten", "canary"])
def test_redirects_to_private_addresses_are_refused_at_each_hop(hostile, target):
    started = time.monotonic()
    page = fetch(hostile, f"/to/{target}")
    assert not page.ok and not page.transient
    assert page.error.startswith("refused (redirected to http") and "non-public" in page.error
    assert time.monotonic() - started < 1  # refused before connecting, not timed out
    assert sum(hostile.canary_server.hits.values()) == 0


@pytest.mark.parametrize("url", ["http://169.254.169.254/latest/meta-data/",
                                 "http://10.1.2.3/", "http://[::ffff:10.0.0.1]/",
                                 "http://0.0.0.0/", "http://localhost/"])
def test_private_links_are_refused_without_traffic(hostile, url):
    with Fetcher(policy_for(hostile)) as fetcher:
        page = fetcher.fetch(url)
    assert not page.ok and page.error.startswith("refused:")


def test_the_allowed_host_is_only_that_host_and_port(hostile):
    page = fetch(hostile, "/gone/404")
    assert page.status == 404  # the allowed server itself is reached
    with Fetcher(policy_for(hostile)) as fetcher:
        page = fetcher.fetch(hostile.canary + "/admin")  # same 127.0.0.1, other port
    assert page.error.startswith("refused:")
    assert sum(hostile.canary_server.hits.values()) == 0


def test_connect_time_check_pins_the_address(hostile):
    """The transport checks addresses itself: even a caller that skipped the URL check
    cannot reach a private address through the client."""
    from extractors.transport import Refused

    with Fetcher(policy_for(hostile)) as fetcher, pytest.raises(Refused):
        fetcher.client.get(hostile.canary + "/admin")
    assert sum(hostile.canary_server.hits.values()) == 0


def test_public_address_filter():
    assert is_public("8.8.8.8") and is_public("2606:4700:4700::1111")
    for address in ("127.0.0.1", "10.0.0.1", "172.16.0.1", "192.168.1.1", "169.254.169.254",
                    "100.64.0.1", "0.0.0.0", "::1", "fe80::1%eth0", "fc00::1",
                    "::ffff:127.0.0.1", "224.0.0.1"):
        assert not is_public(address), address
