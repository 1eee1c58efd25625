"""Watches matched inside the batch load: matches, outbox rows, idempotency keys, triggers."""

import json
from datetime import date, datetime, timedelta

import pytest

from extractors.records import Article, ThemeTag
from tests.records import make_actor, make_article, make_tag
from warehouse.alerts import (
    WatchSet,
    due_alerts,
    emit_periodic,
    mark_failed,
    mark_sent,
    record_matches,
)
from warehouse.db import open_warehouse
from warehouse.load import load_batch
from warehouse.watches import Watch, WatchFileError, expand_env, load_watches

NOW = datetime(2026, 3, 10, 9, 0)
HOOK = "json://127.0.0.1:9/hook"
MAIL = "mailto://desk@127.0.0.1:2525"


def Row(article_id: str, title: str, text: str,
        published_at: datetime | None = datetime(2026, 3, 10, 6, 0), source: str = "Wire",
        language: str = "en", url: str | None = None, key: str = "",
        content_hash: str = "") -> Article:
    """A real Article with this module's defaults (its URL and key from its id)."""
    return make_article(article_id, key or f"k-{article_id}", text,
                        content_hash or f"h-{article_id}-{hash(text)}", title=title,
                        published_at=published_at, source=source, language=language,
                        url=url or f"https://news.example/{article_id}", word_count=10)


def Tag(article_id: str, theme: str) -> ThemeTag:
    """A real ThemeTag with an evidence sentence, as the tagger writes it."""
    return make_tag(article_id, theme, 2.5, {
        "terms": {"crude": 1}, "sentences": [{"text": "Refiners bought Russian crude.",
                                              "start": 0, "end": 30}]}, "tax-7")


Actor = make_actor


OIL = Row("oil", "India buys more Russian oil", "Indian refiners bought Russian oil at a discount.")
TEA = Row("tea", "India exports tea", "Tea exports from India rose.")
ARMS = Row("arms", "S-400 deliveries", "Russia delivered a missile squadron to India.",
           language="ru", source="TASS")


def load(con, rows, tags=(), actors=(), watches=None, now=NOW):
    return load_batch(con, rows, list(tags), [], now, actors=list(actors), watches=watches)


def watchset(*watches, max_age_days=3):
    return WatchSet(tuple(watches), max_age_days)


def test_a_query_watch_matches_every_term_stemmed_and_queues_one_alert_per_channel(db_path):
    watch = Watch("india-oil", (HOOK, MAIL), query="Russian oils India")
    with open_warehouse(db_path) as con:
        load(con, [OIL, TEA, ARMS], [Tag("oil", "energy")], watches=watchset(watch))
        matches = con.execute("select watch, article_id, terms from watch_matches").fetchall()
        alerts = con.execute("select alert_key, channel, trigger, status, body_json, body_text "
                             "from alerts order by channel").fetchall()
    # TEA names India only and ARMS Russia and India without oil: every term is required
    assert matches == [("india-oil", "oil", ["india", "oil", "russian"])]
    assert [a[:4] for a in alerts] == [
        ("india-oil/new/article:oil/2026-03-10", HOOK, "new", "pending"),
        ("india-oil/new/article:oil/2026-03-10", MAIL, "new", "pending")]
    body = json.loads(alerts[0][4])
    assert body["idempotency_key"] == "india-oil/new/article:oil/2026-03-10"
    article = body["articles"][0]
    assert article["title"] == OIL.title and article["url"] == OIL.url
    assert article["source"] == "Wire" and article["published_at"] == "2026-03-10T06:00:00Z"
    assert article["themes"] == [{"theme": "energy", "score": 2.5, "taxonomy_version": "tax-7",
                                  "evidence": "Refiners bought Russian crude."}]
    assert article["matched_terms"] == ["india", "oil", "russian"]
    text = alerts[0][5]
    assert "Theme energy (2.5): “Refiners bought Russian crude.”" in text
    assert "Taxonomy version: tax-7" in text and OIL.url in text


