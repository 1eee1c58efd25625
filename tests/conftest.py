"""Shared fixtures: a Prefect test harness for flow tests, temporary warehouses, seeds."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
# The console's width, read once when flows/console.py is imported: without it, it is the
# terminal's width in a terminal and 80 in an xdist worker or CI (no terminal), where the
# `status` table elides what tests look for. 200, as the CLI subprocess tests set it.
os.environ.setdefault("COLUMNS", "200")

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


# Under pytest-xdist (`make test`), one real `prefect server start` for the whole run, owned
# by the controller process; "URL HOME" in this variable tells the workers where it is. Each
# worker starting its own harness server (and the scheduler tests a second one) cost ~20-70 s
# of wall and ~15 s of CPU each on the shared 2-core machine.
RUN_SERVER = "MEDIAWATCH_TEST_PREFECT_SERVER"
# A Prefect database with every migration applied, made once a run (the controller's, before
# its server starts on a copy; a plain run's at first use): the `migrated_prefect_home`
# fixture copies it for tests of a command's temporary server whose subject is not the
# migration of a fresh PREFECT_HOME (~10 s of CPU a command saved).
MIGRATED_DB = "MEDIAWATCH_TEST_PREFECT_DB"


def migrate_prefect_db(dest: Path) -> None:
    """Write a fully migrated Prefect SQLite database to `dest` (atomically: it appears
    whole or not at all)."""
    import subprocess
    import sys

    home = dest.with_name(dest.name + ".home")
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")}
    env.update(PREFECT_HOME=str(home), PREFECT_SERVER_ANALYTICS_ENABLED="false")
    subprocess.run([sys.executable, "-m", "prefect", "server", "database", "upgrade", "-y"],
                   env=env, check=True, capture_output=True, timeout=300)
    os.replace(home / "prefect.db", dest)


def pytest_configure(config):
    """In the xdist controller: start the run's Prefect server in the background."""
    if getattr(config, "workerinput", None) is not None or not getattr(
            config.option, "numprocesses", None):
        return  # a worker, or a plain run: the fixtures below start their own
    import tempfile
    import threading

    from flows.prefect_server import PrefectServer, free_port

    home = Path(tempfile.mkdtemp(prefix="mediawatch-test-prefect-"))
    port, stop = free_port(), threading.Event()

    migrated = home / "migrated-prefect.db"

    def serve():
        import shutil

        # the run's server starts on a copy of the migrated database (the workers wait
        # for both; a failure shows in their waits)
        try:
            migrate_prefect_db(migrated)
            shutil.copyfile(migrated, home / "prefect.db")
        except Exception:  # noqa: BLE001 - the server migrates its own; fixtures wait
            pass
        # API only, as the temporary API of a command and Prefect's test harness (a plain
        # run's) run it: no UI, and none of the services that poll for schedules and late
        # runs (~2% of a core all run long; no test here schedules on it)
        server = PrefectServer(port, home=home, api_only=True, timeout_s=300).launch()
        # workers wait for /health themselves (run_server()); a server that never answers
        # fails their Prefect tests with its log's path
        try:
            server.wait()
            stop.wait()
        except Exception:  # noqa: BLE001 - reported by the workers' health wait
            pass
        finally:
            server.stop()

    thread = threading.Thread(target=serve, name="prefect-server", daemon=True)
    thread.start()
    config._mediawatch_server = (stop, thread, home)
    os.environ[RUN_SERVER] = f"http://127.0.0.1:{port}/api {home}"
    os.environ[MIGRATED_DB] = str(migrated)


def pytest_unconfigure(config):
    """Stop the run's Prefect server (the controller's) and remove its home."""
    server = getattr(config, "_mediawatch_server", None)
    if server is not None:
        import shutil

        stop, thread, home = server
        stop.set()
        thread.join(timeout=30)
        shutil.rmtree(home, ignore_errors=True)
        os.environ.pop(RUN_SERVER, None)
        os.environ.pop(MIGRATED_DB, None)


def run_server() -> tuple[str, Path] | None:
    """Return (API URL, PREFECT_HOME) of the run's shared server once it answers; None when
    there is none (a plain `pytest` run)."""
    if not os.environ.get(RUN_SERVER):
        return None
    import time

    import httpx

    url, home = os.environ[RUN_SERVER].split(" ", 1)
    deadline = time.monotonic() + 300
    while True:
        try:
            if httpx.get(f"{url}/health", timeout=2).status_code == 200:
                return url, Path(home)
        except httpx.HTTPError:
            pass
        if time.monotonic() > deadline:
            pytest.fail(f"the run's Prefect server at {url} did not answer in 300 s; see "
                        f"{home}/mediawatch-server.log", pytrace=False)
        time.sleep(0.5)


@pytest.fixture(scope="session")
def prefect_harness():
    """Run flows in this process against a temporary Prefect API (one per test session;
    under xdist, the run's shared server).

    PREFECT_API_URL is also set in os.environ: an in-process `mediawatch` call (`main([...])`)
    reads it there, and would otherwise start a temporary server of its own (~30 s on a
    loaded machine) for what the test calls it for.
    """
    from prefect.settings import PREFECT_API_URL, get_current_settings, temporary_settings
    from prefect.testing.utilities import prefect_test_harness

    shared = run_server()
    harness = (temporary_settings(updates={PREFECT_API_URL: shared[0]}) if shared
               else prefect_test_harness(server_startup_timeout=120))
    with harness, pytest.MonkeyPatch.context() as env:
        env.setenv("PREFECT_API_URL", str(get_current_settings().api.url))
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


