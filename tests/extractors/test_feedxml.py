"""A feed's DTD is never read (extractors/feedxml.py): entity bombs are not expanded and
external entities never reach the data, whatever the prolog looks like."""

import time
from pathlib import Path

import pytest

from extractors.feeds import FeedSpec, read_feed
from extractors.feedxml import strip_dtd
from tests import hostile_feeds as hf

FEED = FeedSpec("Hostile", "http://feeds.example.org/rss")
GOOD = hf.item("http://example.org/a", "Modi meets Putin", "guid-a", "Talks on energy.")
PASSWD = Path("/etc/passwd")


def read(text: str):
    return read_feed(text.encode("utf-8"), FEED)


def ids(entries) -> list[str]:
    return [e.guid.rsplit("/", 1)[-1] for e in entries]


@pytest.mark.parametrize("prolog", [hf.LAUGHS, hf.LAUGHS_ONE_LINE])
def test_billion_laughs_is_not_expanded(prolog):
    started = time.monotonic()
    entries, warning = read(hf.rss("Bomb", hf.item("http://example.org/lol", "&lol9;", "lol"),
                                   GOOD, prolog=prolog))
    assert time.monotonic() - started < 2
    assert ids(entries) == ["lol", "guid-a"]
    assert "lollol" not in repr(entries)
    assert "entities" in warning


@pytest.mark.parametrize("prolog", [hf.XXE, hf.XXE_LINES, hf.XXE_PARAMETER, hf.XXE_TRICKY,
                                    hf.XXE_TWICE])
def test_external_entities_never_reach_the_data(prolog):
    assert "root:" in PASSWD.read_text()  # the leak we look for would be visible
    entries, warning = read(hf.rss("XXE", hf.item("http://example.org/x", "Leak &xxe; here",
                                                  "x", "&xxe;"), GOOD, prolog=prolog))
    assert "root:" not in repr(entries)
    assert set(ids(entries)) == {"x", "guid-a"}
    assert warning and "entities" in warning


def test_a_utf16_feed_with_a_dtd_is_refused():
    body = (hf.HEAD.replace("UTF-8", "UTF-16") + hf.XXE
            + hf.CHANNEL.format(title="W") + hf.item("http://example.org/x", "&xxe;") + hf.END)
    with pytest.raises(ValueError, match="UTF-16"):
        read_feed(body.encode("utf-16"), FEED)


def test_strip_dtd_keeps_everything_else():
    body = hf.rss("Plain", hf.item("http://example.org/a", "A <![CDATA[<!DOCTYPE html>]]>"),
                  prolog="<?xml-stylesheet href='s.xsl'?>\n<!-- a comment -->\n")
    assert strip_dtd(body.encode()) == (body.encode(), False)
    netscape = ('<!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN" '
                '"http://my.netscape.com/publish/formats/rss-0.91.dtd">\n')
    stripped, declared = strip_dtd(hf.rss("N", GOOD, prolog=netscape).encode())
    assert b"DOCTYPE" not in stripped and not declared
    assert ids(read_feed(stripped, FEED)[0]) == ["guid-a"]


def test_a_clean_feed_has_no_warning():
    assert read(hf.rss("Clean", GOOD))[1] is None
