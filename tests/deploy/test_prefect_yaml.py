"""deploy/prefect.yaml on a real local Prefect server, executed by a real process worker."""

from __future__ import annotations

import json
import re
import time
from pathlib import Path

import duckdb
import httpx
import pytest
import yaml

from tests.conftest import ROOT
from tests.processes import PREFECT, run

PREFECT_YAML = ROOT / "deploy" / "prefect.yaml"


def api(method: str, url: str, **kwargs) -> httpx.Response:
    """Call the Prefect API as Prefect's own client does: a 503 (its SQLite database busy,
    here with the scheduler writing the new deployments' runs) is tried again, 5 times at
    most; any other error status raises."""
    for attempt in range(5):
        response = httpx.request(method, url, timeout=30, **kwargs)
        if response.status_code != 503:
            break
        time.sleep(0.5 * (attempt + 1))
    return response.raise_for_status()


def deployments_in_yaml() -> list[dict]:
    return yaml.safe_load(PREFECT_YAML.read_text())["deployments"]


def test_entrypoints_name_the_flows_they_deploy():
    """A renamed or moved flow file or function fails here, not in production at 07:00."""
    from prefect.flows import load_flow_from_entrypoint

    expected = {"scheduled": "ingest", "daily": "digest", "manual": "retag",
                "alerts": "deliver-alerts"}
    assert {d["name"] for d in deployments_in_yaml()} == set(expected)
    for deployment in deployments_in_yaml():
        path, _ = deployment["entrypoint"].split(":")
        assert (ROOT / path).is_file(), f"{deployment['name']}: {path} does not exist"
        flow = load_flow_from_entrypoint(str(ROOT / deployment["entrypoint"]))
        assert flow.name == expected[deployment["name"]], deployment["name"]


@pytest.mark.slow
def test_deploy_then_a_worker_runs_a_triggered_ingest(prefect_server, tmp_path):
    env = dict(prefect_server)
    url = env["PREFECT_API_URL"]
    pool = yaml.safe_load(PREFECT_YAML.read_text())["definitions"]["work_pools"]["process"]["name"]

    done = run([*PREFECT, "work-pool", "create", pool, "--type", "process", "--overwrite"], env)
    assert done.returncode == 0, done.stdout + done.stderr
    done = run([*PREFECT, "--no-prompt", "deploy", "--all",
                "--prefect-file", "deploy/prefect.yaml"], env)
    assert done.returncode == 0, done.stdout + done.stderr

    deployments = api("POST", f"{url}/deployments/filter", json={}).json()
    scheduled = {d["name"] for d in deployments
                 if d["work_pool_name"] == pool and any(s["active"] for s in d["schedules"])}
    assert {"scheduled", "daily"} <= scheduled
    ingest = next(d for d in deployments if d["name"] == "scheduled")
    # one ingest at a time: a run due while another runs is cancelled, not queued
    assert ingest["global_concurrency_limit"]["limit"] == 1
    assert ingest["concurrency_options"]["collision_strategy"] == "CANCEL_NEW"
    # runs return to the checkout the deployment was made from
    pull = ingest["pull_steps"][0]["prefect.deployments.steps.set_working_directory"]
    assert Path(pull["directory"]).resolve() == ROOT
    # The schedules are shown live; now they step aside: a scheduled ingest due within the
    # worker's prefetch window (the :00 and :30 runs) would take the one ingest slot and the
    # run under test would be cancelled (CANCEL_NEW) - it happened once at 15:59:57.
    for d in deployments:
        api("PATCH", f"{url}/deployments/{d['id']}", json={"paused": True})
    due = api("POST", f"{url}/flow_runs/filter", json={
        "flow_runs": {"state": {"type": {"any_": ["SCHEDULED", "PENDING"]}}}}).json()
    for r in due:
        api("DELETE", f"{url}/flow_runs/{r['id']}")

    seeds = tmp_path / "seeds"
    seeds.mkdir()
    articles = [
        {"id": "d1", "title": "Rosneft and Indian refiners agree crude oil supply terms",
         "text": "Indian Oil will buy Russian crude under a one-year term deal, refiners said.",
         "published_at": "2025-03-04T06:00:00Z", "source": "Deploy Wire"},
        {"id": "d2", "title": "India and Russia hold talks on Su-57 fighter jets",
         "text": "Defence ministers discussed Su-57 fighter jets and S-400 air defence deliveries.",
         "published_at": "2025-03-04T07:00:00Z", "source": "Deploy Wire"},
    ]
    (seeds / "wire.jsonl").write_text("\n".join(json.dumps(a) for a in articles) + "\n")
    done = run([*PREFECT, "deployment", "run", "ingest/scheduled",
                "--param", f"seeds={seeds}"], env)
    assert done.returncode == 0, done.stdout + done.stderr
    flow_run_id = re.search(r"UUID: ([0-9a-f-]{36})", done.stdout).group(1)

    # The worker starts elsewhere: the deployment's pull step must take the run to the
    # checkout, and MEDIAWATCH_DB in the worker's environment must pick the warehouse.
    db = tmp_path / "deployed.duckdb"
    worker_env = dict(env, MEDIAWATCH_DB=str(db))
    done = run([*PREFECT, "worker", "start", "--pool", pool, "--run-once"], worker_env,
               cwd=tmp_path, timeout_s=240)
    assert done.returncode == 0, done.stdout + done.stderr

    state = api("GET", f"{url}/flow_runs/{flow_run_id}").json()["state"]["type"]
    assert state == "COMPLETED", done.stdout + done.stderr
    with duckdb.connect(str(db), read_only=True) as con:
        titles = {r[0] for r in con.execute("select title from articles where source = 'Deploy Wire'"
                                            ).fetchall()}
        ledger = con.execute("select flow, status, stored from runs where run_id = ?",
                             [flow_run_id]).fetchall()
        themes = {r[0] for r in con.execute("select theme from article_themes").fetchall()}
    assert titles == {a["title"] for a in articles}
    assert ledger == [("ingest", "completed", 2)]
    assert {"energy", "defense"} <= themes
