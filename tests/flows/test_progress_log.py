"""Progress a log can read: with no terminal, an ingest writes a line every interval."""

import re
import subprocess
import time

import pytest

from flows.console import ProgressLog
from tests.flows import cli_process as cli

LINE = re.compile(r"^\d\d:\d\d:\d\d ingest: (\d+) documents read, (\d+) processed, (\d+) stored, "
                  r"(\d+) unchanged, (\d+) failures, [\d.]+ documents/s, \d+ s$")


def test_progress_log_writes_a_line_per_interval_until_stopped(capsys):
    calls = []

    def line():
        calls.append(1)
        return f"line {len(calls)}"

    log = ProgressLog(line, 0.05)  # stdout is not a terminal under pytest: lines go there
    deadline = time.monotonic() + 30
    while len(calls) < 3 and time.monotonic() < deadline:
        time.sleep(0.01)
    log.stop()
    written = len(calls)
    time.sleep(0.2)
    assert written >= 3 and len(calls) == written  # nothing after stop()
    out = capsys.readouterr().out.splitlines()
    assert [o.split(" ", 1)[1] for o in out] == [f"line {i}" for i in range(1, written + 1)]


def test_progress_log_is_silent_when_the_interval_is_zero(capsys):
    log = ProgressLog(lambda: "never", 0)
    time.sleep(0.1)
    log.stop()
    assert capsys.readouterr().out == ""


@pytest.mark.slow
def test_ingest_to_a_log_file_writes_progress_lines(tmp_path, prefect_api_url):
    """`mediawatch ingest > log.txt`: the log gets progress lines while the run goes on."""
    seeds = tmp_path / "seeds"
    for k in range(4):  # 8 batches of 25 (of 50 before: the same lines, twice the articles)
        cli.write_jsonl(seeds / f"wire{k}.jsonl", 50, start_at=50 * k)
    log_path = tmp_path / "log.txt"
    env = cli.cli_env(tmp_path / "prefect-home", prefect_api_url,
                      MEDIAWATCH_PROGRESS_INTERVAL_S="0.2")
    with log_path.open("w") as log:
        done = subprocess.run([str(cli.MEDIAWATCH), "ingest", "--seeds", str(seeds), "--db",
                               str(tmp_path / "mw.duckdb"), "--batch-size", "25"],
                              env=env, stdout=log, stderr=subprocess.PIPE, text=True,
                              timeout=600, check=False)
    assert done.returncode == 0, done.stderr
    lines = [LINE.match(x) for x in log_path.read_text().splitlines()]
    assert lines and all(lines), log_path.read_text()
    assert len(lines) >= 2
    counts = [tuple(int(g) for g in m.groups()) for m in lines]
    # counts only grow, and never pass the 200 documents of the folder
    assert counts == sorted(counts, key=lambda c: c[0]) and counts[-1][0] <= 200
    assert all(a[i] <= b[i] for a, b in zip(counts, counts[1:]) for i in range(5))
    assert "200 stored" in done.stderr  # the summary stays where it was
