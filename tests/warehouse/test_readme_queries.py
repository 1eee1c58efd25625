"""Every SQL example in warehouse/README.md runs on a real warehouse (docs stay true)."""

import re
from datetime import datetime

import pytest

from tests.conftest import ROOT
from tests.warehouse.test_search import ROWS, TAGS
from warehouse.db import open_warehouse
from warehouse.load import load_batch
from warehouse.search import refresh_index

README = (ROOT / "warehouse" / "README.md").read_text()
BLOCKS = re.findall(r"```sql\n(.*?)```", README, re.DOTALL)
STATEMENTS = [s.strip() for block in BLOCKS for s in block.split(";")
              if re.sub(r"--[^\n]*", "", s).strip()]


def test_the_readme_has_examples_for_every_view():
    for view in ("theme_daily", "theme_trend", "source_daily", "latest_articles", "match_bm25"):
        assert any(view in s for s in STATEMENTS), view


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory):
    """One loaded and indexed warehouse for every example: each opens it read-only, so no
    example can change what the next one reads (one per example cost ~0.6 s of CPU each)."""
    path = tmp_path_factory.mktemp("readme") / "mediawatch.duckdb"
    with open_warehouse(path) as con:
        load_batch(con, ROWS, TAGS, [], datetime(2024, 7, 3))
        refresh_index(con, datetime(2024, 7, 3))
    return path


@pytest.mark.parametrize("statement", STATEMENTS)
def test_readme_example_runs(warehouse, statement):
    with open_warehouse(warehouse, read_only=True) as con:
        con.execute(statement).fetchall()
