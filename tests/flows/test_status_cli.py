"""The digest's run ledger, and the `status` and `mirror` verbs on a warehouse built by flows."""

import json
import tempfile
from pathlib import Path

import duckdb
import pytest

from flows.cli import main
from flows.digest import digest_flow
from flows.ingest import ingest_flow
from tests.flows.test_ingest_flow import make_seeds


@pytest.fixture
def ingested(db_path, prefect_harness):
    # seeds under a short path: the `status` table shows where each failure is, and a long
    # pytest folder (an xdist worker's adds popen-gwN/) left no room for the file name
    with tempfile.TemporaryDirectory(prefix="mw-") as short:
        ingest_flow(seeds=str(make_seeds(Path(short))), db=str(db_path))
        yield db_path


def test_digest_runs_are_recorded_and_status_shows_them(ingested, tmp_path, capsys):
    digest_flow(day="2024-07-09", out=str(tmp_path / "exports"), db=str(ingested))
    with duckdb.connect(str(ingested), read_only=True) as con:
        runs = con.execute("select flow, status, seen from runs order by started_at").fetchall()
    assert runs == [("ingest", "completed", 3), ("digest", "completed", 2)]

    assert main(["status", "--db", str(ingested), "--format", "json"]) == 0
    status = json.loads(capsys.readouterr().out)
    assert {f["flow"]: f["last_status"] for f in status["flows"]} == {
        "digest": "completed", "ingest": "completed"}
    assert status["open_failures"] == {"seed: malformed": 2}  # two bad JSONL lines
    ingest_run = next(r for r in status["runs"] if r["flow"] == "ingest")
    # where the ingest spent its time, as recorded in runs.stage_s
    assert {"extract", "tag", "load", "search_index"} <= set(ingest_run["stage_s"])
    assert ingest_run["stage_s"]["load"] > 0

    assert main(["status", "--db", str(ingested)]) == 0
    table = capsys.readouterr().out
    assert "digest" in table and "ingest" in table and "wire.jsonl:3" in table
    assert "Time by stage" in table
    slowest = max(ingest_run["stage_s"], key=ingest_run["stage_s"].get)
    assert f"{slowest} {ingest_run['stage_s'][slowest]:.1f} s" in table


def test_a_failed_digest_is_recorded_failed(ingested, tmp_path):
    with pytest.raises(ValueError):
        digest_flow(day="not-a-day", out=str(tmp_path / "exports"), db=str(ingested))
    with duckdb.connect(str(ingested), read_only=True) as con:
        status, error = con.execute("select status, error from runs where flow = 'digest'").fetchone()
    assert status == "failed" and error.startswith("ValueError")


def test_digest_of_a_missing_warehouse_creates_nothing(tmp_path, prefect_harness):
    missing = tmp_path / "nowhere.duckdb"
    with pytest.raises(FileNotFoundError):
        digest_flow(day="2024-07-09", out=str(tmp_path / "exports"), db=str(missing))
    assert not missing.exists()


def test_mirror_verb_fills_the_lake(ingested, tmp_path, capsys):
    lake = tmp_path / "lake"
    args = ["mirror", "--db", str(ingested), "--catalog", str(lake / "c.ducklake"),
            "--data-path", str(lake / "files")]
    assert main(args) == 0
    assert "articles: +3 -0" in capsys.readouterr().out
    assert main(args) == 0
    assert "articles: +0 -0" in capsys.readouterr().out


def test_status_runs_without_importing_prefect(ingested):
    """`status` runs no flow: it must not pay Prefect's import (~1 s of CPU) to start."""
    import subprocess
    import sys

    code = ("import sys; from flows.cli import main; rc = main(['status', '--db', sys.argv[1]]);"
            " sys.exit(rc or 3 * ('prefect' in sys.modules))")
    done = subprocess.run([sys.executable, "-c", code, str(ingested)], capture_output=True,
                          text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
