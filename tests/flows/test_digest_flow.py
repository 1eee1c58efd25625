"""The digest end to end: a two-day seed through the real ingest flow, the digest flow under
the Prefect harness, the CLI, and the HTML in headless Chromium."""

import csv
import json
from collections import Counter
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import duckdb
import pytest

from flows.cli import main
from flows.digest import digest_flow
from flows.ingest import ingest_flow
from tests.flows import chromium

DAY = "2024-07-09"
HOSTILE = "<script>document.title='pwned'</script> India and Russia sign S-400 missile deal"
FILES = ["articles.csv", "digest.html", "digest.json", "digest.md"]
BAR_BLUE = (0x2B, 0x5F, 0xB3)  # the template's bar and trend-line colour


def write_seed(folder):
    folder.mkdir()
    records = [
        {"id": "h1", "title": HOSTILE, "source": "Wire", "url": "https://wire.example/h1",
         "published_at": "2024-07-09T06:30:00Z",
         "text": "The defence ministry confirmed the S-400 missile deliveries. The army welcomed "
                 "the deal."},
        {"id": "h2", "title": "Navy orders frigates from Russian shipyard", "source": "Gazette",
         "published_at": "2024-07-09T09:00:00Z",
         "text": "The navy ordered two frigates and fighter jets in a defence deal."},
        {"id": "e1", "title": "India buys record Russian oil despite sanctions",
         "source": "Energy Daily", "published_at": "2024-07-09T11:00:00Z",
         "text": "Refiners bought record Russian crude oil despite Western sanctions pressure."},
        {"id": "e1-copy", "title": "India buys record Russian oil despite sanctions",
         "source": "Reprint Times", "published_at": "2024-07-09T12:00:00Z",
         "text": "Refiners bought record Russian crude oil despite Western sanctions pressure."},
        {"id": "d0", "title": "Army plans joint military exercise with Russia", "source": "Wire",
         "published_at": "2024-07-08T08:00:00Z",
         "text": "The army plans a joint military exercise with Russian forces."},
    ]
    (folder / "news.jsonl").write_text("\n".join(json.dumps(r) for r in records) + "\n")
    return folder


@pytest.fixture(scope="module")
def ingested(tmp_path_factory, prefect_harness):
    """A warehouse filled from the two-day seed by the real ingest flow."""
    root = tmp_path_factory.mktemp("digest")
    db = root / "mediawatch.duckdb"
    summary = ingest_flow(seeds=str(write_seed(root / "seeds")), db=str(db))
    assert summary["failures"] == 0 and summary["stored"] == 5
    return db


