"""End to end: the ingest flow under Prefect's test harness into a real DuckDB file."""

import json
import shutil

import duckdb

from flows.digest import digest_flow
from flows.ingest import ingest_flow
from tests.conftest import SEED_FILE


def make_seeds(tmp_path):
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    shutil.copy(SEED_FILE, seeds)
    records = [
        {"id": "w1", "title": "India weighs S-400 missile deliveries from Russia",
         "text": "New Delhi expects the remaining S-400 missile systems next year, the army said.",
         "published_at": "2024-07-09T08:00:00Z", "source": "Wire"},
        {"id": "w2", "title": "India weighs S-400 missile deliveries from Russia",
         "text": "New Delhi expects the remaining S-400 missile systems next year, the army said.",
         "published_at": "2024-07-09T09:00:00Z", "source": "Reprint Daily"},
        "not an object",
    ]
    (seeds / "wire.jsonl").write_text("\n".join(json.dumps(r) for r in records) + "\n{broken\n")
    return seeds


def test_ingest_twice_stores_once_and_views_answer(tmp_path, db_path, prefect_harness,
                                                   monkeypatch):
    seeds = make_seeds(tmp_path)
    monkeypatch.setenv("MEDIAWATCH_SEEDS", str(seeds))  # names relative to the seeds root
    first = ingest_flow(seeds=str(seeds), db=str(db_path))
    second = ingest_flow(seeds=str(seeds), db=str(db_path))
    assert (first["seen"], first["stored"], first["duplicates"], first["failures"]) == (3, 3, 1, 2)
    # nothing changed: both seed files are skipped unread (the seed cache)
    assert (second["seen"], second["stored"], second["seed_files_unchanged"]) == (0, 0, 2)

    con = duckdb.connect(str(db_path), read_only=True)
    title, text = con.execute(
        "select title, text from articles where key = 'seed:000_cad0c3fdfa389879.txt'").fetchone()
    assert title == "India and Russia: A Sustained Strategic Alignment"
    assert "India's strategic planning" in text and "Modi's official stop" in text
    assert "9s" not in text.replace("1990s", "")
    themes = {r[0] for r in con.execute(
        "select theme from article_themes join articles using (article_id) "
        "where key = 'seed:000_cad0c3fdfa389879.txt'").fetchall()}
    assert {"defense", "energy", "western_pressure", "diplomacy"} <= themes
    # the seed and the S-400 wire (India and Russia both named) are focus articles
    focus = dict(con.execute("select a.key, f.is_focus from article_focus f "
                             "join articles a using (article_id)").fetchall())
    assert focus["seed:000_cad0c3fdfa389879.txt"] is True and sum(focus.values()) == 3
    # the reprint is linked to the first copy and not double counted
    assert con.execute("select count(*) from articles where duplicate_of is not null").fetchone()[0] == 1
    assert con.execute("select articles from theme_daily where day = '2024-07-09' "
                       "and theme = 'defense'").fetchone()[0] == 1
    runs = con.execute("select status, stored, failures from runs order by started_at").fetchall()
    assert runs == [("completed", 3, 2), ("completed", 0, 0)]
    # the bad lines stay open failures; an unchanged file does not retry them
    failures = con.execute("select url, attempts from ingest_failures order by url").fetchall()
    assert failures == [("wire.jsonl:3", 1), ("wire.jsonl:4", 1)]
    con.close()

    out = tmp_path / "exports"
    result = digest_flow(day="2024-07-09", out=str(out), db=str(db_path))
    md = (out / "2024-07-09" / "digest.md").read_text()
    assert result["totals"]["articles"] == 2
    # the theme shows under the shipped taxonomy's label for `defense`
    assert "| Defence |" in md and "S-400" in md
    # the digest leads with the focus articles
    assert md.index("## Focus: India, Russia") < md.index("## Themes")
