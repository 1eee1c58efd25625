"""End-to-end ingest throughput against single-process plain trafilatura, on 2 cores.

Serves N pages (real news pages from ../shared/corpus/extraction/html, or --pages DIR,
cycled under unique URLs) from a loopback site with RSS feeds, runs `mediawatch ingest`
end to end into a fresh DuckDB file, runs it again with nothing new, and times plain
`trafilatura.extract` over the same bytes in this process. Prints time per stage,
articles/s, the ratio to the baseline, peak RSS of the ingest's process tree, CPU seconds
per process, the number of Prefect task runs, and the rerun time. The last line is one JSON
object with those figures.

Prefect's start-up (its temporary API server, the flow run) is inside every timed run; an
ingest with nothing to read is timed too (`empty_run_s`), and `ratio_after_startup` is the
ratio with that fixed cost taken out (what the ratio tends to as N grows). The
one-time creation of a new Prefect home (its database migrations, ~3 s, as on a machine's
first ever run) is done before timing and reported apart (`prefect_home_setup_s`).

    .venv/bin/python benchmarks/pipeline.py --n 4000
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import duckdb

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_PAGES = ROOT.parent / "shared" / "corpus" / "extraction" / "html"
sys.path.insert(0, str(ROOT / "benchmarks"))
from loopback_site import load_pages  # noqa: E402

TARGETS = {"rerun_share": 0.25, "peak_rss_mb": 1024, "task_runs_per_100_articles": 1.0}


def ratio_target(n: int) -> float:
    """The regression guard of issue #20 (the 1.6x of issue #8 is retired): >= 1.2x at
    N = 4,000 and >= 1.4x from N = 20,000, where Prefect's fixed start-up weighs less."""
    return 1.4 if n >= 20_000 else 1.2


def tree_pids(pid: int) -> list[int]:
    """Return a process and all its descendants."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as f:
                    ppid = int(f.read().rsplit(")", 1)[1].split()[1])
                children.setdefault(ppid, []).append(int(entry))
            except (OSError, IndexError, ValueError):
                continue
    found, stack = [], [pid]
    while stack:
        p = stack.pop()
        found.append(p)
        stack.extend(children.get(p, []))
    return found


def tree_rss_mb(pid: int) -> float:
    """Return the resident memory of a process and all its descendants, in MB."""
    total_kb = 0
    for p in tree_pids(pid):
        try:
            with open(f"/proc/{p}/status") as f:
                for line in f:
                    if line.startswith("VmRSS:"):
                        total_kb += int(line.split()[1])
        except OSError:
            pass
    return total_kb / 1024


def role(pid: int, root: int) -> str:
    """Name what a process of the ingest's tree does, from its command line."""
    if pid == root:
        return "cli"
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            cmdline = f.read()
    except OSError:
        return "other"
    if b"uvicorn" in cmdline:
        return "prefect_server"
    if b"spawn_main" in cmdline:
        return "extraction"
    return "other"


def cpu_seconds(pid: int) -> float:
    """Return the user + system CPU seconds a process has used so far."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return 0.0


def run_measured(cmd: list[str], env: dict) -> tuple[float, float, dict, str]:
    """Run `cmd`; return (wall seconds, peak RSS of its process tree in MB, CPU seconds by
    process role, stderr)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            text=True, cwd=ROOT)
    peak = 0.0
    cpu: dict[int, tuple[str, float]] = {}
    stop = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not stop.is_set():
            peak = max(peak, tree_rss_mb(proc.pid))
            for p in tree_pids(proc.pid):
                if p != proc.pid:  # the CLI's own figure is read once it has exited
                    # a process that has just forked or exited shows no command line yet
                    name = role(p, proc.pid)
                    cpu[p] = (cpu[p][0] if name == "other" and p in cpu else name,
                              cpu_seconds(p))
            stop.wait(0.2)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, err = proc.communicate()
    wall = time.perf_counter() - t0
    stop.set()
    sampler.join()
    if proc.returncode != 0:
        sys.exit(f"ingest failed ({proc.returncode}):\n{err}")
    # The whole tree's CPU, exactly: every process in it was waited for by its parent.
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    total = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    by_role: dict[str, float] = {}
    for name, seconds in cpu.values():  # each child's last sample (within 0.2 s of its end)
        by_role[name] = by_role.get(name, 0.0) + seconds
    by_role["cli"] = max(0.0, total - sum(by_role.values()))
    by_role["total"] = total
    return wall, peak, {k: round(v, 1) for k, v in sorted(by_role.items())}, err


