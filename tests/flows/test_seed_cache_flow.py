"""An ingest rerun skips seeds that did not change, and an edited JSONL line updates exactly
its article (the seed cache of extractors/seeds.py, stored in `seed_files`)."""

import json

import duckdb

from flows.ingest import ingest_flow
from tests.flows.cli_process import TAGGED_TEXT


def write(path, texts):
    path.write_text("".join(
        json.dumps({"id": f"r{i}", "title": f"Report {i}", "text": f"{TAGGED_TEXT}{t}",
                    "published_at": "2024-07-09T08:00:00Z", "source": "Wire"}) + "\n"
        for i, t in enumerate(texts)), encoding="utf-8")


def articles(db):
    with duckdb.connect(str(db), read_only=True) as con:
        return {key: (text, updated) for key, text, updated in con.execute(
            "select key, text, updated_at from articles").fetchall()}


def test_rerun_skips_unchanged_seeds_and_an_edited_line_updates_its_article(
        tmp_path, db_path, prefect_harness, monkeypatch):
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    monkeypatch.setenv("MEDIAWATCH_SEEDS", str(seeds))
    texts = [f"Report number {i} of the series." for i in range(6)]
    write(seeds / "wire.jsonl", texts)
    (seeds / "note.txt").write_text("Frigate talks\nIndia and Russia discussed frigates.\n")
    first = ingest_flow(seeds=str(seeds), db=str(db_path))
    assert (first["seen"], first["stored"]) == (7, 7)
    before = articles(db_path)

    again = ingest_flow(seeds=str(seeds), db=str(db_path))
    assert (again["seen"], again["stored"], again["seed_files_unchanged"]) == (0, 0, 2)
    assert articles(db_path) == before

    texts[3] = "Report number 3, corrected."
    write(seeds / "wire.jsonl", texts)
    edited = ingest_flow(seeds=str(seeds), db=str(db_path))
    assert (edited["seen"], edited["stored"], edited["unchanged"]) == (1, 1, 0)
    after = articles(db_path)
    changed = {key for key in after if after[key] != before[key]}
    assert changed == {"jsonl:wire.jsonl#r3"}
    assert after["jsonl:wire.jsonl#r3"][0].endswith("Report number 3, corrected.")
