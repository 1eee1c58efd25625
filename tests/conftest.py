"""Shared fixtures: a Prefect test harness for flow tests, temporary warehouses, seeds."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
SEED_FILE = SEEDS / "000_cad0c3fdfa389879.txt"
SHARED = ROOT.parent / "shared"


@pytest.fixture(scope="session")
def prefect_harness():
    """Run flows against a temporary Prefect API (one per test session)."""
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=120):
        yield


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    """A path for a fresh DuckDB warehouse file."""
    return tmp_path / "warehouse" / "mediawatch.duckdb"