def test_filters_themes_actors_dyad_sources_languages(db_path):
    watches = watchset(
        Watch("energy", (HOOK,), themes=("energy", "trade")),
        Watch("putin", (HOOK,), actors=("Vladimir Putin", "Kremlin")),
        Watch("dyad", (HOOK,), dyad=("India", "Russia")),
        Watch("tass", (HOOK,), sources=("tass",)),
        Watch("russian", (HOOK,), languages=("ru",)),
        Watch("both", (HOOK,), themes=("defense",), languages=("en",)),
    )
    with open_warehouse(db_path) as con:
        load(con, [OIL, TEA, ARMS], [Tag("oil", "energy"), Tag("arms", "defense")],
             [Actor("oil", "India"), Actor("arms", "India"), Actor("arms", "Russia"),
              Actor("tea", "Vladimir Putin", "leader")], watches=watches)
        found = con.execute("select watch, list(article_id order by article_id) from "
                            "watch_matches group by watch order by watch").fetchall()
    assert dict(found) == {"energy": ["oil"], "putin": ["tea"], "dyad": ["arms"],
                           "tass": ["arms"], "russian": ["arms"]}


def test_rerun_retag_and_changed_text_add_no_second_alert(db_path):
    watch = Watch("india-oil", (HOOK,), query="Russian oil India")
    changed = Row("oil", OIL.title, OIL.text + " Shipments doubled.")
    with open_warehouse(db_path) as con:
        load(con, [OIL], watches=watchset(watch))
        load(con, [OIL], watches=watchset(watch), now=NOW + timedelta(hours=1))
        load(con, [changed], watches=watchset(watch), now=NOW + timedelta(hours=2))
        # what a retag or a second ingest would find again: the same article matched
        assert record_matches(con, watchset(watch), NOW + timedelta(hours=3), "articles") == 0
        count = con.execute("select count(*), count(distinct alert_key) from alerts").fetchone()
    assert count == (1, 1)


def test_copies_and_old_articles_record_matches_but_fire_nothing(db_path):
    watch = Watch("india-oil", (HOOK,), query="Russian oil India")
    old = Row("old", OIL.title, OIL.text + " Old.", published_at=datetime(2025, 1, 1))
    with open_warehouse(db_path) as con:
        load(con, [OIL, old], watches=watchset(watch))
        copy_of_oil = Row("copy", OIL.title, OIL.text, content_hash=OIL.content_hash)  # syndicated
        load(con, [copy_of_oil], watches=watchset(watch), now=NOW + timedelta(hours=1))
        matched = con.execute("select list(article_id order by article_id) from watch_matches"
                              ).fetchone()[0]
        fired = con.execute("select list(article_id) from alerts").fetchone()[0]
    assert matched == ["oil", "old"]  # the copy is folded into its first copy
    assert fired == ["oil"]  # 2025 is past max_age_days: recorded, not sent


def test_digest_fires_once_per_closed_period(db_path):
    watch = Watch("daily-energy", (HOOK,), themes=("energy",), trigger="digest")
    rows = [Row(f"e{i}", f"Energy {i}", f"Oil story {i}.") for i in range(3)]
    with open_warehouse(db_path) as con:
        load(con, rows, [Tag(r.article_id, "energy") for r in rows], watches=watchset(watch))
        assert con.execute("select count(*) from alerts").fetchone()[0] == 0
        assert emit_periodic(con, watchset(watch), NOW + timedelta(hours=2)) == 0  # still open
        tomorrow = NOW + timedelta(days=1)
        assert emit_periodic(con, watchset(watch), tomorrow) == 1
        assert emit_periodic(con, watchset(watch), tomorrow + timedelta(hours=1)) == 0
        key, count, body = con.execute("select alert_key, articles, body_json from alerts").fetchone()
    assert key == "daily-energy/digest/day/2026-03-10" and count == 3
    assert [a["article_id"] for a in json.loads(body)["articles"]] == ["e0", "e1", "e2"]


def spike_corpus(last_day_defense: int, last_day_other: int):
    """38 days of 1 defense and 4 other articles a day, then a last day as given."""
    start = date(2026, 2, 1)
    rows, tags = [], []
    for d in range(38):
        day = start + timedelta(days=d)
        defense, other = (last_day_defense, last_day_other) if d == 37 else (1, 4)
        for i in range(defense + other):
            r = Row(f"a{d}-{i}", f"Story {d} {i}", f"Report {d} {i}.",
                    published_at=datetime(day.year, day.month, day.day, 8))
            rows.append(r)
            tags.append(Tag(r.article_id, "defense" if i < defense else "trade"))
    last = start + timedelta(days=37)
    return rows, tags, last, datetime(last.year, last.month, last.day, 12)