def test_done_when_two_day_seed_gives_four_escaped_files_that_render(ingested, tmp_path):
    result = digest_flow(day=DAY, out=str(tmp_path / "out"), db=str(ingested))
    folder = tmp_path / "out" / DAY
    assert sorted(p.name for p in folder.iterdir()) == FILES
    assert sorted(result["files"]) == sorted(str(folder / f) for f in FILES)

    data = json.loads((folder / "digest.json").read_text())
    con = duckdb.connect(str(ingested), read_only=True)
    stored_defense = con.execute("select articles from theme_daily where day = ? and theme = "
                                 "'defense'", [DAY]).fetchone()[0]
    con.close()
    themes = {t["theme"]: t for t in data["themes"]}
    assert data["date"] == DAY
    assert themes["defense"]["articles"] == stored_defense == 2
    assert themes["defense"]["trend_30d"][-2:] == [1, 2]

    md = (folder / "digest.md").read_text()
    html = (folder / "digest.html").read_text()
    assert "<script>" not in md and "\\<script\\>" in md
    assert "<script" not in html and "&lt;script&gt;document.title=" in html
    assert "<svg" in html and "<polyline" in html
    titles = [r["title"] for r in csv.DictReader((folder / "articles.csv").open())]
    assert HOSTILE in titles

    profile = tmp_path / "chromium-profile"
    dom = chromium.dump_dom(folder / "digest.html", profile)
    assert "<title>mediawatch digest — 2024-07-09</title>" in dom  # the script never ran
    assert "<script" not in dom and "&lt;script&gt;document.title=" in dom
    for theme in ("defense", "energy", "western_pressure"):
        assert f'data-theme="{theme}"' in dom
    assert "Navy orders frigates from Russian shipyard" in dom
    # the page opens with Top stories; the syndicated oil story counts its copy once
    assert dom.index('id="top-stories"') < dom.index('id="totals"')
    # (five India-Russia articles are too few for IDF to keep the oil story apart from the
    # defence ones: docs/stories.md; the copy is what this checks)
    oil = next(s for s in data["stories"]
               if any(a["title"].startswith("India buys record") for a in s["links"]))
    assert oil["copies"] == 1 and oil["articles"] == sum(not a["copy"] for a in oil["links"])
    assert [a["copy"] for a in oil["links"]].count(True) == 1
    assert f'id="story-{oil["story_id"]}"' in dom and "syndicated cop" in dom
    with duckdb.connect(str(ingested), read_only=True) as con:
        assert con.execute("select count(*) from articles where story_id is null"
                           ).fetchone()[0] == 0
    assert "## Top stories" in md
    assert dom.count("<svg") == 1 + len(data["themes"])

    png = chromium.screenshot(folder / "digest.html", profile, tmp_path / "x.png", 412, 900)
    width, height, rows = chromium.png_pixels(png)
    assert (width, height) == (412, 900)
    bpp = len(rows[0]) // width
    pixels = Counter(row[i:i + 3] for row in rows for i in range(0, len(row), bpp))
    background = pixels.most_common(1)[0][1]
    assert len(pixels) > 50, "screenshot is nearly blank"
    assert background < 0.95 * width * height, "screenshot is mostly one colour"
    assert pixels[bytes(BAR_BLUE)] > 200, "the SVG bars did not render"


def test_same_database_and_date_give_identical_files(ingested, tmp_path):
    digest_flow(day=DAY, out=str(tmp_path / "a"), db=str(ingested), timezone="Asia/Kolkata")
    digest_flow(day=DAY, out=str(tmp_path / "b"), db=str(ingested), timezone="Asia/Kolkata")
    for name in FILES:
        first, second = (tmp_path / "a" / DAY / name), (tmp_path / "b" / DAY / name)
        assert first.read_bytes() == second.read_bytes(), name
    assert "12:00" in (tmp_path / "a" / DAY / "digest.md").read_text()  # 06:30 UTC in Kolkata


def test_cli_digest_defaults_to_yesterday_and_says_when_empty(ingested, tmp_path, capsys):
    assert main(["digest", "--out", str(tmp_path), "--db", str(ingested),
                 "--timezone", "Pacific/Kiritimati"]) == 0
    yesterday = (datetime.now(ZoneInfo("Pacific/Kiritimati")) - timedelta(days=1)).date()
    out, err = capsys.readouterr()
    assert f"{yesterday.isoformat()}/digest.html" in out
    assert "no articles that day" in err
    assert "Traceback" not in err and "ERROR" not in err
    md = (tmp_path / yesterday.isoformat() / "digest.md").read_text()
    assert "No articles for this day" in md


