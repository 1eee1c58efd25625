"""Helpers for tests that run the real `mediawatch` console script in subprocesses."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

# The console script installed beside the interpreter running the tests (.venv/bin).
MEDIAWATCH = Path(sys.executable).with_name("mediawatch")
# Sentences that each tag a known theme; every generated article carries all of them, so
# every article of a fully loaded batch has the same number of tags.
TAGGED_TEXT = (
    "India took delivery of another S-400 missile squadron from Russia. "
    "Indian refiners bought more Russian crude oil at a discount this month. "
)


def cli_env(prefect_home: Path, api_url: str | None = None, **extra: str) -> dict[str, str]:
    """Return the environment of a CLI subprocess: its own PREFECT_HOME, none of the settings
    an in-process CLI call of an earlier test may have left in os.environ.

    `api_url`: the session's Prefect API (conftest's `prefect_api_url`), for tests of
    something other than the temporary server; None (no API URL): each command starts its
    own temporary Prefect server, as a user's does.
    """
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("PREFECT_API_", "PREFECT_LOGGING_", "MEDIAWATCH_"))}
    env.update(PREFECT_HOME=str(prefect_home), PREFECT_SERVER_ANALYTICS_ENABLED="false",
               COLUMNS="200", **extra)
    if api_url:
        env["PREFECT_API_URL"] = api_url
    return env


def start(args: list[str], env: dict[str, str]) -> subprocess.Popen:
    """Start `mediawatch ARGS` in its own process group; stdout and stderr are captured."""
    return subprocess.Popen([str(MEDIAWATCH), *args], env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, start_new_session=True)


def run(args: list[str], env: dict[str, str], timeout_s: float = 300) -> subprocess.CompletedProcess:
    """Run `mediawatch ARGS` to the end and return its exit code and output."""
    return subprocess.run([str(MEDIAWATCH), *args], env=env, capture_output=True, text=True,
                          timeout=timeout_s, check=False)


def write_jsonl(path: Path, n: int, start_at: int = 0) -> Path:
    """Write `n` distinct articles (ids art-<i>) as one JSONL seed file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as handle:
        for i in range(start_at, start_at + n):
            record = {"id": f"art-{i}", "title": f"Delivery report {i}",
                      "text": f"{TAGGED_TEXT}Report number {i} of the series.",
                      "published_at": f"2024-07-{1 + i % 28:02d}T08:00:00Z", "source": "Wire"}
            handle.write(json.dumps(record) + "\n")
    return path


def clean_output(text: str) -> bool:
    """Return True when a console output has no traceback and no ERROR line."""
    return "Traceback" not in text and "ERROR" not in text