@pytest.mark.parametrize("defense, other, spikes", [
    (5, 4, True),    # the watch's share of the day goes from 20% to 56%
    (2, 8, False),   # the day's volume doubles with the same mix (a source added)
])
def test_spike_uses_the_theme_trend_rule_on_the_watchs_daily_share(db_path, defense, other,
                                                                    spikes):
    watch = Watch("arms", (HOOK,), themes=("defense",), trigger="spike")
    rows, tags, last, now = spike_corpus(defense, other)
    with open_warehouse(db_path) as con:
        load(con, rows, tags, watches=watchset(watch), now=now)
        queued = emit_periodic(con, watchset(watch), now)
        assert emit_periodic(con, watchset(watch), now) == 0  # once per day
        alerts = con.execute("select alert_key, articles from alerts").fetchall()
        # the same rule as theme_trend: that view flags the same days for the theme
        trend = con.execute("select day from theme_trend where theme = 'defense' and is_spike"
                            ).fetchall()
    assert queued == int(spikes)
    assert alerts == ([(f"arms/spike/count/{last}", defense)] if spikes else [])
    assert trend == ([(last,)] if spikes else [])


def test_delivery_bookkeeping_backs_off_then_gives_up(db_path):
    watch = Watch("india-oil", (HOOK, MAIL), query="Russian oil India")
    with open_warehouse(db_path) as con:
        load(con, [OIL], watches=watchset(watch))
        due = due_alerts(con, NOW)
        assert [d.channel for d in due] == [HOOK, MAIL]
        mark_sent(con, due[1].alert_key, MAIL, NOW)
        assert mark_failed(con, due[0].alert_key, HOOK, NOW, "HTTP 500", 2, 60) == "pending"
        assert due_alerts(con, NOW + timedelta(seconds=30)) == []  # backing off
        assert [d.channel for d in due_alerts(con, NOW + timedelta(seconds=61))] == [HOOK]
        assert mark_failed(con, due[0].alert_key, HOOK, NOW, "HTTP 500", 2, 60) == "failed"
        assert due_alerts(con, NOW + timedelta(days=1)) == []
        rows = con.execute("select channel, status, attempts, last_error from alerts "
                           "order by channel").fetchall()
    assert rows == [(HOOK, "failed", 2, "HTTP 500"), (MAIL, "sent", 1, None)]


def test_watch_file_rules(tmp_path):
    path = tmp_path / "watches.toml"
    path.write_text('[[watches]]\nname = "oil"\nquery = "oil"\n'
                    'notify = ["mailtos://${MW_USER}:${MW_PASS}@example.org"]\n')
    assert load_watches(path)[0].notify == ("mailtos://${MW_USER}:${MW_PASS}@example.org",)
    assert expand_env("mailtos://${A}:${B}@x", {"A": "u", "B": "p"}) == "mailtos://u:p@x"
    with pytest.raises(KeyError, match="MW_PASS"):
        expand_env("mailtos://${MW_PASS}@x", {})
    bad = {
        'name = "x"\nquery = "oil"\nnotify = ["mailtos://u:hunter2@example.org"]': "password",
        'name = "x"\nquery = "oil"\nnotify = ["json://h/x?token=abc"]': "token=",
        'name = "x"\nnotify = ["json://h/x"]': "say what to match",
        'name = "x"\nquery = "oil"\ntrigger = "often"\nnotify = ["json://h/x"]': "trigger",
        'name = "x"\nquery = "oil"\nnotify = []': "notify",
        'name = "x y"\nquery = "oil"\nnotify = ["json://h"]': "name",
        'name = "x"\nquery = "oil"\nnotfy = ["json://h"]': "unknown key",
    }
    for body, message in bad.items():
        path.write_text("[[watches]]\n" + body + "\n")
        with pytest.raises(WatchFileError, match=message):
            load_watches(path)


def test_the_readme_watch_file_is_valid_and_its_urls_are_apprise_urls(tmp_path):
    import re

    from extractors.notify import instantiate
    from tests.conftest import ROOT

    readme = (ROOT / "README.md").read_text()
    block = re.search(r"```toml\n# watches.toml\n(.*?)```", readme, re.DOTALL).group(1)
    path = tmp_path / "watches.toml"
    path.write_text(block)
    watches = load_watches(path)
    assert [w.trigger for w in watches] == ["new", "digest", "spike"]
    env = {name: "x1" for name in re.findall(r"\$\{(\w+)\}", block)}
    schemes = {type(instantiate(expand_env(url, env))).__name__
               for w in watches for url in w.notify}
    assert schemes == {"NotifyEmail", "NotifySlack", "NotifyJSON"}