def test_cli_stories_lists_the_days_stories_by_outlets(ingested, capsys):
    assert main(["stories", "--date", DAY, "--db", str(ingested)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("1. ") and "outlets · " in out and "1 copies · " in out
    with duckdb.connect(str(ingested), read_only=True) as con:
        listed = con.execute("select count(distinct story_id) from articles where day = ?",
                             [DAY]).fetchone()[0]
    assert len([line for line in out.splitlines() if line[:1].isdigit()]) == listed
    assert main(["stories", "--date", DAY, "--theme", "no_such_theme", "--db", str(ingested)]) == 0
    assert capsys.readouterr().out == ""
    # --focus: only the stories with a focus article (article_focus.is_focus) that day
    assert main(["stories", "--date", DAY, "--focus", "--db", str(ingested)]) == 0
    focused = capsys.readouterr().out
    with duckdb.connect(str(ingested), read_only=True) as con:
        expected = con.execute("select count(distinct story_id) from articles join article_focus"
                               " using (article_id) where day = ? and is_focus", [DAY]).fetchone()[0]
    assert expected > 0
    assert len([line for line in focused.splitlines() if line[:1].isdigit()]) == expected


def test_cli_digest_latest(ingested, tmp_path, capsys):
    assert main(["digest", "--latest", "--out", str(tmp_path), "--db", str(ingested)]) == 0
    assert json.loads((tmp_path / DAY / "digest.json").read_text())["totals"]["articles"] == 4


@pytest.mark.parametrize("argv, message", [
    (["--date", "09/07/2024"], "is not a date"),
    (["--timezone", "Mars/Olympus"], "unknown timezone"),
    (["--date", DAY, "--latest"], "not both"),
    (["--date", "0001-01-01"], "0001-01-01 is out of range: a day runs from 1900-01-01"),
    (["--date", "9999-12-31"], "9999-12-31 is out of range"),
    (["--db", "/nonexistent/mediawatch.duckdb"], "no warehouse at /nonexistent"),
])
def test_cli_digest_rejects_bad_options(ingested, tmp_path, capsys, argv, message):
    with pytest.raises(SystemExit) as exit_info:
        main(["digest", "--out", str(tmp_path), "--db", str(ingested), *argv])
    assert exit_info.value.code == 1
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err


def test_days_are_the_analyst_s_timezone_and_latest_ignores_undated(tmp_path, prefect_harness):
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    records = [
        # 00:30 in Moscow on 10 July is 21:30 UTC on 9 July
        {"id": "m1", "title": "Moscow night deal on S-400 missiles", "source": "RIA",
         "published_at": "2024-07-10T00:30:00+03:00",
         "text": "The defence ministry confirmed the S-400 missile deliveries to India."},
        {"id": "u1", "title": "Undated frigate order", "source": "Wire",
         "text": "The navy ordered two frigates in a defence deal with Russia."},
    ]
    (seeds / "news.jsonl").write_text("\n".join(json.dumps(r) for r in records) + "\n")
    db = tmp_path / "mediawatch.duckdb"
    assert ingest_flow(seeds=str(seeds), db=str(db))["stored"] == 2
    moscow = digest_flow(latest=True, out=str(tmp_path / "out"), db=str(db), timezone="Europe/Moscow")
    # the undated article sits on today's date (when it was first seen): --latest skips it
    assert moscow["date"] == "2024-07-10" and moscow["totals"]["articles"] == 1
    rows = list(csv.DictReader((tmp_path / "out" / "2024-07-10" / "articles.csv").open()))
    assert [r["article_id"] for r in rows] == [r["article_id"] for r in rows if r["title"].startswith("Moscow")]
    utc = digest_flow(latest=True, out=str(tmp_path / "utc"), db=str(db), timezone="UTC")
    assert utc["date"] == "2024-07-09"
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute("select published_at from articles where title like 'Moscow%'"
                           ).fetchone()[0] == datetime(2024, 7, 9, 21, 30)  # stored UTC


def test_an_unknown_timezone_setting_fails_the_ingest_with_one_line(tmp_path, prefect_harness, monkeypatch):
    from prefect.exceptions import FailedRun

    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "a.jsonl").write_text(json.dumps({"id": "a", "title": "Oil deal", "text": "Oil."}) + "\n")
    monkeypatch.setenv("MEDIAWATCH_TIMEZONE", "Mars/Olympus")
    with pytest.raises(FailedRun) as info:
        ingest_flow(seeds=str(seeds), db=str(tmp_path / "mw.duckdb"))
    assert str(info.value).startswith("unknown timezone 'Mars/Olympus' (the timezone setting, "
                                      "MEDIAWATCH_TIMEZONE)")
    with duckdb.connect(str(tmp_path / "mw.duckdb"), read_only=True) as con:
        assert con.execute("select count(*) from runs").fetchone()[0] == 0  # none left running
