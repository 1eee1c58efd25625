"""What a fetch returns for each HTTP failure: one clear, permanent or transient failure,
retried only when a retry can help (tests/hostile_web.py and tests/webserver.py on
127.0.0.1)."""

import time

import pytest

from tests.fetching import fetch, fetch_from
from tests.hostile_web import hostile  # noqa: F401 - pytest fixture
from tests.webserver import web  # noqa: F401 - pytest fixture


@pytest.mark.parametrize("code", [404, 410])
def test_gone_pages_are_permanent_and_not_retried(hostile, code):
    page = fetch_from(hostile, f"/gone/{code}")
    assert (page.ok, page.status, page.transient, page.error) == (False, code, False,
                                                                  f"HTTP {code}")
    assert hostile.hits[f"/gone/{code}"] == 1


def test_a_server_error_then_the_page_is_retried(hostile):
    page = fetch_from(hostile, "/once500/oil-discount.html")
    assert page.ok and page.attempts == 2 and "Urals" in page.text


def test_429_waits_for_retry_after(web):
    t0 = time.monotonic()
    page = fetch(f"{web.base}/busy/oil-discount.html")
    assert page.ok and page.attempts == 2
    assert time.monotonic() - t0 >= 0.9  # Retry-After: 1


def test_503_waits_for_retry_after_not_the_backoff(hostile):
    started = time.monotonic()
    page = fetch_from(hostile, "/once503/oil-discount.html")
    assert page.ok and "Urals" in page.text and page.attempts == 2
    assert time.monotonic() - started >= 0.9  # waited the 1 s Retry-After, not the 0.05 s backoff


def test_a_server_that_stays_down_is_a_transient_failure_after_the_retries(hostile):
    down = fetch_from(hostile, "/down")
    assert (down.status, down.transient) == (503, True) and "after 2 attempts" in down.error


@pytest.mark.parametrize("path, kind", [("/pdf", "application/pdf"), ("/png", "image/png"),
                                        ("/pdf-as-html", "PDF")])
def test_binary_bodies_are_not_html(hostile, path, kind):
    page = fetch_from(hostile, path)
    assert not page.ok and not page.transient
    assert page.error.startswith("not an HTML page") and kind in page.error


def test_empty_body_is_a_transient_failure(hostile):
    page = fetch_from(hostile, "/empty")
    assert (page.ok, page.transient, page.status) == (False, True, 200)
    assert "empty body" in page.error
