"""A fetch is bounded in time, size and redirects, whatever the server does: each limit
ends it with one clear failure, fast, and without the memory a careless client would use
(tests/hostile_web.py and tests/webserver.py on 127.0.0.1, with small limits)."""

import subprocess
import sys
import time

import pytest

from extractors.fetch import FetchPolicy
from extractors.transport import BoundedDecoder, Oversize
from tests.conftest import ROOT
from tests.fetching import fetch, fetch_from
from tests.hostile_web import gzip_bomb, hostile  # noqa: F401 - pytest fixture
from tests.webserver import web  # noqa: F401 - pytest fixture


@pytest.mark.parametrize("path, limits", [
    ("/hang", {"read_timeout_s": 0.3}),  # the read timeout: nothing comes
    ("/hang", {"read_timeout_s": 5}),  # the total deadline (2 s) comes first
    # the read timeout (1 s) alone never fires on /trickle: a byte comes every 0.2 s
    ("/trickle", {"read_timeout_s": 5}),
    ("/trickle-head", {"read_timeout_s": 5}),
], ids=["hang-read-timeout", "hang", "trickle", "trickle-head"])
def test_silent_and_trickling_servers_are_transient_timeouts(hostile, path, limits):
    started = time.monotonic()
    page = fetch_from(hostile, path, retries=0, **limits)
    elapsed = time.monotonic() - started
    assert not page.ok and page.transient
    assert "Timeout" in page.error
    assert elapsed < 3.5, f"{path} took {elapsed:.1f} s past a 2 s total deadline"


def test_size_cap_cuts_the_body_off(web):
    page = fetch(f"{web.base}/big", FetchPolicy(allow_private=True, delay_s=0, max_bytes=50_000))
    assert not page.ok and page.error.startswith("too large")


def test_oversized_body_is_cut_off_while_streaming(hostile):
    page = fetch_from(hostile, "/huge")
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


def test_redirect_loop_is_capped_and_permanent(hostile):
    page = fetch_from(hostile, "/loop")
    assert not page.ok and not page.transient and "more than 5 redirects" in page.error
    assert hostile.hits["/loop"] == 6
