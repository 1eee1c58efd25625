"""An ingest with nothing new is recorded without starting Prefect (flows/nothing_new.py);
anything it could do (a changed seed, a feed list, drifted counts) runs the flow."""

import duckdb

from flows.ingest import ingest_flow
from flows.nothing_new import nothing_to_ingest
from tests.flows.cli_process import cli_env, run, write_jsonl


def ingest_runs(db):
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute("select status, seen, stored, parameters from runs"
                           " where flow = 'ingest' order by started_at").fetchall()


def test_a_rerun_with_nothing_new_is_recorded_and_anything_new_runs_the_flow(
        tmp_path, db_path, prefect_harness, monkeypatch):
    seeds = tmp_path / "seeds"
    monkeypatch.setenv("MEDIAWATCH_SEEDS", str(seeds))
    monkeypatch.setenv("MEDIAWATCH_FEEDS", str(tmp_path / "no-feeds.toml"))
    write_jsonl(seeds / "wire.jsonl", 3)
    (seeds / "note.txt").write_text("Frigate talks\nIndia and Russia discussed frigates.\n")
    assert nothing_to_ingest(str(seeds), str(db_path), None, {}) is None  # no warehouse yet
    assert ingest_flow(seeds=str(seeds), db=str(db_path))["stored"] == 4

    quiet = nothing_to_ingest(str(seeds), str(db_path), None, {})
    assert (quiet["seen"], quiet["stored"], quiet["seed_files_unchanged"]) == (0, 0, 2)
    runs = ingest_runs(db_path)
    assert [run[:3] for run in runs] == [("completed", 4, 4), ("completed", 0, 0)]
    assert str(seeds) in runs[-1][3]  # the run's parameters, as the flow records them

    write_jsonl(seeds / "wire.jsonl", 4)  # one line more
    assert nothing_to_ingest(str(seeds), str(db_path), None, {}) is None
    assert ingest_flow(seeds=str(seeds), db=str(db_path))["stored"] == 1
    assert nothing_to_ingest(str(seeds), str(db_path), None, {}) is not None

    feeds = tmp_path / "feeds.toml"
    feed = '[[feeds]]\nname = "Wire"\nurl = "http://127.0.0.1:9/rss"\nenabled = {}\n'
    feeds.write_text(feed.format("false"))  # no feed enabled: nothing to poll
    assert nothing_to_ingest(str(seeds), str(db_path), str(feeds), {}) is not None
    feeds.write_text(feed.format("true"))
    assert nothing_to_ingest(str(seeds), str(db_path), str(feeds), {}) is None
    assert nothing_to_ingest(str(seeds), str(db_path), str(tmp_path / "gone.toml"), {}) is None
    with duckdb.connect(str(db_path)) as con:  # counts out of step with the articles
        con.execute("delete from daily_counts where rowid = (select min(rowid) from daily_counts)")
    assert nothing_to_ingest(str(seeds), str(db_path), None, {}) is None
    assert len(ingest_runs(db_path)) == 5  # three quiet runs and two flows, no more


def test_the_command_with_nothing_new_does_not_start_prefect(tmp_path):
    seeds, db = tmp_path / "seeds", tmp_path / "w.duckdb"
    write_jsonl(seeds / "wire.jsonl", 2)
    env = cli_env(tmp_path / "prefect", MEDIAWATCH_FEEDS=str(tmp_path / "no-feeds.toml"))
    first = run(["ingest", "--seeds", str(seeds), "--db", str(db)], env)
    assert first.returncode == 0, first.stderr
    # a Prefect API nobody answers: a command that started a flow run would fail on it
    second = run(["ingest", "--seeds", str(seeds), "--db", str(db)],
                 {**env, "PREFECT_API_URL": "http://127.0.0.1:9/api"}, timeout_s=60)
    assert second.returncode == 0, second.stderr
    assert "0 documents read" in second.stderr
    assert "without starting Prefect" in second.stderr
    assert "Traceback" not in second.stderr
