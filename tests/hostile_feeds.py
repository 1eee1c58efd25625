"""Hostile feed documents (text, with {BASE} and {CANARY} for the servers' addresses)."""

HEAD = '<?xml version="1.0" encoding="UTF-8"?>\n'
CHANNEL = '<rss version="2.0"><channel><title>{title}</title><link>{{BASE}}/</link>\n'
END = "</channel></rss>\n"


def item(link: str, title: str, guid: str | None = None, description: str = "") -> str:
    """Return one RSS item."""
    guid_tag = f"<guid>{guid}</guid>" if guid else ""
    return (f"<item><title>{title}</title><link>{link}</link>{guid_tag}"
            f"<description>{description}</description></item>\n")


def rss(title: str, *items: str, prolog: str = "") -> str:
    """Return an RSS 2.0 document with an optional prolog (DOCTYPE) after the XML declaration."""
    return HEAD + prolog + CHANNEL.format(title=title) + "".join(items) + END


LAUGHS = "<!DOCTYPE rss [\n <!ENTITY lol \"lol\">\n" + "".join(
    f' <!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">\n'
    for i in range(1, 10)) + "]>\n"
LAUGHS_ONE_LINE = LAUGHS.replace("\n", "")
XXE = '<!DOCTYPE rss [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'
XXE_LINES = '<!DOCTYPE rss [\n<!ENTITY xxe SYSTEM "file:///etc/passwd">\n]>\n'
XXE_PARAMETER = '<!DOCTYPE rss [\n<!ENTITY % p SYSTEM "file:///etc/passwd"> %p;\n]>\n'
XXE_TRICKY = ('<!-- <!DOCTYPE decoy> --><!DOCTYPE rss [<!ENTITY a "]>"><!ENTITY b \'>\'>'
              '<!-- ]> --><!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n')
XXE_TWICE = ('<!DOCTYPE a [<!ENTITY a "x">]>\n'
             '<!DOCTYPE rss [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n')


def malformed(*good_items: str, after: str = "") -> str:
    """Return RSS whose XML breaks (an unclosed tag, a bare &) after `good_items`."""
    return (HEAD + CHANNEL.format(title="Broken Wire") + "".join(good_items)
            + "<item><title>Fish & chips <b>unclosed</title><link>{BASE}/gone/404</link>\n"
            + after + END)


def big_feed(entries: int) -> str:
    """Return an RSS feed with `entries` items, each a distinct page."""
    return rss("Firehose", *(item(f"{{BASE}}/many/{i}.html", f"Story number {i}",
                                  description="India and Russia, a short line.")
                             for i in range(entries)))
