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


def test_extraction_processes_load_neither_duckdb_nor_prefect(monkeypatch):
    """What a pool process imports (its initializer included) is paid once per process."""
    from extractors.taxonomy import load_taxonomy
    from flows import extract_pool
    from tests.worker_probe import heavy_modules

    monkeypatch.setenv("MEDIAWATCH_EXTRACT_WORKERS", "2")
    extract_pool.start_pool(load_taxonomy(None), None)
    try:
        assert extract_pool._POOL.submit(heavy_modules).result(timeout=120) == []
    finally:
        extract_pool.shutdown_pool()


def test_the_ingest_flow_does_not_load_scikit_learn():
    """scikit-learn only scores stories (`eval stories`); its import was ~1.2 s CPU of every
    ingest's start-up for clustering SciPy does."""
    code = "import sys, flows.ingest\nprint('sklearn' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
