"""The issue's done-when, end to end: real ingest, real CLI processes, real DuckDB file."""

import csv
import io
import json
import os
import subprocess
import sys

import duckdb
import pytest

from flows.ingest import ingest_flow

STORY = ("New Delhi and Moscow discussed the S-400 missile deliveries and a frigate order at the "
         "defence ministry; officials also reviewed crude oil purchases and energy payments.")
RECORDS = [
    {"id": "d1-a", "title": "India and Russia review S-400 deliveries", "text": STORY,
     "published_at": "2024-07-08T08:00:00Z", "source": "Wire"},
    {"id": "d1-b", "title": "India and Russia review S-400 deliveries", "text": STORY,
     "published_at": "2024-07-08T10:00:00Z", "source": "Reprint Daily"},  # the syndicated copy
    {"id": "d1-c", "title": "Refiners buy more Russian crude",
     "text": "Indian refiners bought more Russian crude oil as energy imports rose; payments in "
             "rupees were discussed.", "published_at": "2024-07-08T12:00:00Z", "source": "Desk"},
    {"id": "d2-a", "title": "Shipyard talks",
     "text": "A frigate built at the Zvezdochka yard was discussed alongside the missile deal "
             "and the defence partnership.", "published_at": "2024-07-09T07:00:00Z", "source": "Wire"},
    {"id": "d2-b", "title": "Sanctions pressure", "text": "Washington warned of sanctions over "
     "the oil trade; the EU and G7 price cap was raised by diplomats.",
     "published_at": "2024-07-09T09:00:00Z", "source": "Desk"},
]


def cli_env(tmp_path):
    from prefect.settings import get_current_settings

    env = dict(os.environ, PREFECT_HOME=str(tmp_path / "prefect-home"),
               PREFECT_API_URL=str(get_current_settings().api.url or ""))
    env.pop("MEDIAWATCH_DB", None)
    return env


def mediawatch(args, env, stdin=None):
    return subprocess.run([sys.executable, "-m", "flows.cli", *args], env=env, input=stdin,
                          capture_output=True, text=True, timeout=120)


@pytest.fixture
def warehouse(tmp_path, prefect_harness):
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "two_days.jsonl").write_text("\n".join(json.dumps(r) for r in RECORDS) + "\n")
    db = tmp_path / "w.duckdb"
    summary = ingest_flow(seeds=str(seeds), db=str(db))
    assert (summary["stored"], summary["duplicates"]) == (5, 1)
    return db


def test_done_when_on_a_two_day_seed(warehouse, tmp_path):
    con = duckdb.connect(str(warehouse), read_only=True)
    daily = con.execute("select day, theme, articles, share from theme_daily").fetchall()
    # the copy carries the same themes as its original, so counting it would show
    with_copy = dict(((d, t), n) for d, t, n in con.execute(
        "select day, theme, count(*) from article_themes join articles using (article_id) "
        "group by all").fetchall())
    copy_themes = {r[0] for r in con.execute(
        "select theme from article_themes join articles using (article_id) "
        "where duplicate_of is not null").fetchall()}
    con.close()
    assert copy_themes and daily
    for day, theme, articles, share in daily:
        assert 0 <= share <= 1
        assert articles == with_copy[(day, theme)] - (theme in copy_themes and str(day) == "2024-07-08")

    env = cli_env(tmp_path)
    found = mediawatch(["search", "Zvezdochka", "--db", str(warehouse)], env)
    assert found.returncode == 0, found.stderr
    assert found.stdout.startswith("1. Shipyard talks\n") and "2." not in found.stdout
    assert "2024-07-09 · Wire" in found.stdout and "Zvezdochka" in found.stdout

    counted = mediawatch(["sql", "select count(*) as n from articles where duplicate_of is null",
                          "--format", "csv", "--db", str(warehouse)], env)
    assert counted.returncode == 0, counted.stderr
    assert list(csv.reader(io.StringIO(counted.stdout))) == [["n"], ["4"]]


def test_sql_shell_reads_piped_sql_with_fts_and_refuses_writes(warehouse, tmp_path):
    env = cli_env(tmp_path)
    shell = mediawatch(["sql", "--db", str(warehouse)], env, stdin=(
        ".mode csv\n"
        "select title from articles where fts_main_articles.match_bm25(article_id, 'Zvezdochka') "
        "is not null;\n"
        "create table scratch (a int);\n"))
    assert "Shipyard talks" in shell.stdout
    assert "read-only" in shell.stderr and shell.returncode != 0
    con = duckdb.connect(str(warehouse), read_only=True)
    assert "scratch" not in {r[0] for r in con.execute("show tables").fetchall()}
    con.close()


def test_export_query_to_csv(warehouse, tmp_path):
    out = tmp_path / "out" / "trend.csv"
    done = mediawatch(["export", "--query", "select day, theme, articles from theme_trend",
                       "--out", str(out), "--db", str(warehouse)], cli_env(tmp_path))
    assert done.returncode == 0, done.stderr
    rows = list(csv.DictReader(out.open()))
    assert {r["day"] for r in rows} == {"2024-07-08", "2024-07-09"}
    assert len(rows) == 2 * len({r["theme"] for r in rows})  # dense: every theme on both days


@pytest.mark.parametrize("argv, option", [
    (["search", "oil", "--since", "last week"], "--since"),
    (["stories", "--date", "2024-02-30"], "--date"),
    (["search", "oil", "--since", "0001-01-01"], "--since"),
])
def test_a_bad_day_option_is_one_line_naming_the_option(tmp_path, capsys, argv, option):
    from flows.cli import main

    with pytest.raises(SystemExit) as info:
        main([*argv, "--db", str(tmp_path / "none.duckdb")])
    err = capsys.readouterr().err
    assert info.value.code == 1
    assert err.startswith(f"error: {option}: ") and ("is not a date" in err or "out of range" in err)
    assert len(err.strip().splitlines()) == 1
