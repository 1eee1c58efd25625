"""Issue #21 case 10: one actionable line where a traceback was, and the run marked failed.

Through the real console script, against the session's Prefect API (a temporary one per
command can take a minute to start on a loaded machine; that is not what is tested here).
`export --out` a folder is in tests/flows/test_read_only.py.
"""

from datetime import datetime

import duckdb
import pytest

from tests.flows import cli_process as cli
from tests.records import make_article
from warehouse.db import open_warehouse
from warehouse.load import load_batch

pytestmark = pytest.mark.slow


@pytest.fixture
def env(tmp_path, prefect_api_url):
    return cli.cli_env(tmp_path / "prefect-home", prefect_api_url)


def one_line_failure(result, *words):
    assert result.returncode == 1, (result.stdout, result.stderr)
    assert cli.clean_output(result.stderr), result.stderr
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1, result.stderr
    for word in words:
        assert word in errors[0], errors[0]


@pytest.mark.parametrize("content, words", [
    (b"\x89PNG\r\n\x1a\n\x00\x00binary", ["not a text file", "TOML"]),
    (b"[[feeds]\nname = 'x'\n", ["not valid TOML"]),
    (b'[[feeds]]\nname = "A"\nurl = "https://a.example/rss"\n'
     b'[[feeds]]\nname = "A "\nurl = "https://b.example/rss"\n', ["'A' is used twice"]),
])
def test_a_bad_feed_list_fails_the_run_before_any_seed_naming_the_file(
        tmp_path, env, content, words):
    seeds = tmp_path / "seeds"
    cli.write_jsonl(seeds / "wire.jsonl", 3)
    feeds = tmp_path / "my-feeds.toml"
    feeds.write_bytes(content)
    db = tmp_path / "mw.duckdb"
    result = cli.run(["ingest", "--seeds", str(seeds), "--feeds", str(feeds), "--db", str(db)],
                     env)
    one_line_failure(result, str(feeds), *words)
    con = duckdb.connect(str(db), read_only=True)
    try:
        assert con.execute("select count(*) from articles").fetchone()[0] == 0  # checked first
        assert con.execute("select status from runs").fetchall() == [("failed",)]
    finally:
        con.close()


def test_digest_on_a_truncated_warehouse_is_one_line(tmp_path, env):
    db = tmp_path / "mw.duckdb"
    with open_warehouse(db) as con:  # a warehouse as a load leaves it (no ingest command:
        load_batch(con, [make_article(f"a{i}", f"k{i}", cli.TAGGED_TEXT, f"h{i}",  # ~4 s)
                                      published_at=datetime(2024, 7, 2, 8))
                         for i in range(3)], [], [], datetime(2024, 7, 2, 9))
    with db.open("r+b") as handle:
        handle.truncate(db.stat().st_size // 3)
    result = cli.run(["digest", "--date", "2024-07-02", "--db", str(db), "--out",
                      str(tmp_path / "out")], env)
    one_line_failure(result, str(db))

