"""What `mediawatch status` reads: flow summaries, recent runs, feed health, open failures."""

from datetime import datetime, timedelta

from tests.records import T0, T1, make_article, make_failure
from warehouse.db import open_warehouse
from warehouse.load import load_batch
from warehouse.status import warehouse_status

NOW = datetime(2024, 7, 10, 12, 0)
RUNS = [  # run_id, flow, started_at, status, error
    ("i1", "ingest", NOW - timedelta(days=3), "completed", None),
    ("i2", "ingest", NOW - timedelta(hours=2), "failed", "WarehouseBusy: locked"),
    ("i3", "ingest", NOW - timedelta(hours=1), "completed", None),
    ("d1", "digest", NOW - timedelta(hours=5), "failed", "FileNotFoundError: no warehouse"),
]


def add_runs(con):
    for run_id, flow, started, status, error in RUNS:
        con.execute("insert into runs (run_id, flow, started_at, finished_at, status, error)"
                    " values (?, ?, ?, ?, ?, ?)",
                    [run_id, flow, started, started + timedelta(minutes=1), status, error])


def test_runs_and_failures_with_no_feeds(db_path):
    with open_warehouse(db_path) as con:
        load_batch(con, [], [], [make_failure("a.jsonl:1"), make_failure("https://e.org/x", stage="fetch")], T0)
        load_batch(con, [make_article("x", "https://e.org/x", "text", "h", url="https://e.org/x")], [], [], T1)
        add_runs(con)
        status = warehouse_status(con, since=NOW - timedelta(hours=24), limit=3)
    flows = {f["flow"]: f for f in status["flows"]}
    assert flows["ingest"]["last_status"] == "completed" and flows["ingest"]["last_error"] is None
    assert (flows["ingest"]["runs_since"], flows["ingest"]["failed_since"]) == (2, 1)
    assert flows["ingest"]["last_completed_at"] == NOW - timedelta(hours=1) + timedelta(minutes=1)
    assert flows["digest"]["last_status"] == "failed"
    assert flows["digest"]["last_error"].startswith("FileNotFoundError")
    assert flows["digest"]["last_completed_at"] is None
    assert [r["run_id"] for r in status["runs"]] == ["i3", "i2", "d1"]
    assert status["feeds"] == []
    # the fetch failure was resolved by the later load; only the seed failure is open
    assert status["open_failures"] == {"seed: malformed": 1}
    assert [f["url"] for f in status["failures"]] == ["a.jsonl:1"]


def test_feed_health_lists_failing_feeds_first(db_path):
    with open_warehouse(db_path) as con:
        # the `feeds` table as the feed-polling migration creates it (contract columns)
        con.execute("create table if not exists feeds (name varchar primary key, url varchar,"
                    " etag varchar, last_modified varchar, last_polled_at timestamp,"
                    " last_success_at timestamp, last_status varchar,"
                    " consecutive_failures integer, last_error varchar, entries_seen integer)")
        con.execute("insert into feeds (name, url, last_success_at, last_status,"
                    " consecutive_failures, last_error) values"
                    " ('Alpha', 'https://a.example/rss', ?, '200', 0, null),"
                    " ('Zeta', 'https://z.example/rss', ?, 'timeout', 4, 'read timeout')",
                    [NOW, NOW - timedelta(days=1)])
        status = warehouse_status(con, since=NOW - timedelta(hours=24), limit=10)
    assert [(f["name"], f["consecutive_failures"]) for f in status["feeds"]] == [
        ("Zeta", 4), ("Alpha", 0)]
    assert status["flows"] == [] and status["open_failures"] == {}
