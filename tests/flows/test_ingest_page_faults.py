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
from pathlib import Path
from typing import NamedTuple

import duckdb
import pytest
from prefect.settings import PREFECT_API_URL

from extractors.urls import canonical_url
from tests import hostile_feeds as hf
from tests.conftest import ROOT
from tests.hostile_web import gzip_bomb, hostile_settings, serve, stop

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


class Runs(NamedTuple):
    server: object  # the hostile server (its `hits`, `canary_server`)
    first: subprocess.CompletedProcess
    elapsed_s: float  # the first run's wall time
    peak_kb: int  # its peak RSS
    hits: dict  # the server's hits after the first run
    again: subprocess.CompletedProcess  # the second run
    after_first: tuple | None  # stored(db) after the first run
    db: Path


@pytest.fixture(scope="module")
def hostile_runs(tmp_path_factory, prefect_harness):
    """Two `mediawatch ingest` runs of the hostile feed into one warehouse, once for the
    module; each test below checks one behaviour of them."""
    gzip_bomb()
    server, _ = serve()
    canary, _ = serve()
    server.canary, server.canary_server = canary.base, canary
    tmp_path = tmp_path_factory.mktemp("hostile-ingest")
    try:
        server.feeds["hostile.xml"] = hostile_feed(server.server_port)
        feeds = tmp_path / "feeds.toml"
        feeds.write_text(f'[[feeds]]\nname = "Hostile Wire"\n'
                         f'url = "{server.base}/feeds/hostile.xml"\n')
        (tmp_path / "seeds").mkdir()
        db = tmp_path / "hostile.duckdb"
        env = {**os.environ, "PREFECT_API_URL": PREFECT_API_URL.value(),
               "PREFECT_HOME": str(tmp_path / "prefect"), **hostile_settings(server)}
        command = [sys.executable, "-m", "flows.cli", "ingest", "--seeds",
                   str(tmp_path / "seeds"), "--feeds", str(feeds), "--db", str(db)]
        started = time.monotonic()
        first = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True,
                               timeout=300)
        elapsed = time.monotonic() - started
        peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        print(f"hostile ingest: {elapsed:.1f} s wall, peak RSS {peak_kb / 1024:.0f} MB "
              "(2 shared cores, noisy)")
        hits, after_first = dict(server.hits), stored(db) if first.returncode == 0 else None
        again = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True,
                               timeout=300)
        yield Runs(server, first, elapsed, peak_kb, hits, again, after_first, db)
    finally:
        stop(server)
        stop(canary)


def stored(db) -> tuple[list, dict, str]:
    """Return the articles (url, title, text), the failures (url: reason) and every value
    of articles, ingest_failures and feeds as one string."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        landed = con.execute("select url, title, text from articles").fetchall()
        failures = dict(con.execute("select url, reason from ingest_failures").fetchall())
        values = " ".join(str(v) for table in ("articles", "ingest_failures", "feeds")
                          for row in con.execute(f"select * from {table}").fetchall() for v in row)
    finally:
        con.close()
    return landed, failures, values


def test_the_ingest_exits_cleanly_within_its_time_and_memory(hostile_runs):
    first, again = hostile_runs.first, hostile_runs.again
    assert first.returncode == 0, first.stderr[-3000:]
    assert "Traceback" not in first.stderr and "ERROR" not in first.stderr, first.stderr[-3000:]
    assert hostile_runs.peak_kb < RSS_LIMIT_KB
    assert hostile_runs.elapsed_s < 120
    assert again.returncode == 0, again.stderr[-3000:]


def first_run(hostile_runs) -> tuple[list, dict, str]:
    """What the warehouse held after the first run (that run must have succeeded)."""
    assert hostile_runs.after_first is not None, hostile_runs.first.stderr[-3000:]
    return hostile_runs.after_first


def test_every_good_page_lands_once_and_decoded(hostile_runs):
    server = hostile_runs.server
    landed = {url.removeprefix(server.base): (title, text)
              for url, title, text in first_run(hostile_runs)[0]}
    assert sorted(landed) == sorted(GOOD)
    assert "Россия и Индия" in landed["/cp1251/rossiya-indiya.html"][1]


def test_the_next_run_stores_nothing_twice(hostile_runs):
    landed, _, _ = stored(hostile_runs.db)
    assert len(landed) == len(GOOD)


@pytest.mark.parametrize("link", list(BAD))
def test_each_bad_link_is_one_failure_with_its_reason(hostile_runs, link):
    server = hostile_runs.server
    _, failures, _ = first_run(hostile_runs)
    url = canonical_url(link.replace("{BASE}", server.base).replace("{CANARY}", server.canary)
                        .replace("{PORT}", str(server.server_port)))
    assert BAD[link] in failures.get(url, ""), failures.get(url)


def test_the_failures_are_the_bad_links_and_the_feeds_dtd_warning(hostile_runs):
    first = hostile_runs.first
    _, failures, _ = first_run(hostile_runs)
    for url, reason in sorted(failures.items()):
        print(f"  {url} -> {reason}")
    assert len(failures) == len(BAD) + 1
    assert f"{len(BAD) + 1} failures" in first.stderr


def test_nothing_of_etc_passwd_is_stored_and_the_canary_is_never_reached(hostile_runs):
    server = hostile_runs.server
    assert "root:" not in first_run(hostile_runs)[2]
    assert "root:" not in stored(hostile_runs.db)[2]
    assert sum(server.canary_server.hits.values()) == 0  # over both runs


@pytest.mark.parametrize("path, retried", [
    *((p, False) for p in ("/gone/404", "/gone/410", "/pdf", "/loop", "/huge", "/to/metadata")),
    *((p, True) for p in ("/down", "/empty", "/hang"))])
def test_the_next_run_retries_transient_failures_only(hostile_runs, path, retried):
    server, hits = hostile_runs.server, hostile_runs.hits
    assert (server.hits[path] > hits.get(path, 0)) is retried, hits.get(path)
