"""A fetch that works, against a real loopback server: the page, politely fetched.

What goes wrong has its own files: test_fetch_statuses.py (HTTP errors, retries, bodies that
are no page), test_fetch_limits.py (time, size, redirects), test_fetch_addresses.py
(private addresses), test_charset.py (how a page is decoded).
"""

import time

from extractors.fetch import Fetcher, FetchPolicy, retry_after_s
from tests.fetching import FAST, fetch
from tests.webserver import web  # noqa: F401 - pytest fixture


def test_page_is_decoded_and_sends_a_clear_user_agent(web):
    page = fetch(f"{web.base}/news/s400-deliveries.html")
    assert page.ok and page.status == 200
    assert "S-400 Triumf air defence system" in page.text
    ua = [h["User-Agent"] for p, h in web.log if p == "/news/s400-deliveries.html"][0]
    assert ua.startswith("mediawatch/")


def test_redirect_chain_is_followed(web):
    page = fetch(f"{web.base}/r/3/oil-discount.html")
    assert page.ok and page.final_url.endswith("/news/oil-discount.html")


def test_gzip_body_is_decoded(web):
    page = fetch(f"{web.base}/gz/modi-moscow-visit.html")
    assert page.ok and "children's hospital in Kyiv" in page.text


def test_robots_txt_is_obeyed_and_fetched_once(web):
    with Fetcher(FAST) as f:
        assert "robots.txt" in f.fetch(f"{web.base}/private/a.html").error
        assert f.fetch(f"{web.base}/news/oil-discount.html").ok
    assert web.hits["/robots.txt"] == 1 and web.hits["/private/a.html"] == 0


def test_conditional_get_gives_304(web):
    first = fetch(f"{web.base}/feeds/rss2.xml", html=False)
    second = fetch(f"{web.base}/feeds/rss2.xml", html=False, etag=first.etag,
                   last_modified=first.last_modified)
    assert first.status == 200 and first.body.startswith(b"<?xml")
    assert second.ok and second.status == 304 and second.body == b""


def test_per_host_politeness_spaces_requests(web):
    policy = FetchPolicy(allow_private=True, delay_s=0.2, per_host=1, respect_robots=False)
    t0 = time.monotonic()
    with Fetcher(policy) as f:
        pages = [page for _, page in f.fetch_many([f"{web.base}/news/oil-discount.html"] * 4)]
    assert all(p.ok for p in pages) and time.monotonic() - t0 >= 0.6


def test_retry_after_parsing():
    assert retry_after_s("7") == 7.0
    assert retry_after_s("Wed, 21 Oct 2015 07:28:00 GMT") == 0.0
    assert retry_after_s("soon") is None


def test_fetch_many_alternates_hosts_and_pairs_each_page_with_its_url(web):
    # 127.0.0.1 and localhost are two hosts to the policy: requests alternate between them
    other = web.base.replace("127.0.0.1", "localhost")
    urls = [f"{web.base}/news/oil-discount.html", f"{web.base}/news/missing.html",
            f"{other}/news/modi-moscow-visit.html"]
    with Fetcher(FAST) as f:
        results = list(f.fetch_many(urls))
    assert [i for i, _ in results] == [0, 2, 1]
    assert all(page.url == urls[i] for i, page in results)
    assert [page.status for _, page in results] == [200, 200, 404]


def test_fetch_many_fetches_only_a_window_ahead_of_its_caller(web):
    from extractors.fetch import LOOKAHEAD

    policy = FetchPolicy(allow_private=True, delay_s=0, per_host=2, concurrency=2,
                         respect_robots=False)
    with Fetcher(policy) as f:
        results = f.fetch_many([f"{web.base}/news/oil-discount.html?n={i}" for i in range(40)])
        next(results)
        time.sleep(0.5)  # ample time to fetch all 40 from loopback, were nothing holding back
        served = web.hits["/news/oil-discount.html"]
        assert served <= 2 * LOOKAHEAD + 2
        rest = list(results)
    assert len(rest) == 39
