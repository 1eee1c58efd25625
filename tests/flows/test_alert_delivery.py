"""The deliverer against real receivers: an SMTP server and an HTTP webhook on 127.0.0.1."""

import socket
from datetime import datetime, timedelta

import pytest

from flows.alerts import deliver_pending
from tests.receivers import SmtpSink, WebhookReceiver
from tests.warehouse.test_alerts import OIL, TEA, Row, Tag, load, watchset
from warehouse.alerts import channel_status
from warehouse.db import open_warehouse
from warehouse.watches import Watch

TODAY = datetime.utcnow().replace(microsecond=0)
ARTICLES = [Row(f"oil{i}", f"India buys Russian oil, cargo {i}",
                f"Indian refiners bought Russian oil, cargo {i}.", published_at=TODAY)
            for i in range(3)] + [TEA]


@pytest.fixture
def receivers(monkeypatch):
    monkeypatch.setenv("MEDIAWATCH_ALERT_RETRY_DELAY_S", "0.05")
    with SmtpSink() as smtp, WebhookReceiver() as hook:
        monkeypatch.setenv("MEDIAWATCH_ALLOWED_PRIVATE_HOSTS", "127.0.0.1")
        yield smtp, hook


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def mail(smtp) -> str:
    return f"mailto://mw@127.0.0.1:{smtp.port}?to=desk@example.org&from=mw@example.org"


def seed(db_path, *channels, now=TODAY):
    watch = Watch("india-oil", tuple(channels), query="Russian oil India")
    with open_warehouse(db_path) as con:
        load(con, ARTICLES, [Tag(r.article_id, "energy") for r in ARTICLES[:3]],
             watches=watchset(watch), now=now)
    return watchset(watch)


def test_each_alert_reaches_smtp_and_webhook_once(db_path, receivers):
    smtp, hook = receivers
    watches = seed(db_path, f"json://127.0.0.1:{hook.port}/ok/desk", mail(smtp))
    first = deliver_pending(str(db_path), watches)
    again = deliver_pending(str(db_path), watches)

    assert (first.sent, first.failed, again.sent) == (6, 0, 0)
    keys = sorted(f"india-oil/new/article:oil{i}/{TODAY.date()}" for i in range(3))
    assert sorted(smtp.keys()) == keys
    posted = hook.delivered("/ok/")
    assert sorted(r["headers"]["Idempotency-Key"] for r in posted) == keys
    alert = next(r["alert"] for r in posted if r["alert"]["idempotency_key"] == keys[0])
    assert alert["schema"] == "mediawatch.alert/1"
    assert alert["articles"][0]["matched_terms"] == ["india", "oil", "russian"]
    message = next(m for m in smtp.messages if m["X-Mediawatch-Alert-Key"] == keys[0])
    assert message["Subject"] == "[mediawatch] india-oil: India buys Russian oil, cargo 0"
    text = message.get_body(("plain",)).get_content()
    assert "Theme energy (2.5): “Refiners bought Russian crude.”" in text
    assert f"Alert key: {keys[0]}" in text


def test_a_channel_that_fails_three_times_then_answers_delivers_once(db_path, receivers):
    _, hook = receivers
    watch = Watch("oil0", (f"json://127.0.0.1:{hook.port}/flaky/x",), query="cargo")
    with open_warehouse(db_path) as con:
        load(con, ARTICLES[:1], watches=watchset(watch))
    done = deliver_pending(str(db_path), watchset(watch))
    assert (done.sent, done.failed) == (1, 0)
    assert hook.hits["/flaky/x"] == 4  # 500, 500, 500, then 200
    assert len(hook.delivered("/flaky/")) == 1
    with open_warehouse(db_path, read_only=True) as con:
        assert con.execute("select status, attempts from alerts").fetchall() == [("sent", 1)]


def test_a_channel_down_for_the_run_leaves_its_alerts_pending_and_says_so(db_path, receivers):
    smtp, hook = receivers
    down = f"json://127.0.0.1:{free_port()}/nobody"
    watches = seed(db_path, down, f"json://127.0.0.1:{hook.port}/fail/x", mail(smtp))
    done = deliver_pending(str(db_path), watches)

    assert done.sent == 3 and len(smtp.messages) == 3  # the working channel is not held up
    assert done.failed == 2 and done.skipped == 4  # one try per failing channel, rest skipped
    assert hook.hits["/fail/x"] == 4  # one alert, tried 1 + 3 retries
    with open_warehouse(db_path, read_only=True) as con:
        by_channel = {c["channel"]: c for c in channel_status(con)}
        statuses = con.execute("select channel, list(distinct status) from alerts group by 1"
                               ).fetchall()
    assert dict(statuses) == {down: ["pending"], f"json://127.0.0.1:{hook.port}/fail/x": ["pending"],
                              mail(smtp): ["sent"]}
    assert by_channel[down]["pending"] == 3 and by_channel[down]["last_error"]
    assert "500" in by_channel[f"json://127.0.0.1:{hook.port}/fail/x"]["last_error"]
    # backed off: the next pass right away tries nothing, a later one tries again
    assert deliver_pending(str(db_path), watches).failed == 0
    later = datetime.utcnow() + timedelta(hours=2)
    assert deliver_pending(str(db_path), watches, now=lambda: later).failed == 2


def test_notify_urls_obey_the_private_address_policy(db_path, receivers, monkeypatch):
    _, hook = receivers
    monkeypatch.setenv("MEDIAWATCH_ALLOWED_PRIVATE_HOSTS", "")
    watches = seed(db_path, f"json://127.0.0.1:{hook.port}/ok/x")
    done = deliver_pending(str(db_path), watches)
    assert done.sent == 0 and hook.requests == []
    with open_warehouse(db_path, read_only=True) as con:
        error = con.execute("select any_value(last_error) from alerts").fetchone()[0]
    assert error.startswith("refused:") and "allowed_private_hosts" in error


def test_secrets_come_from_the_environment(db_path, receivers, monkeypatch):
    _, hook = receivers
    watches = seed(db_path, "json://127.0.0.1:${MW_TEST_HOOK_PORT}/ok/x")
    done = deliver_pending(str(db_path), watches)
    assert done.sent == 0 and done.down  # the variable is not set: recorded, not sent
    with open_warehouse(db_path, read_only=True) as con:
        assert "MW_TEST_HOOK_PORT is not set" in con.execute(
            "select any_value(last_error) from alerts").fetchone()[0]
    monkeypatch.setenv("MW_TEST_HOOK_PORT", str(hook.port))
    later = datetime.utcnow() + timedelta(hours=2)
    assert deliver_pending(str(db_path), watches, now=lambda: later).sent == 3
    with open_warehouse(db_path, read_only=True) as con:  # the URL is stored as written
        assert con.execute("select distinct channel from alerts").fetchall() == [
            ("json://127.0.0.1:${MW_TEST_HOOK_PORT}/ok/x",)]
