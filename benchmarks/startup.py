"""What a `mediawatch` command costs before its work: importing the CLI, `--help`, `status`,
and an ingest with nothing to read (the temporary Prefect server's start included).

    .venv/bin/python benchmarks/startup.py [--runs 5]

Each figure is the fastest of --runs (the machine is shared: the minimum is the least noisy),
with the CPU seconds of the command and its children beside the wall time. The empty ingest
runs once on a fresh PREFECT_HOME (the server migrates its SQLite database) and then on the
warm one; extraction processes are off (MEDIAWATCH_EXTRACT_WORKERS=1), so what is timed is
Python, Prefect and the server.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MEDIAWATCH = str(Path(sys.executable).with_name("mediawatch"))


def timed(args: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Run `args` to the end; return (wall s, CPU s of it and its children)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run(args, env=env, cwd=ROOT, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise SystemExit(f"{args} failed ({done.returncode}):\n{done.stderr[-2000:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def best(args: list[str], env: dict[str, str], runs: int) -> tuple[float, float]:
    """Return the fastest (wall, CPU) of `runs` runs."""
    return min(timed(args, env) for _ in range(runs))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    runs = parser.parse_args().runs
    with tempfile.TemporaryDirectory(prefix="mw-startup-") as tmp:
        tmp = Path(tmp)
        env = {k: v for k, v in os.environ.items()
               if not k.startswith(("PREFECT_API_", "MEDIAWATCH_"))}
        env.update(PREFECT_HOME=str(tmp / "prefect"), MEDIAWATCH_DB=str(tmp / "mw.duckdb"),
                   MEDIAWATCH_SEEDS=str(tmp / "seeds"), MEDIAWATCH_EXTRACT_WORKERS="1",
                   PREFECT_SERVER_ANALYTICS_ENABLED="false")
        (tmp / "seeds").mkdir()
        modules = subprocess.run(
            [sys.executable, "-c", "import sys; n = len(sys.modules); import flows.cli; "
             "print(len(sys.modules) - n)"], env=env, capture_output=True, text=True,
            check=True).stdout.strip()
        rows = [("import flows.cli", *best([sys.executable, "-c", "import flows.cli"], env, runs)),
                ("mediawatch --help", *best([MEDIAWATCH, "--help"], env, runs))]
        feeds = tmp / "feeds.toml"
        feeds.write_text("", encoding="utf-8")
        ingest = [MEDIAWATCH, "ingest", "--feeds", str(feeds)]
        rows.append(("ingest, nothing to read, fresh PREFECT_HOME", *timed(ingest, env)))
        rows.append(("ingest, nothing to read, warm PREFECT_HOME", *best(ingest, env, runs)))
        rows.append(("mediawatch status", *best([MEDIAWATCH, "status"], env, runs)))
    print(f"fastest of {runs} runs; load average {os.getloadavg()[0]:.1f} on "
          f"{os.cpu_count()} CPUs; flows.cli imports {modules} modules")
    for name, wall, cpu in rows:
        print(f"{name:46} {wall:6.2f} s wall {cpu:6.2f} s CPU")


if __name__ == "__main__":
    main()
