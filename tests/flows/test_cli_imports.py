"""Extraction processes are spawned, and spawn re-imports the `mediawatch` script, hence
flows.cli: importing it must stay cheap (no DuckDB, no Prefect in every worker)."""

import subprocess
import sys


def test_importing_the_cli_loads_neither_duckdb_nor_prefect():
    code = ("import sys, flows.cli\n"
            "print(sorted(m for m in ('duckdb', 'prefect', 'pyarrow', 'trafilatura') "
            "if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
