"""Watches end to end: `mediawatch ingest --watches` sends each alert once to a real SMTP
server and a real webhook receiver; reruns, a retag and a kill -9 during delivery add none."""

import json
import os
import signal
from datetime import UTC, datetime

import duckdb
import pytest

from tests.flows import cli_process as cli
from tests.receivers import SmtpSink, WebhookReceiver

pytestmark = pytest.mark.slow
TODAY = datetime.now(UTC).strftime("%Y-%m-%d")


def write_seeds(folder, n_matching=3):
    folder.mkdir(parents=True, exist_ok=True)
    records = [{"id": f"oil-{i}", "title": f"India buys Russian oil, cargo {i}",
                "text": f"Indian refiners bought Russian crude oil at a discount. Cargo {i} "
                        "arrived at Jamnagar this week.",
                "published_at": f"{TODAY}T0{i}:00:00Z", "source": "Wire",
                "url": f"https://news.example/oil-{i}"} for i in range(n_matching)]
    records += [{"id": "tea", "title": "India exports tea", "text": "Tea exports rose.",
                 "published_at": f"{TODAY}T05:00:00Z", "source": "Wire"}]
    (folder / "wire.jsonl").write_text("\n".join(json.dumps(r) for r in records) + "\n")


def write_watches(path, *notify):
    urls = ", ".join(json.dumps(u) for u in notify)
    path.write_text(f'[[watches]]\nname = "india-oil"\nquery = "Russian oil India"\n'
                    f'trigger = "new"\nnotify = [{urls}]\n')
    return path


def alert_rows(db):
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute("select alert_key, channel, status, attempts from alerts "
                           "order by alert_key, channel").fetchall()
    finally:
        con.close()


@pytest.fixture
def env(tmp_path, prefect_api_url):
    """The session's Prefect API (one start for every run here, not one per command)."""
    return cli.cli_env(tmp_path / "prefect-home", prefect_api_url,
                       MEDIAWATCH_ALLOWED_PRIVATE_HOSTS="127.0.0.1",
                       MEDIAWATCH_ALERT_RETRY_DELAY_S="0.05")


def test_each_alert_once_to_smtp_and_webhook_across_reruns_and_a_retag(tmp_path, env):
    seeds, db = tmp_path / "seeds", tmp_path / "wh" / "mw.duckdb"
    write_seeds(seeds)
    with SmtpSink() as smtp, WebhookReceiver() as hook:
        watches = write_watches(
            tmp_path / "watches.toml", f"json://127.0.0.1:{hook.port}/ok/desk",
            f"mailto://mw@127.0.0.1:{smtp.port}?to=desk@example.org&from=mw@example.org")
        ingest = ["ingest", "--seeds", str(seeds), "--db", str(db), "--watches", str(watches)]
        first = cli.run(ingest, env)
        assert first.returncode == 0, first.stderr
        assert cli.clean_output(first.stderr), first.stderr
        assert "alerts 6 sent" in first.stderr
        mailed = sorted(smtp.keys())
        posted = sorted(r["headers"]["Idempotency-Key"] for r in hook.delivered("/ok/"))
        # one alert per matching article (not the tea one), on each channel, once
        assert len(set(mailed)) == len(mailed) == 3 and posted == mailed
        assert all(k.startswith("india-oil/new/article:") and k.endswith(TODAY) for k in mailed)
        titles = sorted(r["alert"]["articles"][0]["title"] for r in hook.delivered("/ok/"))
        assert titles == [f"India buys Russian oil, cargo {i}" for i in range(3)]

        retag = cli.run(["retag", "--db", str(db)], env)
        assert retag.returncode == 0, retag.stderr
        again = cli.run(ingest, env)
        assert again.returncode == 0, again.stderr
        assert len(smtp.messages) == 3 and len(hook.requests) == 3  # nothing sent twice
        assert {r[2] for r in alert_rows(db)} == {"sent"} and len(alert_rows(db)) == 6

        listed = cli.run(["watches", "--watches", str(watches), "--db", str(db)], env)
        assert listed.returncode == 0 and "india-oil" in listed.stdout, listed.stderr
        test = cli.run(["watches", "test", "india-oil", "--watches", str(watches),
                        "--db", str(db)], env)
        assert test.returncode == 0, test.stderr
        assert "3 stored articles since" in test.stdout and "nothing is sent" in test.stdout
        assert len(smtp.messages) == 3 and len(hook.requests) == 3


def test_a_channel_down_for_the_whole_run_leaves_alerts_pending_and_status_shows_them(tmp_path, env):
    seeds, db = tmp_path / "seeds", tmp_path / "wh" / "mw.duckdb"
    write_seeds(seeds)
    with WebhookReceiver() as hook:  # a port that was ours and is closed: nobody answers
        down = f"json://127.0.0.1:{hook.port}/hook"
    watches = write_watches(tmp_path / "watches.toml", down)
    run = cli.run(["ingest", "--seeds", str(seeds), "--db", str(db), "--watches", str(watches)],
                  env)
    assert run.returncode == 0, run.stderr
    assert "Traceback" not in run.stderr and "failing" in run.stderr
    assert [r[2] for r in alert_rows(db)] == ["pending"] * 3
    status = cli.run(["status", "--db", str(db)], env)
    assert status.returncode == 0, status.stderr
    assert "Alert channels: 3 pending, 0 failed" in status.stdout
    pending = cli.run(["alerts", "--pending", "--db", str(db)], env)
    assert pending.returncode == 0, pending.stderr
    rows = [line for line in pending.stdout.splitlines() if " new " in line]
    assert len(rows) == 3 and all("pending" in line for line in rows), pending.stdout
    assert "Connection error" in pending.stdout  # the channel's error, where a user looks


def test_kill_9_during_delivery_then_rerun_repeats_at_most_the_alert_in_flight(tmp_path, env):
    seeds, db = tmp_path / "seeds", tmp_path / "wh" / "mw.duckdb"
    write_seeds(seeds, n_matching=4)
    with WebhookReceiver() as hook:
        watches = write_watches(tmp_path / "watches.toml", f"json://127.0.0.1:{hook.port}/hold/x")
        args = ["ingest", "--seeds", str(seeds), "--db", str(db), "--watches", str(watches)]
        proc = cli.start(args, env)
        try:
            assert hook.holding.wait(240), proc.stderr.read() if proc.poll() is not None else ""
            os.killpg(proc.pid, signal.SIGKILL)  # the second alert is on the wire
            proc.wait()
        finally:
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGKILL)
            proc.stdout.close()
            proc.stderr.close()
        hook.release.set()
        in_flight = hook.requests[1]["headers"]["Idempotency-Key"]
        statuses = [r[2] for r in alert_rows(db)]
        assert statuses.count("sent") == 1 and statuses.count("pending") == 3

        rerun = cli.run(args, env)
        assert rerun.returncode == 0, rerun.stderr
        keys = [r["headers"]["Idempotency-Key"] for r in hook.requests]
    assert len(set(keys)) == 4 and {r[2] for r in alert_rows(db)} == {"sent"}
    repeated = {k for k in keys if keys.count(k) > 1}
    assert repeated <= {in_flight} and len(keys) <= 5  # at most the one in flight, same key
