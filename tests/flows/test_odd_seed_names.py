"""Issue #21 case 5: a seed file name that is not valid UTF-8 is one more file, not a crash.

Linux file names are bytes; Python hands the undecodable ones over as surrogate escapes,
which no UTF-8 writer (Arrow, DuckDB, the console) accepts. Through the real console script.
"""

import os

import duckdb
import pytest

from tests.flows import cli_process as cli

pytestmark = pytest.mark.slow


def test_a_latin1_file_name_is_stored_under_a_printable_name(tmp_path, prefect_api_url):
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    folder = os.fsencode(seeds)
    with open(folder + b"/caf\xe9 Moscou.txt", "wb") as handle:  # Latin-1 name
        handle.write(b"Cafe talks\nIndia and Russia discussed oil and defence in Moscow.")
    with open(folder + b"/caf\xe8.txt", "wb") as handle:  # another one, the same once mangled
        handle.write(b"Second talks\nIndia and Russia discussed trade in New Delhi today.")
    with open(folder + b"/bin\xff.txt", "wb") as handle:  # and a failure under such a name
        handle.write(b"\x00\x01")
    os.symlink(folder + b"/gone\xfe.txt", folder + b"/link\xfe.txt")  # a broken link to one
    (seeds / "good.txt").write_text("Good\nIndia and Russia signed a trade pact on Monday.")
    db = tmp_path / "mw.duckdb"
    env = cli.cli_env(tmp_path / "prefect", prefect_api_url, MEDIAWATCH_SEEDS=str(seeds))

    done = cli.run(["ingest", "--seeds", str(seeds), "--db", str(db)], env)
    assert done.returncode == 0, done.stderr
    assert "3 stored" in done.stderr and "2 failures" in done.stderr, done.stderr
    assert cli.clean_output(done.stderr), done.stderr

    con = duckdb.connect(str(db), read_only=True)
    try:
        keys = {k for (k,) in con.execute("select key from articles").fetchall()}
        failures = dict(con.execute("select url, reason from ingest_failures").fetchall())
    finally:
        con.close()
    assert keys == {"seed:caf\\xe9 Moscou.txt", "seed:caf\\xe8.txt", "seed:good.txt"}
    assert "binary file" in failures["bin\\xff.txt"]
    assert "broken symbolic link" in failures["link\\xfe.txt"]
    # a second run finds the same names: the three stored files are unchanged, skipped unread
    again = cli.run(["ingest", "--seeds", str(seeds), "--db", str(db)], env)
    assert again.returncode == 0 and "0 stored" in again.stderr, again.stderr
    assert "seed files unchanged since they were last read (skipped): 3" in again.stderr