@pytest.fixture(scope="session")
def migrated_prefect_db(tmp_path_factory) -> Path:
    """The run's migrated Prefect database (MIGRATED_DB), or this session's own."""
    import time

    if os.environ.get(MIGRATED_DB):
        path, deadline = Path(os.environ[MIGRATED_DB]), time.monotonic() + 300
        while not path.exists():
            if time.monotonic() > deadline:
                pytest.fail(f"the run's migrated Prefect database {path} did not appear in "
                            "300 s", pytrace=False)
            time.sleep(0.5)
        return path
    path = tmp_path_factory.mktemp("migrated") / "prefect.db"
    migrate_prefect_db(path)
    return path


@pytest.fixture
def migrated_prefect_home(tmp_path, migrated_prefect_db) -> Path:
    """tmp_path/prefect-home holding a copy of a migrated Prefect database: a command's
    temporary server starts on it as on a user's PREFECT_HOME after the first run."""
    import shutil

    home = tmp_path / "prefect-home"
    home.mkdir()
    shutil.copyfile(migrated_prefect_db, home / "prefect.db")
    return home


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    """A path for a fresh DuckDB warehouse file."""
    return tmp_path / "warehouse" / "mediawatch.duckdb"


_WHOLE_SERVER: dict = {}  # while prefect_server's server runs: its "env" and "stop" (ExitStack)


@pytest.fixture
def prefect_server(tmp_path_factory, migrated_prefect_db):
    """A real `prefect server start` on 127.0.0.1 with its own PREFECT_HOME (a copy of the
    migrated database), for a row of tests: started by the first test that asks for it,
    stopped after the last (pytest_runtest_teardown), not left to idle to the end of the
    session (its scheduler and services cost ~4% of a core).

    Returns the environment a client process needs to use it (PREFECT_API_URL and
    PREFECT_HOME set, no MEDIAWATCH_* overrides from the caller's shell).
    """
    import shutil
    from contextlib import ExitStack

    from flows.prefect_server import local_prefect_server

    # Its own server even under xdist: on the run's shared one, busy with every worker's
    # flows, `serve`'s per-minute schedule made one run in 150 s instead of two (twice).
    if not _WHOLE_SERVER:
        home = tmp_path_factory.mktemp("prefect-home")
        shutil.copyfile(migrated_prefect_db, home / "prefect.db")
        with ExitStack() as stack:
            api_url = stack.enter_context(local_prefect_server(home=home, timeout_s=180))
            env = {k: v for k, v in os.environ.items() if not k.startswith("MEDIAWATCH_")}
            env.update(PREFECT_API_URL=api_url, PREFECT_HOME=str(home),
                       PREFECT_SERVER_ANALYTICS_ENABLED="false")
            _WHOLE_SERVER.update(env=env, stop=stack.pop_all())
    return dict(_WHOLE_SERVER["env"])


def pytest_runtest_teardown(item, nextitem):
    """Stop prefect_server's server when the next test does not use it (or there is none)."""
    if _WHOLE_SERVER and "prefect_server" not in getattr(nextitem, "fixturenames", ()):
        _WHOLE_SERVER.pop("stop").close()
        _WHOLE_SERVER.clear()


# Under pytest-xdist (`make test`: `--dist loadfile`) a test file is one unit of work, so a
# module fixture runs once (test_ingest_page_faults.py's two ingests cost ~14 s of CPU a
# worker) and the files below also share one worker: their tests use `prefect_server`, one
# whole Prefect server for the pair. The `xdist_group` mark that did this before did
# nothing here: pytest-xdist 3.8 renames `item._nodeid`, which pytest 9.2 no longer reads.
SAME_WORKER = {"tests/flows/test_serve.py": "prefect_server",
               "tests/deploy/test_prefect_yaml.py": "prefect_server"}


@pytest.hookimpl(optionalhook=True)  # `-p no:xdist` runs the suite without it
def pytest_xdist_make_scheduler(config, log):
    """`--dist loadfile`, with the SAME_WORKER files as one unit."""
    if config.getvalue("dist") != "loadfile":
        return None
    from xdist.scheduler import LoadFileScheduling

    class LoadFileAndGroups(LoadFileScheduling):
        def _split_scope(self, nodeid: str) -> str:
            path = super()._split_scope(nodeid)
            return SAME_WORKER.get(path, path)

    return LoadFileAndGroups(config, log)


def pytest_collection_modifyitems(config, items):
    """Check that every file using `prefect_server` is in SAME_WORKER; under pytest-xdist,
    hand out the slow tests first (with `--no-loadscope-reorder`, a file's place is that of
    its first test), so that the minute-long ones do not end the run on one worker while
    the others wait."""
    for item in items:
        path = item.nodeid.split("::", 1)[0]
        if "prefect_server" in getattr(item, "fixturenames", ()) and path not in SAME_WORKER:
            raise pytest.UsageError(f"{path} uses the prefect_server fixture: add it to "
                                    "SAME_WORKER in tests/conftest.py")
    if getattr(config.option, "numprocesses", None) or getattr(config, "workerinput", None):
        items.sort(key=lambda item: item.get_closest_marker("slow") is None)  # stable
