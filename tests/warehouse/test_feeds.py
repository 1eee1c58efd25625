"""Feed state: validators, poll health, which entries are new."""

from datetime import datetime

from tests.records import T0, T1, make_article, make_failure
from warehouse.db import open_warehouse
from warehouse.feeds import entries_to_fetch, feed_validators, record_polls
from warehouse.load import load_batch

T2 = datetime(2024, 7, 10, 6, 0)


def poll(ok=True, status="200", etag='"v1"', modified="Mon, 08 Jul 2024 00:00:00 GMT",
         error=None, new=0):
    return {"name": "Wire", "url": "https://wire.example/rss", "etag": etag,
            "last_modified": modified, "ok": ok, "status": status, "error": error,
            "new_entries": new}


def test_validators_survive_304s_and_failures(db_path):
    with open_warehouse(db_path) as con:
        record_polls(con, [poll(new=3)], T0)
        record_polls(con, [poll(status="304", etag=None, modified=None)], T1)
        record_polls(con, [poll(ok=False, status="503", etag=None, modified=None,
                                error="HTTP 503")], T2)
        state = con.execute("select etag, last_status, last_success_at, consecutive_failures, "
                            "last_error, entries_seen from feeds").fetchone()
        assert feed_validators(con, ["Wire", "Other"]) == {
            "Wire": ('"v1"', "Mon, 08 Jul 2024 00:00:00 GMT")}
        record_polls(con, [poll(etag='"v2"')], T2)
        assert con.execute("select etag, consecutive_failures from feeds").fetchone() == ('"v2"', 0)
    assert state == ('"v1"', "503", T1, 1, "HTTP 503", 3)


def test_entries_already_stored_or_given_up_are_not_fetched(db_path):
    # location: the name an entry's failures are recorded under (FeedEntry.location)
    entries = [{"feed": "Wire", "guid": g, "url": u, "location": u} for g, u in [
        ("g1", "https://wire.example/a"),   # stored under its canonical URL
        ("g2", "https://wire.example/b"),   # stored under another key, same guid
        ("g3", "https://wire.example/c"),   # failed permanently
        ("g4", "https://wire.example/d"),   # failed transiently once: try again
        ("g5", "https://wire.example/e"),   # new
    ]]
    b = make_article("b", "https://wire.example/b-moved", "text b", "hb")
    with open_warehouse(db_path) as con:
        load_batch(con, [make_article("a", "https://wire.example/a", "text a", "ha")], [], [], T0)
        load_batch(con, [b], [], [make_failure("https://wire.example/c", stage="fetch", http_status=404),
                                  make_failure("https://wire.example/d", stage="fetch", transient=True)], T0)
        con.execute("update articles set feed = 'Wire', guid = 'g2' where article_id = 'b'")
        assert entries_to_fetch(con, entries, max_attempts=2) == {("Wire", "g4"), ("Wire", "g5")}
        load_batch(con, [], [], [make_failure("https://wire.example/d", stage="fetch", transient=True)], T1)
        assert entries_to_fetch(con, entries, max_attempts=2) == {("Wire", "g5")}
