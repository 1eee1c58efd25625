"""Child processes for integration tests: each in its own process group, always cleaned up."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT

PREFECT = [sys.executable, "-m", "prefect"]
MEDIAWATCH = [sys.executable, "-m", "flows.cli"]


def kill_group(process: subprocess.Popen) -> None:
    """SIGKILL whatever is left of `process`'s group (grandchildren such as flow runs)."""
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    if process.poll() is None:
        process.wait(timeout=10)


def run(args: list[str], env: dict, cwd: Path = ROOT, timeout_s: float = 120
        ) -> subprocess.CompletedProcess:
    """Run `args` to completion; fail the test with its output if it takes over `timeout_s`."""
    process = subprocess.Popen(args, env=env, cwd=cwd, stdin=subprocess.DEVNULL,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               start_new_session=True)
    try:
        out, err = process.communicate(timeout=timeout_s)
    except subprocess.TimeoutExpired:
        kill_group(process)
        out, err = process.communicate()
        raise AssertionError(f"{args} still running after {timeout_s} s\n{out}\n{err}")
    finally:
        kill_group(process)
    return subprocess.CompletedProcess(args, process.returncode, out, err)