def test_focus_only_reads_the_focus_marks(db_path):
    watch = Watch("focus", (HOOK,), themes=("energy",), focus=True)
    rows = [OIL, Row("oil2", "Oil", "Oil prices.")]
    tags = [Tag("oil", "energy"), Tag("oil2", "energy")]
    with open_warehouse(db_path) as con:
        load(con, rows, tags)
        if not con.execute("select count(*) from duckdb_tables() where table_name = "
                           "'article_focus'").fetchone()[0]:
            with pytest.raises(ValueError, match="article_focus"):
                record_matches(con, watchset(watch), NOW, "articles")
            # the focus marks' table as the focus issue's migration makes it
            con.execute("create table article_focus (article_id varchar primary key, "
                        "focus varchar, score double, is_focus boolean, parties varchar[])")
        con.execute("delete from article_focus")
        con.execute("insert into article_focus values ('oil', 'India, Russia', 1, true, "
                    "['India', 'Russia']), ('oil2', 'India, Russia', 0, false, [])")
        record_matches(con, watchset(watch), NOW, "articles")
        assert con.execute("select list(article_id) from watch_matches").fetchone()[0] == ["oil"]


def test_an_alert_names_the_story_when_the_warehouse_has_stories(db_path):
    watch = Watch("india-oil", (HOOK,), query="Russian oil India")
    with open_warehouse(db_path) as con:
        if not con.execute("select count(*) from duckdb_columns() where table_name = 'articles' "
                           "and column_name = 'story_id'").fetchone()[0]:
            con.execute("alter table articles add column story_id varchar")  # as stories add it
        load(con, [OIL])
        con.execute("update articles set story_id = 'story-9'")  # what story clustering sets
        con.execute("delete from watch_matches")
        record_matches(con, watchset(watch), NOW, "articles")
        body, text = con.execute("select body_json, body_text from alerts").fetchone()
    assert json.loads(body)["articles"][0]["story_id"] == "story-9"
    assert "Story: story-9" in text


def test_dry_run_shows_what_would_fire_and_writes_nothing(db_path):
    from warehouse.alerts import dry_run

    rows = [Row(f"e{d}", f"Energy {d}", f"Oil story {d}.",
                published_at=datetime(2026, 3, 1 + d, 8)) for d in range(4)]
    tags = [Tag(r.article_id, "energy") for r in rows]
    with open_warehouse(db_path) as con:
        load(con, rows, tags)  # stored before any watch existed
    digest = Watch("daily-energy", (HOOK,), themes=("energy",), trigger="digest")
    new = Watch("each-energy", (HOOK,), themes=("energy",))
    with open_warehouse(db_path, read_only=True) as con:
        matched, fired = dry_run(con, watchset(digest, max_age_days=30), date(2026, 3, 2), NOW)
        matched_new, fired_new = dry_run(con, watchset(new, max_age_days=30), date(2026, 3, 2),
                                         NOW)
    with open_warehouse(db_path, read_only=True) as con:  # a new session: no temp tables
        stored = con.execute("select (select count(*) from watch_matches), "
                             "(select count(*) from alerts)").fetchone()
    assert matched == 3  # 2 to 4 March; 1 March is before --since
    assert [(f["day"], f["trigger"]) for f in fired] == [
        (date(2026, 3, d), "digest") for d in (2, 3, 4)]
    assert matched_new == 3 and [f["alert_key"] for f in fired_new] == [
        f"each-energy/new/article:e{d}/2026-03-0{d + 1}" for d in (1, 2, 3)]
    assert stored == (0, 0)


def test_an_index_behind_at_load_time_is_caught_up_after_the_rebuild(db_path):
    from warehouse.alerts import rematch_queries
    from warehouse.search import refresh_index

    watch = Watch("india-oil", (HOOK,), query="Russian oil India")
    with open_warehouse(db_path) as con:
        load(con, [TEA])
        con.execute("update articles set title = 'Tea from India'")  # the index is now behind
        # The load carries the index fingerprint forward (a hand edit is caught at the end of
        # the ingest), and indexes its own articles: OIL matches at load time already.
        load(con, [OIL], watches=watchset(watch), now=NOW)
        assert con.execute("select count(*) from watch_matches").fetchone()[0] == 1
        refresh_index(con, NOW)  # what the end of the ingest does
        assert rematch_queries(con, watchset(watch), NOW, NOW) == 0  # never twice
        assert con.execute("select list(article_id) from watch_matches").fetchone()[0] == ["oil"]
