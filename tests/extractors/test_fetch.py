"""The fetch policy against a real loopback server."""

import time

import pytest

from extractors.fetch import Fetcher, FetchPolicy, decode_html, retry_after_s
from tests.webserver import web  # noqa: F401 - pytest fixture

FAST = FetchPolicy(allow_private=True, delay_s=0.0, backoff_s=0.01, read_timeout_s=1.0,
                   total_timeout_s=2.0, retries=2)


def fetch(url, policy=FAST, **kw):
    with Fetcher(policy) as f:
        return f.fetch(url, **kw)


def test_page_is_decoded_and_sends_a_clear_user_agent(web):
    page = fetch(f"{web.base}/news/s400-deliveries.html")
    assert page.ok and page.status == 200
    assert "S-400 Triumf air defence system" in page.text
    ua = [h["User-Agent"] for p, h in web.log if p == "/news/s400-deliveries.html"][0]
    assert ua.startswith("mediawatch/")


def test_404_is_a_permanent_failure_without_retries(web):
    page = fetch(f"{web.base}/news/missing.html")
    assert (page.ok, page.status, page.transient, page.error) == (False, 404, False, "HTTP 404")
    assert web.hits["/news/missing.html"] == 1


def test_500_then_200_is_retried(web):
    page = fetch(f"{web.base}/flaky/oil-discount.html")
    assert page.ok and page.attempts == 2 and "Urals" in page.text


def test_429_waits_for_retry_after(web):
    t0 = time.monotonic()
    page = fetch(f"{web.base}/busy/oil-discount.html")
    assert page.ok and page.attempts == 2
    assert time.monotonic() - t0 >= 0.9  # Retry-After: 1


def test_redirect_chain_is_followed_and_capped(web):
    page = fetch(f"{web.base}/r/3/oil-discount.html")
    assert page.ok and page.final_url.endswith("/news/oil-discount.html")
    loop = fetch(f"{web.base}/loop")
    assert not loop.ok and "redirects" in loop.error and not loop.transient


def test_gzip_body_is_decoded(web):
    page = fetch(f"{web.base}/gz/modi-moscow-visit.html")
    assert page.ok and "children's hospital in Kyiv" in page.text


@pytest.mark.parametrize("route", ["/ru/", "/ru-meta/"])
def test_windows_1251_from_header_or_meta(web, route):
    page = fetch(f"{web.base}{route}rossiya-indiya.html")
    assert "Россия и Индия обсудили в Москве" in page.text


def test_size_cap_cuts_the_body_off(web):
    page = fetch(f"{web.base}/big", FetchPolicy(allow_private=True, delay_s=0, max_bytes=50_000))
    assert not page.ok and page.error.startswith("too large")


def test_only_html_pages(web):
    page = fetch(f"{web.base}/file.pdf")
    assert not page.ok and "application/pdf" in page.error


def test_robots_txt_is_obeyed_and_fetched_once(web):
    with Fetcher(FAST) as f:
        assert "robots.txt" in f.fetch(f"{web.base}/private/a.html").error
        assert f.fetch(f"{web.base}/news/oil-discount.html").ok
    assert web.hits["/robots.txt"] == 1 and web.hits["/private/a.html"] == 0


def test_timeouts_are_transient(web):
    page = fetch(f"{web.base}/slow", FetchPolicy(allow_private=True, delay_s=0, retries=0,
                                                 read_timeout_s=0.3))
    assert not page.ok and page.transient and "Timeout" in page.error


def test_private_addresses_are_refused_by_default(web):
    page = fetch(f"{web.base}/news/oil-discount.html", FetchPolicy())
    assert not page.ok and "non-public address 127.0.0.1" in page.error
    assert web.hits["/news/oil-discount.html"] == 0
    assert "not an http" in fetch("file:///etc/passwd").error


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


def test_decode_html_prefers_declarations_and_survives_wrong_ones():
    text = "<p>Индия</p>"
    assert decode_html(text.encode("cp1251"), "text/html; charset=windows-1251") == text
    assert decode_html(text.encode("utf-8"), "text/html; charset=bogus") == text


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
