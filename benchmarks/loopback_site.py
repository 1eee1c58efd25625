"""A loopback news site for benchmarks: N article URLs cycling over real pages, and RSS feeds.

Run as a process of its own (so serving does not share the benchmark's GIL):
    python benchmarks/loopback_site.py --pages DIR --n 4000 --per-feed 500
It prints `READY <port>` once listening. Routes: /feed/<k>.xml (items k*per_feed ..),
/a/<i>.html (page i mod the number of pages), anything else 404.
"""

from __future__ import annotations

import argparse
import gzip
import sys
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from xml.sax.saxutils import escape


def load_pages(folder: Path) -> list[bytes]:
    """Return the HTML bytes of every page in `folder` (*.html or *.html.gz), by name."""
    pages = []
    for path in sorted(folder.iterdir()):
        if path.name.endswith(".html.gz"):
            pages.append(gzip.decompress(path.read_bytes()))
        elif path.suffix in {".html", ".htm"}:
            pages.append(path.read_bytes())
    if not pages:
        raise SystemExit(f"no .html or .html.gz pages in {folder}")
    return pages


def feed_xml(base: str, first: int, last: int) -> bytes:
    """Return an RSS 2.0 feed listing articles first..last-1."""
    items = "".join(
        f"<item><title>Article {i}</title><link>{base}/a/{i}.html?utm_source=rss</link>"
        f"<guid isPermaLink=\"false\">bench-{i}</guid>"
        f"<pubDate>{formatdate(1720000000 + i * 60, usegmt=True)}</pubDate></item>"
        for i in range(first, last)
    )
    return (f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
            f"<title>Bench {first}</title><link>{escape(base)}</link>"
            f"<description>benchmark feed</description>{items}</channel></rss>").encode()


def make_handler(pages: list[bytes], n: int, per_feed: int):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"  # keep-alive, as real servers do

        def log_message(self, *args) -> None:
            pass

        def do_GET(self) -> None:
            path = self.path.split("?")[0]
            base = f"http://127.0.0.1:{self.server.server_address[1]}"
            body, kind = None, "text/html; charset=utf-8"
            if path.startswith("/feed/") and path.endswith(".xml"):
                k = int(path[6:-4])
                body, kind = feed_xml(base, k * per_feed, min(n, (k + 1) * per_feed)), "application/rss+xml"
            elif path.startswith("/a/") and path.endswith(".html"):
                i = int(path[3:-5])
                if 0 <= i < n:
                    body = pages[i % len(pages)]
            if body is None:
                body, status = b"not found", 404
            else:
                status = 200
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    return Handler


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=Path, required=True)
    parser.add_argument("--n", type=int, required=True)
    parser.add_argument("--per-feed", type=int, default=500)
    args = parser.parse_args()
    server = ThreadingHTTPServer(("127.0.0.1", 0),
                                 make_handler(load_pages(args.pages), args.n, args.per_feed))
    server.daemon_threads = True
    print(f"READY {server.server_address[1]}", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    sys.exit(0)


if __name__ == "__main__":
    main()
