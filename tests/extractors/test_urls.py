from extractors.urls import canonical_url


def test_tracking_parameters_fragments_and_case_are_normalised():
    url = "HTTP://WWW.Example.COM:80/a/b?utm_source=rss&id=3&fbclid=x&gclid=y#comments"
    assert canonical_url(url) == "http://www.example.com/a/b?id=3"
    assert canonical_url("https://ex.com/n?b=2&a=1&utm_medium=feed") == "https://ex.com/n?a=1&b=2"


def test_relative_links_resolve_and_non_http_is_refused():
    assert canonical_url("/x.html?utm_campaign=a#y", "http://127.0.0.1:5000/feed") == \
        "http://127.0.0.1:5000/x.html"
    assert canonical_url("mailto:a@b.c") is None
    assert canonical_url("javascript:alert(1)") is None
    assert canonical_url("") is None
