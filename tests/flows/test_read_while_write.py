"""Ad hoc reads while an ingest writes: two real processes on one DuckDB file.

A writer process ingests a 450-article seed in 15 batches (one write lock per batch); this process
reads all the while, with read-only connections and with `mediawatch sql` processes.
Every read must succeed (DuckDB would refuse a read-only open while the writer holds the
file: warehouse/locking.py makes both sides take turns).
"""

import json
import random
import subprocess
import sys
import time

import pytest

from tests.flows.test_analyst_cli import cli_env
from warehouse import db

# What the test proves depends on the number of write locks taken (batches) while readers
# come and go, not on the articles: 15 batches of 30 (of 50 before: ~48 s of CPU for the
# test alone, 18 s of it the writer's; of 100 and of 250 before that). The readers read for
# as long as the writer writes, so a cheaper writer costs less twice.
ARTICLES, BATCH = 450, 30
WORDS = ("india russia oil defence missile sanctions trade rupee delhi moscow talks deal energy "
         "crude summit ministry army navy frigate pipeline washington pressure tariffs").split()


def write_seed(path, n=ARTICLES, seed=5):
    rng = random.Random(seed)
    vocab = WORDS + [f"term{i}" for i in range(3000)]
    with path.open("w") as out:
        for i in range(n):
            text = " ".join(rng.choice(vocab) for _ in range(rng.randint(120, 300)))
            out.write(json.dumps({
                "id": f"art-{i}", "title": f"Report {i}: " + " ".join(rng.choices(vocab, k=6)),
                "text": text + ".", "source": f"source{i % 7}",
                "published_at": f"2024-07-{1 + i % 28:02d}T08:00:00Z"}) + "\n")


@pytest.mark.slow
def test_every_read_succeeds_during_an_ingest_of_15_batches(tmp_path, prefect_harness):
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    write_seed(seeds / "bulk.jsonl")
    path = tmp_path / "w.duckdb"
    db.connect(path).close()  # readers may start before the writer's first batch
    env = cli_env(tmp_path)
    writer = subprocess.Popen(
        [sys.executable, "-m", "flows.cli", "ingest", "--seeds", str(seeds), "--db", str(path),
         "--batch-size", str(BATCH)],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    counts, cli_counts, failures = [], [], []
    try:
        while writer.poll() is None:
            for _ in range(20):  # a burst of direct read-only connections...
                try:
                    with db.open_warehouse(path, read_only=True, wait_s=60) as con:
                        counts.append(con.execute("select count(*) from articles").fetchone()[0])
                except Exception as exc:  # noqa: BLE001 - every failure is the finding
                    failures.append(repr(exc))
            # ...then one `mediawatch sql` process, as an analyst would run it
            done = subprocess.run(
                [sys.executable, "-m", "flows.cli", "sql", "select count(*) from articles",
                 "--format", "csv", "--db", str(path)],
                env=env, capture_output=True, text=True, timeout=120)
            if done.returncode:
                failures.append(done.stderr)
            else:
                cli_counts.append(int(done.stdout.splitlines()[1]))
        _, err = writer.communicate(timeout=300)
    finally:
        if writer.poll() is None:
            writer.kill()
    assert writer.returncode == 0, err
    assert "Traceback" not in err and "ERROR" not in err
    assert failures == []
    assert counts == sorted(counts) and cli_counts == sorted(cli_counts)
    # the reads really overlapped the writes: some saw a partly loaded warehouse
    assert any(0 < n < ARTICLES for n in counts + cli_counts), (counts[:5], counts[-5:], cli_counts, err[-2000:])
    assert len(cli_counts) >= 2
    with db.open_warehouse(path, read_only=True) as con:
        assert con.execute("select count(*) from articles").fetchone()[0] == ARTICLES
        assert con.execute("select articles from search_index").fetchone()[0] == ARTICLES
