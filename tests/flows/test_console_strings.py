"""Issue #21 case 2: remote and user strings are data, never Rich markup nor terminal escapes.

Every hostile string the outside probe used, through the real `mediawatch` console script:
a redirect Location with `[/]` (Rich's closing tag: MarkupError, every ingest stopped), a
Content-Type with `[/]`, `[red]` and `[/]` in the --seeds and --db paths (a traceback, or
silently removed), `:x:` in a title (rendered as an emoji by `sql` in every format), and
terminal escape sequences in source, author, url and language (stored and printed raw).
"""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import duckdb
import pytest

from tests.flows import cli_process as cli

pytestmark = pytest.mark.slow

REDIRECT_TO = "http://10.1.2.3/[/]x[red]y"  # private: refused, and the message names it
ESC = ["\x1b[2J", "\x1b]0;pwned\x07", "\x1b[31m", "\x9b0m"]  # clear, retitle, colour, C1 CSI
PAGE = ("<html><head><title>India and Russia [bold]sign[/] an oil deal</title></head><body>"
        "<article><p>India and Russia signed an oil and defence agreement in Moscow on Monday, "
        "officials said, as Western pressure over sanctions grew.</p></article></body></html>")


class Hostile(BaseHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass

    def do_GET(self) -> None:
        base = f"http://127.0.0.1:{self.server.server_port}"
        routes = {
            "/moved.xml": (302, {"Location": REDIRECT_TO}, b""),
            "/feed.xml": (200, {"Content-Type": "application/rss+xml"}, (
                f'<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>'
                f"<item><title>root:x:0:0 :x: [/]</title><link>{base}/page</link></item>"
                f"<item><title>A PDF</title><link>{base}/doc</link></item>"
                "</channel></rss>").encode()),
            "/page": (200, {"Content-Type": "text/html; charset=utf-8"}, PAGE.encode()),
            "/doc": (200, {"Content-Type": "application/[/]pdf"}, b"%PDF-1.4 " + b"x" * 200),
        }
        status, headers, body = routes.get(self.path, (404, {}, b"not here"))
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture
def hostile_server():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Hostile)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()


def test_every_hostile_string_is_shown_as_data(tmp_path, hostile_server, prefect_api_url):
    seeds = tmp_path / "seeds [red]x[/]y"  # "[/]" in a path spans a folder: "x[" / "]y"
    seeds.mkdir(parents=True)
    (seeds / "wire.jsonl").write_text(json.dumps({
        "id": "e1", "title": "root:x:0:0 ends with :x:", "text": "India and Russia signed "
        "an oil and defence agreement in Moscow on Monday, officials said.",
        "source": f"Wire{ESC[0]} [/]", "author": f"Ann{ESC[1]} Lee", "language": f"en{ESC[2]}",
        "url": f"https://e.org/a{ESC[3]}"}) + "\n")
    (seeds / "bad [").mkdir()
    (seeds / "bad [/].txt").write_bytes(b"\x00binary")
    (tmp_path / "feeds.toml").write_text(
        f'[[feeds]]\nname = "Moved [/]"\nurl = "http://{hostile_server}/moved.xml"\n'
        f'[[feeds]]\nname = "Good [red]"\nurl = "http://{hostile_server}/feed.xml"\n')
    db = tmp_path / "db [red]" / "mw[/].duckdb"
    db.parent.mkdir(parents=True)
    env = cli.cli_env(tmp_path / "prefect", prefect_api_url, MEDIAWATCH_ALLOWED_PRIVATE_HOSTS=hostile_server,
                      MEDIAWATCH_HOST_DELAY_S="0", MEDIAWATCH_EXTRACT_WORKERS="1",
                      MEDIAWATCH_SEEDS=str(seeds))

    done = cli.run(["ingest", "--seeds", str(seeds), "--feeds", str(tmp_path / "feeds.toml"),
                    "--db", str(db)], env)
    assert done.returncode == 0, done.stderr
    assert cli.clean_output(done.stderr) and "MarkupError" not in done.stderr, done.stderr
    # paths, feed names and the server's words shown as they are, not as markup
    assert f"-> {db}" in done.stderr
    assert "feed Moved [/]: refused" in done.stderr and "[/]x[red]y" in done.stderr
    assert "feed Good [red]: 200" in done.stderr
    assert "\x1b" not in done.stderr and "\x9b" not in done.stderr

    con = duckdb.connect(str(db), read_only=True)
    try:
        stored = con.execute("select source, author, language, url from articles "
                             "where origin = 'seed'").fetchone()
        failures = dict(con.execute("select url, reason from ingest_failures").fetchall())
        titles = {t for (t,) in con.execute("select title from articles").fetchall()}
    finally:
        con.close()
    # terminal escapes stripped on the way in, whole sequences, not just the ESC byte
    assert stored == ("Wire [/]", "Ann Lee", "en", "https://e.org/a0m")
    assert "root:x:0:0 :x: [/]" in titles  # the feed's title, as the feed wrote it
    assert "application/[/]pdf" in failures[f"http://{hostile_server}/doc"]
    assert "bad [/].txt" in failures

    for fmt in ("table", "csv", "json"):
        out = cli.run(["sql", "select title, source from articles order by title", "--db",
                       str(db), "--format", fmt], env)
        assert out.returncode == 0, out.stderr
        assert "root:x:0:0 ends with :x:" in out.stdout and "❌" not in out.stdout, out.stdout
        assert "Wire [/]" in out.stdout
