"""Ctrl-C in a terminal during a feed ingest: a quick, quiet stop, and a rerun that finishes.

A terminal sends SIGINT to the whole foreground process group: the CLI, its extraction
processes and anything else in the group. Pages come from a real loopback site.
"""

import os
import signal
import subprocess
import time

import duckdb
import pytest

from benchmarks.crash import descendants, still_running
from benchmarks.pipeline import start_site
from tests.flows import cli_process as cli

pytestmark = pytest.mark.slow

# 12 batches of 15 over 3 feeds (of 25 before, ~41 s of CPU for the test; of 50 and 15 of
# 100 before that): the interrupt lands after about two of them, and the rerun fetches and
# extracts the rest, so fewer pages cost less in both runs
N, PER_FEED, BATCH = 180, 60, 15
TASK_DONE = "prefect.task_runs: Finished in state Completed()"


def write_pages(folder):
    folder.mkdir()
    for i in range(5):
        paragraphs = "".join(
            f"<p>Paragraph {j} of story {i}: India and Russia discussed oil payments, "
            f"fighter jets and sanctions pressure from Washington during the visit.</p>"
            for j in range(12))
        (folder / f"story-{i}.html").write_text(
            f"<html><head><title>Story {i}</title></head><body><nav>Home | World</nav>"
            f"<article><h1>Story {i}</h1>{paragraphs}</article></body></html>")
    return folder


def test_ctrl_c_stops_quickly_and_quietly_and_the_rerun_finishes(tmp_path, migrated_prefect_home,
                                                              prefect_api_url):
    site, port = start_site(write_pages(tmp_path / "pages"), N, PER_FEED)
    try:
        feeds = tmp_path / "feeds.toml"
        feeds.write_text("".join(
            f'[[feeds]]\nname = "site-{k}"\nurl = "http://127.0.0.1:{port}/feed/{k}.xml"\n\n'
            for k in range(N // PER_FEED)))
        (tmp_path / "seeds").mkdir()
        db = tmp_path / "mw.duckdb"
        env = cli.cli_env(migrated_prefect_home, MEDIAWATCH_ALLOW_PRIVATE_ADDRESSES="1",
                          MEDIAWATCH_HOST_DELAY_S="0", MEDIAWATCH_RESPECT_ROBOTS="0",
                          MEDIAWATCH_BATCH_SIZE=str(BATCH), MEDIAWATCH_EXTRACT_WORKERS="2")
        args = ["ingest", "--seeds", str(tmp_path / "seeds"), "--feeds", str(feeds),
                "--db", str(db)]
        proc = subprocess.Popen([str(cli.MEDIAWATCH), "-v", *args], env=env, text=True,
                                stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                start_new_session=True)
        seen = []
        for line in proc.stdout:  # interrupt after the feed poll and two batches or so
            seen.append(line)
            if sum(TASK_DONE in s for s in seen) >= 5:
                break
        started = descendants(proc.pid)  # the Prefect server, its watchdog, the extractors
        os.killpg(proc.pid, signal.SIGINT)  # what Ctrl-C in a terminal does
        try:
            rest, _ = proc.communicate(timeout=60)  # it used to hang here, for minutes
        finally:
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGKILL)
        output = "".join(seen) + rest
        assert proc.returncode == 130, output
        assert "Traceback" not in output, output
        assert "run the same command again" in output
        deadline = time.monotonic() + 10  # the watchdog polls once a second
        while (left := still_running(started)) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert not left, "processes left behind by the interrupted run"

        with duckdb.connect(str(db), read_only=True) as con:
            kept = con.execute("select count(*) from articles").fetchone()[0]
        assert 0 < kept < N and kept % BATCH == 0  # whole batches only

        # on the session's Prefect API: what the rerun shows is the warehouse's, not the
        # temporary server's (which the interrupted run tested; ~5 s of CPU a start)
        rerun = cli.run(args, {**env, "PREFECT_API_URL": prefect_api_url})
        assert rerun.returncode == 0, rerun.stderr
        assert cli.clean_output(rerun.stderr), rerun.stderr
        with duckdb.connect(str(db), read_only=True) as con:
            total, urls = con.execute("select count(*), count(distinct url) from articles").fetchone()
            runs = [r[0] for r in con.execute("select status from runs order by started_at").fetchall()]
        assert (total, urls) == (N, N)
        assert runs == ["failed", "completed"]
    finally:
        site.terminate()
        site.wait()
