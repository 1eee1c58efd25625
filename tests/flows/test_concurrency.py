"""Two ingests at once, as real `mediawatch` processes: one waits, nothing twice."""

import os
import time

import duckdb
import pytest

from flows.locking import IngestLocked, ingest_lock, lock_path
from tests.flows import cli_process as cli

pytestmark = pytest.mark.slow
# Several batches (6 of 25) for the first ingest; the second skips the unchanged file,
# so the count only adds extraction time (6 of 50 and of 100 before, 2,000 articles before
# that: the same checks)
N, BATCH = 150, 25


def tag_counts(db):
    """Return (articles, distinct ids, min tags per article, max tags, orphan tags)."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(
            "select (select count(*) from articles), (select count(distinct article_id) from articles),"
            " min(n), max(n), (select count(*) from article_themes anti join articles using (article_id))"
            " from (select count(t.theme) as n from articles a"
            "       left join article_themes t using (article_id) group by a.article_id)"
        ).fetchone()
    finally:
        con.close()


def read_until(process, marker, timeout_s=120):
    """Return the stderr lines of `process` up to the first one containing `marker`."""
    lines, deadline = [], time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        line = process.stderr.readline()
        lines.append(line)
        if marker in line or not line:
            return "".join(lines)
    raise AssertionError(f"no {marker!r} line within {timeout_s} s")


def test_two_ingests_at_once_wait_their_turn_and_load_nothing_twice(tmp_path, prefect_api_url):
    seeds = tmp_path / "seeds"
    cli.write_jsonl(seeds / "wire.jsonl", N)
    db = tmp_path / "wh" / "mw.duckdb"
    # The session's Prefect API: the subject is the ingest lock. Two temporary servers
    # starting at once on a fresh PREFECT_HOME (which this test did too, for ~30 s of CPU)
    # are test_prefect_server.py's.
    env = cli.cli_env(tmp_path / "prefect-home", prefect_api_url)
    args = ["ingest", "--seeds", str(seeds), "--db", str(db), "--batch-size", str(BATCH)]
    # This test process plays an ingest already running, so both CLIs surely meet a holder.
    with ingest_lock(db, wait_s=0):
        procs = [cli.start(args, env), cli.start(args, env)]
        told = [read_until(p, "waiting:") for p in procs]
        # A third that will not wait long enough: a clean refusal naming the holder.
        impatient = cli.run(args, {**env, "MEDIAWATCH_INGEST_LOCK_WAIT_S": "1"})
    for p in procs:
        p.wait(timeout=300)
    errs = [t + p.stderr.read() for t, p in zip(told, procs)]

    me = f"pid {os.getpid()}"
    assert impatient.returncode == 1
    assert me in impatient.stderr and "still holds" in impatient.stderr
    assert "MEDIAWATCH_INGEST_LOCK_WAIT_S" in impatient.stderr
    assert cli.clean_output(impatient.stderr), impatient.stderr
    for p, err in zip(procs, errs):
        assert p.returncode == 0, err
        assert me in err and "waiting up to 600 s" in err
        assert cli.clean_output(err), err
    assert sorted(f"{N} stored" in err for err in errs) == [False, True]
    # the second finds the seed file as the first left it: skipped unread
    assert sorted("seed files unchanged since they were last read (skipped): 1" in err
                  for err in errs) == [False, True]

    articles, distinct, min_tags, max_tags, orphans = tag_counts(db)
    assert (articles, distinct, orphans) == (N, N, 0)
    assert min_tags == max_tags > 0
    con = duckdb.connect(str(db), read_only=True)
    runs = con.execute("select status, started_at, finished_at from runs order by started_at").fetchall()
    con.close()
    assert [r[0] for r in runs] == ["completed", "completed"]
    assert runs[0][2] <= runs[1][1], "the two runs overlapped"


def test_lock_conflicts_even_within_a_process_and_is_released_after_the_block(tmp_path):
    db = tmp_path / "mw.duckdb"
    # flock belongs to the open file description: a second open() conflicts, as another
    # process would (so two flow runs in one `serve` process also take turns).
    with ingest_lock(db, wait_s=0) as path, pytest.raises(IngestLocked, match=f"pid {os.getpid()}"):
        assert path == lock_path(db)
        with ingest_lock(db, wait_s=0.3):
            pass
    with ingest_lock(db, wait_s=0):
        pass
    assert lock_path(db).read_text() == ""  # emptied on release, never deleted
