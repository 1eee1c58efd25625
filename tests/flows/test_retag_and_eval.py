"""retag and eval themes end to end: real ingest flow, real DuckDB file, the CLI."""

import json

import duckdb

from extractors.taxonomy import DEFAULT_TAXONOMY_PATH
from flows.cli import main
from flows.ingest import ingest_flow
from flows.retag import retag_flow

GOLD = [
    {"id": "g1", "title": "OPEC agrees to cut oil output", "text": "Crude prices rose.",
     "labels": ["energy"]},
    {"id": "g2", "title": "Pentagon orders more troops to the Gulf", "text": "The Navy too.",
     "labels": ["defense"]},
    {"id": "g3", "title": "City council approves new park", "text": "Residents cheered.",
     "labels": [], "published_at": "2024-07-01T09:00:00Z"},  # dated: trends count it
    {"id": "g4", "title": "Trade deficit widens as imports surge", "text": "Exports fell.",
     "labels": ["trade"]},
]


def write_gold(tmp_path):
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    gold = seeds / "gold.jsonl"
    gold.write_text("\n".join(json.dumps(r) for r in GOLD) + "\n")
    return seeds, gold


def stored_themes(db_path):
    con = duckdb.connect(str(db_path), read_only=True)
    try:
        return con.execute("select a.key, t.theme, t.taxonomy_version from article_themes t "
                           "join articles a using (article_id) order by 1, 2").fetchall()
    finally:
        con.close()


def test_eval_scores_the_warehouse_like_in_memory(tmp_path, db_path, prefect_harness, capsys):
    seeds, gold = write_gold(tmp_path)
    ingest_flow(seeds=str(seeds), db=str(db_path))
    assert main(["eval", "themes", "--gold", str(gold), "--db", str(db_path)]) == 0
    from_db = capsys.readouterr().out
    assert main(["eval", "themes", "--gold", str(gold)]) == 0
    in_memory = capsys.readouterr().out
    assert "macro-F1" in from_db and "4 gold records" in from_db
    # the same taxonomy gives the same table whichever way the tags were produced
    assert from_db.splitlines()[1:] == in_memory.splitlines()[1:]
    # theme, gold, tags, tp, fp, fn
    assert "energy                   1     1     1     0     0" in from_db


def test_retag_applies_a_new_taxonomy_idempotently(tmp_path, db_path, prefect_harness,
                                                    monkeypatch):
    seeds, _ = write_gold(tmp_path)
    monkeypatch.setenv("MEDIAWATCH_SEEDS", str(seeds))  # names relative to the seeds root
    ingest_flow(seeds=str(seeds), db=str(db_path))
    before = stored_themes(db_path)
    assert ("jsonl:gold.jsonl#g1", "energy") in [(k, t) for k, t, _ in before]

    # A user's taxonomy: the default plus a new theme, without touching code.
    own = tmp_path / "own.toml"
    own.write_text(DEFAULT_TAXONOMY_PATH.read_text() + '\n[[themes]]\nid = "parks"\n'
                   '[themes.terms]\n"park" = 1.0\n')
    first = retag_flow(db=str(db_path), taxonomy=str(own))
    after = stored_themes(db_path)
    assert first["articles"] == 4 and first["changed"] == 4  # every tag has a new version
    assert ("jsonl:gold.jsonl#g3", "parks") in [(k, t) for k, t, _ in after]
    assert {v for _, _, v in after} == {first["taxonomy_version"]}
    second = retag_flow(db=str(db_path), taxonomy=str(own))
    assert second["changed"] == 0 and stored_themes(db_path) == after
    con = duckdb.connect(str(db_path), read_only=True)
    try:
        assert con.execute("select count(*) from article_actors").fetchone()[0] > 0
        assert con.execute("select count(*) from articles where tone is null").fetchone()[0] == 0
        assert con.execute("select articles from theme_daily where theme = 'parks'"
                           ).fetchone()[0] == 1
    finally:
        con.close()


def test_retag_without_a_warehouse_says_what_to_do(tmp_path, capsys):
    import pytest

    with pytest.raises(SystemExit) as exit_info:
        main(["retag", "--db", str(tmp_path / "none.duckdb")])
    assert exit_info.value.code != 0
    assert "mediawatch ingest" in capsys.readouterr().err
    assert not (tmp_path / "none.duckdb").exists()
