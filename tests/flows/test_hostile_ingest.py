"""Done-when of the network half of issue 9: one hostile feed, real `mediawatch ingest`.

A loopback feed mixes real-looking news pages with every page fault of tests/hostile_web.py
and links to private addresses (private addresses NOT allowed; only the hostile server's own
host:port is). The CLI runs as a subprocess: it exits 0, every good page lands, every bad link
is one failure with a reason, nothing of /etc/passwd is stored, no request reaches the canary
server, and its peak RSS and wall time are printed and bounded.
"""

import os
import resource
import subprocess
import sys
import time

import duckdb
from prefect.settings import PREFECT_API_URL

from extractors.urls import canonical_url
from tests import hostile_feeds as hf
from tests.conftest import ROOT
from tests.hostile_web import gzip_bomb, hostile  # noqa: F401 - pytest fixture

B = "{BASE}"
GOOD = ["/good/chabahar-corridor.html", "/good/brahmos-talks.html", "/news/s400-deliveries.html",
        "/once503/oil-discount.html", "/once500/modi-moscow-visit.html",
        "/cp1251/rossiya-indiya.html", "/badutf8/rupee-ruble-trade.html"]
BAD = {  # link -> a word the recorded reason must contain
    f"{B}/gone/404": "HTTP 404", f"{B}/gone/410": "HTTP 410", f"{B}/down": "HTTP 503",
    f"{B}/hang": "Timeout", f"{B}/trickle": "total deadline", f"{B}/trickle-head": "Timeout",
    f"{B}/huge": "too large", f"{B}/gzbomb": "too large", f"{B}/pdf": "not an HTML page",
    f"{B}/png": "not an HTML page", f"{B}/pdf-as-html": "PDF", f"{B}/empty": "empty body",
    f"{B}/loop": "redirects", f"{B}/to/metadata": "169.254.169.254", f"{B}/to/ten": "10.20.30.40",
    f"{B}/to/canary": "non-public", "http://169.254.169.254/latest/meta-data/": "non-public",
    "http://10.20.30.40/internal": "non-public", "{CANARY}/admin": "non-public",
    "http://localhost:{PORT}/news/s400-deliveries.html": "non-public",
}
TITLES = {"/good/chabahar-corridor.html": "Corridor &xxe;"}
RSS_LIMIT_KB = 1.5 * 1024 * 1024


def hostile_feed(port: int) -> str:
    items = [hf.item(B + path, TITLES.get(path, path.rsplit("/", 1)[-1])) for path in GOOD]
    items += [hf.item(link.replace("{PORT}", str(port)), "x") for link in BAD]
    return hf.rss("Hostile Wire", *items, prolog=hf.XXE)


def test_hostile_feed_end_to_end(hostile, tmp_path, prefect_harness):
    gzip_bomb()
    hostile.feeds["hostile.xml"] = hostile_feed(hostile.server_port)
    feeds = tmp_path / "feeds.toml"
    feeds.write_text(f'[[feeds]]\nname = "Hostile Wire"\n'
                     f'url = "{hostile.base}/feeds/hostile.xml"\n')
    (tmp_path / "seeds").mkdir()
    db = tmp_path / "hostile.duckdb"
    env = {**os.environ, "PREFECT_API_URL": PREFECT_API_URL.value(),
           "PREFECT_HOME": str(tmp_path / "prefect"), "MEDIAWATCH_ALLOW_PRIVATE_ADDRESSES": "0",
           "MEDIAWATCH_ALLOWED_PRIVATE_HOSTS": f"127.0.0.1:{hostile.server_port}",
           "MEDIAWATCH_HOST_DELAY_S": "0", "MEDIAWATCH_FETCH_BACKOFF_S": "0.05",
           "MEDIAWATCH_TOTAL_TIMEOUT_S": "2", "MEDIAWATCH_READ_TIMEOUT_S": "1",
           "MEDIAWATCH_CONNECT_TIMEOUT_S": "1", "MEDIAWATCH_FETCH_RETRIES": "1",
           "MEDIAWATCH_PER_HOST_CONCURRENCY": "8", "MEDIAWATCH_MAX_PAGE_BYTES": "2000000",
           "MEDIAWATCH_EXTRACT_WORKERS": "1"}
    command = [sys.executable, "-m", "flows.cli", "ingest", "--seeds", str(tmp_path / "seeds"),
               "--feeds", str(feeds), "--db", str(db)]
    started = time.monotonic()
    run = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    elapsed = time.monotonic() - started
    peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    print(f"hostile ingest: {elapsed:.1f} s wall, peak RSS {peak_kb / 1024:.0f} MB "
          "(2 shared cores, noisy)")
    assert run.returncode == 0, run.stderr[-3000:]
    assert "Traceback" not in run.stderr and "ERROR" not in run.stderr, run.stderr[-3000:]
    assert peak_kb < RSS_LIMIT_KB
    assert elapsed < 120

    con = duckdb.connect(str(db), read_only=True)
    landed = {r[0].removeprefix(hostile.base): r[1:] for r in con.execute(
        "select url, title, text from articles").fetchall()}
    assert sorted(landed) == sorted(GOOD)
    assert "Россия и Индия" in landed["/cp1251/rossiya-indiya.html"][1]
    failures = dict(con.execute("select url, reason from ingest_failures").fetchall())
    for url, reason in sorted(failures.items()):
        print(f"  {url.removeprefix(hostile.base)} -> {reason}")
    for link, word in BAD.items():
        url = canonical_url(link.replace("{BASE}", hostile.base)
                            .replace("{CANARY}", hostile.canary)
                            .replace("{PORT}", str(hostile.server_port)))
        assert word in failures.get(url, ""), (link, failures.get(url))
    assert len(failures) == len(BAD) + 1  # and the feed's own DTD warning
    stored = " ".join(str(v) for table in ("articles", "ingest_failures", "feeds")
                      for row in con.execute(f"select * from {table}").fetchall() for v in row)
    assert "root:" not in stored
    con.close()
    assert sum(hostile.canary_server.hits.values()) == 0
    assert f"{len(BAD) + 1} failures" in run.stderr

    # the next run: permanent failures are left alone, transient ones are tried again
    hits = dict(hostile.hits)
    again = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True,
                           timeout=300)
    assert again.returncode == 0, again.stderr[-3000:]
    for path in ("/gone/404", "/gone/410", "/pdf", "/loop", "/huge", "/to/metadata"):
        assert hostile.hits[path] == hits[path], path
    for path in ("/down", "/empty", "/hang"):
        assert hostile.hits[path] > hits[path], path
    con = duckdb.connect(str(db), read_only=True)
    assert con.execute("select count(*) from articles").fetchone()[0] == len(GOOD)
    con.close()
    assert sum(hostile.canary_server.hits.values()) == 0