def start_site(pages_dir: Path, n: int, per_feed: int) -> tuple[subprocess.Popen, int]:
    site = subprocess.Popen([sys.executable, str(ROOT / "benchmarks" / "loopback_site.py"),
                             "--pages", str(pages_dir), "--n", str(n),
                             "--per-feed", str(per_feed)], stdout=subprocess.PIPE, text=True)
    line = site.stdout.readline().split()
    if not line or line[0] != "READY":
        site.kill()
        sys.exit("the loopback site did not start")
    return site, int(line[1])


def baseline(pages: list[bytes], n: int) -> tuple[float, int]:
    """Return (seconds, pages) of single-process plain trafilatura.extract over the bytes."""
    import trafilatura

    t0 = time.perf_counter()
    for i in range(n):
        trafilatura.extract(pages[i % len(pages)].decode("utf-8", "replace"))
    return time.perf_counter() - t0, n


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=4000, help="articles to serve (default 4000)")
    parser.add_argument("--pages", type=Path, default=DEFAULT_PAGES,
                        help="folder of .html/.html.gz pages (default ../shared corpus)")
    parser.add_argument("--per-feed", type=int, default=500, help="items per feed")
    parser.add_argument("--baseline-pages", type=int, default=0,
                        help="pages timed for the baseline (default: all N)")
    parser.add_argument("--batch-size", type=int, default=0, help="MEDIAWATCH_BATCH_SIZE")
    args = parser.parse_args()
    if not args.pages.is_dir():
        print(f"SKIP: no pages at {args.pages} (pass --pages DIR)")
        return 0
    pages = load_pages(args.pages)
    work = Path(tempfile.mkdtemp(prefix="mw-bench-"))
    site, port = start_site(args.pages, args.n, args.per_feed)
    try:
        feeds = work / "feeds.toml"
        n_feeds = -(-args.n // args.per_feed)
        feeds.write_text("".join(
            f'[[feeds]]\nname = "bench-{k}"\nurl = "http://127.0.0.1:{port}/feed/{k}.xml"\n\n'
            for k in range(n_feeds)))
        (work / "seeds").mkdir()
        db = work / "bench.duckdb"
        env = {**os.environ, "PREFECT_HOME": str(work / "prefect"),
               "MEDIAWATCH_ALLOW_PRIVATE_ADDRESSES": "1", "MEDIAWATCH_HOST_DELAY_S": "0",
               "MEDIAWATCH_PER_HOST_CONCURRENCY": "8", "MEDIAWATCH_RESPECT_ROBOTS": "0"}
        if args.batch_size:
            env["MEDIAWATCH_BATCH_SIZE"] = str(args.batch_size)
        cmd = [str(ROOT / ".venv" / "bin" / "mediawatch"), "ingest", "--seeds",
               str(work / "seeds"), "--feeds", str(feeds), "--db", str(db)]
        # A new Prefect home is migrated once, on a machine's first run; not timed here.
        (work / "empty").mkdir()
        (work / "empty.toml").write_text("")
        t_setup = time.perf_counter()
        run_measured([cmd[0], "ingest", "--seeds", str(work / "empty"), "--feeds",
                      str(work / "empty.toml"), "--db", str(work / "setup.duckdb")], env)
        setup_s = time.perf_counter() - t_setup
        # The fixed cost of any run (Prefect's server, imports, the flow run, the exit): an
        # ingest with nothing to read, on the home just set up.
        empty_wall, _, _, _ = run_measured([cmd[0], "ingest", "--seeds", str(work / "empty"),
                                            "--feeds", str(work / "empty.toml"), "--db",
                                            str(work / "setup.duckdb")], env)
        print(f"ingesting {args.n} pages from {n_feeds} loopback feeds …", file=sys.stderr)
        wall, peak_mb, cpu_s, _ = run_measured(cmd, env)
        rerun_wall, rerun_peak_mb, _, _ = run_measured(cmd, env)
    finally:
        site.terminate()
        site.wait()
    con = duckdb.connect(str(db), read_only=True)
    stored = con.execute("select count(*) from articles").fetchone()[0]
    stage_s = json.loads(con.execute(
        "select stage_s from runs where flow = 'ingest' order by started_at limit 1").fetchone()[0])
    con.close()
    prefect_db = work / "prefect" / "prefect.db"
    with sqlite3.connect(prefect_db) as pdb:
        per_flow_run = [n for _, n in pdb.execute(
            "select f.id, count(t.id) from flow_run f left join task_run t"
            " on t.flow_run_id = f.id group by f.id, f.created order by f.created")]
    timed_runs = per_flow_run[2:]  # after the setup run and the empty run
    task_runs, flow_runs = sum(timed_runs), len(timed_runs)
    first_run_tasks = timed_runs[0] if timed_runs else 0
    timed_pages = args.baseline_pages or args.n
    print(f"baseline: plain trafilatura.extract over {timed_pages} pages, one process …",
          file=sys.stderr)
    base_s, base_n = baseline(pages, timed_pages)
    base_rate = base_n / base_s
    rate = stored / wall
    busy = sum(v for k, v in stage_s.items() if k in {"feed", "dedupe", "load", "wait_extract", "search_index"})
    figures = {
        "n": args.n, "stored": stored, "wall_s": round(wall, 2),
        "articles_per_s": round(rate, 1), "baseline_pages_per_s": round(base_rate, 1),
        "ratio_to_baseline": round(rate / base_rate, 2),
        "empty_run_s": round(empty_wall, 2),
        # the same ratio with the fixed cost of a run taken out: what more articles tend to
        "ratio_after_startup": round(stored / max(wall - empty_wall, 1e-9) / base_rate, 2),
        "stage_s": {**{k: round(v, 2) for k, v in stage_s.items()},
                    "orchestration_and_startup": round(wall - busy, 2)},
        "peak_rss_mb": round(peak_mb), "cpu_s": cpu_s,
        "prefect_home_setup_s": round(setup_s, 2), "rerun_s": round(rerun_wall, 2),
        "rerun_share": round(rerun_wall / wall, 3), "rerun_peak_rss_mb": round(rerun_peak_mb),
        "prefect_task_runs": task_runs, "prefect_flow_runs": flow_runs,
        "task_runs_per_100_articles": round(100 * first_run_tasks / max(stored, 1), 2),
    }
    print(f"\n{'figure':<32}{'value':>12}   target")
    for key in ("stored", "wall_s", "articles_per_s", "baseline_pages_per_s",
                "ratio_to_baseline", "empty_run_s", "ratio_after_startup", "peak_rss_mb", "rerun_s", "rerun_share",
                "prefect_task_runs", "task_runs_per_100_articles"):
        target = ratio_target(figures["n"]) if key == "ratio_to_baseline" else TARGETS.get(key)
        mark = "" if target is None else (f">= {target}" if key == "ratio_to_baseline" else f"<= {target}")
        print(f"{key:<32}{figures[key]:>12}   {mark}")
    print("time per stage (s; extract/tag are CPU seconds summed over worker processes):")
    for stage, seconds in figures["stage_s"].items():
        print(f"  {stage:<30}{seconds:>10}")
    print("CPU seconds by process (2 cores give 2 s per wall second):")
    for name, seconds in cpu_s.items():
        print(f"  {name:<30}{seconds:>10}")
    print(json.dumps(figures))
    return 0


if __name__ == "__main__":
    sys.exit(main())
