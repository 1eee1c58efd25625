"""The `focus` setting is checked before any work: a name the gazetteer lacks is one line."""

import pytest


def test_an_unknown_focus_stops_ingest_with_one_line(monkeypatch, tmp_path, capsys):
    from flows.cli import main

    monkeypatch.setenv("MEDIAWATCH_FOCUS", "India, Narnia")
    (tmp_path / "seeds").mkdir()
    with pytest.raises(SystemExit) as exit_:
        main(["ingest", "--seeds", str(tmp_path / "seeds"), "--db", str(tmp_path / "w.duckdb")])
    assert exit_.value.code != 0
    err = capsys.readouterr().err
    assert "'Narnia' is not a country" in err and "MEDIAWATCH_FOCUS" in err
    assert "Traceback" not in err and not (tmp_path / "w.duckdb").exists()
