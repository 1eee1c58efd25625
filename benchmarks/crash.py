"""kill -9 half-way through a JSONL ingest, then rerun: every article exactly once.

Usage: .venv/bin/python benchmarks/crash.py [N_ARTICLES] [BATCH_SIZE]   (default 20000 500)

Runs the real `mediawatch` console script in a subprocess on a generated seed file in a
temporary folder, SIGKILLs it once half of the batches are loaded, inspects the warehouse
(only whole batches, every article with its tags), reruns, and prints the figures.
"""

from __future__ import annotations

import os
import signal
import sys
import tempfile
import time
from pathlib import Path

import duckdb

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from tests.flows import cli_process as cli  # imported after the path is set

from flows.ingest import BATCH_COMMITTED  # noqa: E402 - the line the load task logs per commit


def warehouse_state(db: Path) -> dict:
    """Return article, tag and run counts, and whether every article has the same tag count."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        articles, distinct = con.execute(
            "select count(*), count(distinct article_id) from articles").fetchone()
        tags, orphans = con.execute(
            "select count(*), count(*) filter (where article_id not in (select article_id from articles))"
            " from article_themes").fetchone()
        lo, hi = con.execute(
            "select min(n), max(n) from (select count(t.theme) as n from articles a"
            " left join article_themes t using (article_id) group by a.article_id)").fetchone()
        runs = con.execute("select status from runs order by started_at").fetchall()
        # what the search index covers: the documents of the stored articles, no other
        indexed = con.execute(
            "select count(*) filter (where name in (select article_id from articles)),"
            " count(*) from fts_main_articles.docs").fetchone()
    finally:
        con.close()
    return {"articles": articles, "distinct": distinct, "tags": tags, "orphan_tags": orphans,
            "tags_per_article": (lo, hi), "runs": [r[0] for r in runs], "indexed": indexed}


def descendants(pid: int) -> set[int]:
    """Return the pids of every process under `pid` (Linux /proc), whatever their session."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            children.setdefault(int(stat.rsplit(")", 1)[1].split()[1]), []).append(int(entry.name))
    found, stack = set(), [pid]
    while stack:
        for child in children.get(stack.pop(), []):
            found.add(child)
            stack.append(child)
    return found


def still_running(pids: set[int]) -> list[int]:
    """Return those of `pids` that are still running (not gone, not zombies)."""
    alive = []
    for pid in pids:
        try:
            if Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z":
                alive.append(pid)
        except OSError:
            pass
    return alive


def crash_and_rerun(workdir: Path, n: int, batch_size: int, kill_after_loads: int,
                    rerun_api_url: str | None = None) -> dict:
    """Ingest `n` articles, SIGKILL after `kill_after_loads` batch loads, rerun; return figures.

    Both runs start their temporary Prefect server, unless `rerun_api_url` names a running
    one for the rerun (the tests': what the rerun shows is the warehouse's)."""
    seeds = workdir / "seeds"
    cli.write_jsonl(seeds / "wire.jsonl", n)
    db = workdir / "wh" / "mw.duckdb"
    env = cli.cli_env(workdir / "prefect-home")
    args = ["-v", "ingest", "--seeds", str(seeds), "--db", str(db), "--batch-size", str(batch_size)]
    t0 = time.perf_counter()
    proc = cli.start(args, env)
    done = 0
    for line in proc.stderr:
        # The load task says when its batch is committed; extraction may run batches ahead.
        done += BATCH_COMMITTED in line
        if done >= kill_after_loads:
            break
    # Land inside the next batch's extract or load rather than right after a commit.
    time.sleep(0.3)
    started = descendants(proc.pid)  # the server, its watchdog, the extraction processes
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    killed_at_s = time.perf_counter() - t0
    # The killed run's Prefect server should be stopped by its watchdog within seconds.
    deadline = time.monotonic() + 15
    while (orphans := still_running(started)) and time.monotonic() < deadline:
        time.sleep(0.2)
    cleanup_s = time.perf_counter() - t0 - killed_at_s
    for pid in orphans:  # processes we started, still there: count them, then end them
        os.kill(pid, signal.SIGKILL)
    proc.stderr.close()
    proc.stdout.close()
    after_kill = warehouse_state(db)
    t1 = time.perf_counter()
    rerun = cli.run(["ingest", "--seeds", str(seeds), "--db", str(db), "--batch-size",
                     str(batch_size)],
                    {**env, "PREFECT_API_URL": rerun_api_url} if rerun_api_url else env,
                    timeout_s=1800)
    rerun_s = time.perf_counter() - t1
    return {"killed_at_s": round(killed_at_s, 1), "after_kill": after_kill,
            "orphan_processes_after_kill": len(orphans),
            "orphans_gone_after_s": round(cleanup_s, 1), "rerun_exit": rerun.returncode,
            "rerun_stderr": rerun.stderr.strip(), "rerun_s": round(rerun_s, 1),
            "final": warehouse_state(db)}


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 20_000
    batch_size = int(sys.argv[2]) if len(sys.argv) > 2 else 500
    batches = -(-n // batch_size)
    with tempfile.TemporaryDirectory(prefix="mw-crash-") as tmp:
        result = crash_and_rerun(Path(tmp), n, batch_size, kill_after_loads=batches // 2)
    a, f = result["after_kill"], result["final"]
    print(f"articles in the seed file: {n} in {batches} batches of {batch_size}")
    print(f"killed (SIGKILL) after {result['killed_at_s']} s: {a['articles']} articles stored "
          f"({a['articles'] / batch_size:g} batches), tags per article {a['tags_per_article']}, "
          f"orphan tags {a['orphan_tags']}, runs {a['runs']}, indexed {a['indexed'][1]}")
    print(f"processes left behind by the killed run: {result['orphan_processes_after_kill']} "
          f"(after {result['orphans_gone_after_s']} s)")
    print(f"rerun: exit {result['rerun_exit']} in {result['rerun_s']} s: "
          f"{result['rerun_stderr'].splitlines()[-1] if result['rerun_stderr'] else ''}")
    print(f"final: {f['articles']} articles ({f['distinct']} distinct), tags per article "
          f"{f['tags_per_article']}, orphan tags {f['orphan_tags']}, runs {f['runs']}, "
          f"indexed {f['indexed'][1]}")
    ok = (f["articles"] == f["distinct"] == n and a["articles"] % batch_size == 0
          and a["indexed"] == (a["articles"],) * 2 and f["indexed"] == (n, n)
          and f["orphan_tags"] == a["orphan_tags"] == 0
          and result["orphan_processes_after_kill"] == 0
          and f["tags_per_article"][0] == f["tags_per_article"][1] > 0)
    print("OK: every article exactly once, no half-written batch, index in step" if ok
          else "FAILED")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
