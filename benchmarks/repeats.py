"""A real corpus full of repeated URLs ingests in one go: each URL stored once, exit 0.

Usage: .venv/bin/python benchmarks/repeats.py [N_LINES] [N_REPEATS] [BATCH_SIZE]
       (default 11000 1400 500: the size of the outside run in issue #21)

Builds two JSONL seed files in a temporary folder from the real headlines of
/work/shared/corpus/stories/dev.jsonl (2,989 records with URLs; read at run time, never
copied into the repository): distinct articles up to N_LINES - N_REPEATS lines (a headline
used again gets its own URL path suffix, as a syndicated copy would), then N_REPEATS lines
that repeat a URL already used: half exact duplicate lines, half the same URL with tracking
parameters, another id and another title, spread over both files so that they meet within
a batch, across batches and across files. Runs the real `mediawatch ingest` console script
and prints the exit code, the summary line, and whether each canonical URL is one row.
"""

from __future__ import annotations

import json
import random
import sys
import tempfile
import time
from pathlib import Path

import duckdb

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from extractors.keys import url_key  # noqa: E402 - imported after the path is set
from tests.flows import cli_process as cli  # noqa: E402

CORPUS = ROOT.parent / "shared" / "corpus" / "stories" / "dev.jsonl"


def build(folder: Path, n_lines: int, n_repeats: int, seed: int = 21) -> set[str]:
    """Write a.jsonl and b.jsonl under `folder`; return the canonical URLs they hold."""
    rng = random.Random(seed)
    real = [json.loads(line) for line in CORPUS.open(encoding="utf-8") if line.strip()]
    distinct = []
    for i in range(n_lines - n_repeats):
        record = dict(real[i % len(real)])
        copy = i // len(real)
        if copy:  # a headline used again: another article page of the same story
            record["url"] = f"{record['url'].rstrip('/')}/copy-{copy}"
            record["id"] = f"{record['id']}-copy-{copy}"
        distinct.append(record)
    repeats = []
    for j in range(n_repeats):
        original = rng.choice(distinct)
        if j % 2:
            repeats.append(dict(original))  # an exact duplicate line
        else:
            repeats.append({**original, "id": f"{original['id']}-again-{j}",
                            "title": f"{original['title']} (updated)",
                            "url": original["url"] + ("&" if "?" in original["url"] else "?")
                            + "utm_source=aggregator"})
    lines = distinct + repeats
    rng.shuffle(lines)  # repeats land in the same batch, later batches and the other file
    half = len(lines) // 2
    for name, part in (("a.jsonl", lines[:half]), ("b.jsonl", lines[half:])):
        with (folder / name).open("w", encoding="utf-8") as handle:
            handle.writelines(json.dumps(r, ensure_ascii=False) + "\n" for r in part)
    return {url_key(r["url"]) for r in lines}


def main() -> int:
    given = sys.argv[1:]
    n_lines, n_repeats, batch = (int(given[i]) if i < len(given) else default
                                 for i, default in enumerate((11000, 1400, 500)))
    with tempfile.TemporaryDirectory(prefix="mw-repeats-") as tmp:
        seeds = Path(tmp) / "seeds"
        seeds.mkdir()
        urls = build(seeds, n_lines, n_repeats)
        db = Path(tmp) / "repeats.duckdb"
        env = cli.cli_env(Path(tmp) / "prefect", MEDIAWATCH_SEEDS=str(seeds),
                          MEDIAWATCH_EXTRACT_WORKERS="2")
        t0 = time.perf_counter()
        done = cli.run(["ingest", "--seeds", str(seeds), "--db", str(db),
                        "--batch-size", str(batch)], env, timeout_s=1800)
        elapsed = time.perf_counter() - t0
        summary = next((line for line in done.stderr.splitlines() if line.startswith("ingest ")),
                       done.stderr[-2000:])
        con = duckdb.connect(str(db), read_only=True)
        try:
            rows, keys = con.execute("select count(*), count(distinct key) from articles").fetchone()
            stored_urls = {u for (u,) in con.execute("select key from articles").fetchall()}
        finally:
            con.close()
    print(f"lines {n_lines} ({n_repeats} repeat a URL), distinct canonical URLs {len(urls)}, "
          f"batch size {batch}")
    print(f"exit code {done.returncode} in {elapsed:.1f} s (wall, shared machine)")
    print(summary)
    print(f"articles {rows}, distinct keys {keys}, every URL once: "
          f"{rows == keys == len(urls) and stored_urls == urls}")
    print(f"clean console (no traceback, no ERROR): {cli.clean_output(done.stderr + done.stdout)}")
    return 0 if done.returncode == 0 and rows == len(urls) else 1


if __name__ == "__main__":
    sys.exit(main())
