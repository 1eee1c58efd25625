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


def shared_path(relative: str) -> Path:
    """Return ../shared/RELATIVE for a test that reads the shared corpora.

    CI always has ../shared beside the clone: there a missing file FAILS the test (a quality
    gate that silently skips is no gate). On a developer's machine without it the test is
    skipped, saying what is missing.
    """
    path = SHARED / relative
    if not path.exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"{path} is missing: CI must provide ../shared beside the clone "
                        "(the quality gates read it)", pytrace=False)
        pytest.skip(f"{path} is missing (../shared is not beside this checkout)")
    return path


@pytest.fixture(scope="session")
def prefect_harness():
    """Run flows against a temporary Prefect API (one per test session)."""
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=120):
        yield


@pytest.fixture(scope="session")
def prefect_api_url(prefect_harness) -> str:
    """The URL of the session's Prefect API (the harness's), for CLI subprocesses.

    A `mediawatch` command given PREFECT_API_URL starts no temporary Prefect server of its
    own: ~10-18 s of CPU a command saved (server imports, SQLite migrations of a fresh
    PREFECT_HOME). Tests of the temporary server itself (tests/flows/test_exit_codes.py,
    test_concurrency.py, test_crash.py, test_interrupt.py) leave it unset.
    """
    from prefect.settings import get_current_settings

    return str(get_current_settings().api.url)


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    """A path for a fresh DuckDB warehouse file."""
    return tmp_path / "warehouse" / "mediawatch.duckdb"


@pytest.fixture(scope="session")
def prefect_server(tmp_path_factory):
    """A real `prefect server start` on 127.0.0.1 with its own PREFECT_HOME, for the session.

    Yields the environment a client process needs to use it (PREFECT_API_URL and
    PREFECT_HOME set, no MEDIAWATCH_* overrides from the caller's shell).
    """
    from flows.local_server import local_prefect_server

    home = tmp_path_factory.mktemp("prefect-home")
    with local_prefect_server(home=home, timeout_s=180) as api_url:
        env = {k: v for k, v in os.environ.items() if not k.startswith("MEDIAWATCH_")}
        env.update(PREFECT_API_URL=api_url, PREFECT_HOME=str(home),
                   PREFECT_SERVER_ANALYTICS_ENABLED="false")
        yield env


def pytest_collection_modifyitems(items):
    """Under pytest-xdist (`make test`), send every test of the real `prefect server start`
    to one worker (`--dist loadgroup`): one such server per run, not one per worker."""
    for item in items:
        if "prefect_server" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.xdist_group("prefect_server"))
