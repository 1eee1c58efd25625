"""What a rerun costs when no seed changed, and when one JSONL line did (the seed cache).

Writes a seed folder of --n documents from the real texts in ../shared/corpus: 1 in 11 an
.html page of the extraction benchmark (as a file of its own), the rest JSONL records in
files of 1,000 (realmix articles and NYT headline summaries, each under its own id). Then
runs `mediawatch ingest` into a fresh warehouse three times: the first run, a rerun with
nothing changed, and a rerun after one JSONL line was edited. Prints the wall times, the
rerun's share of the first run (target <= 10%) and what each run stored.

    .venv/bin/python benchmarks/seed_rerun.py [--n 11000]

Prefect's start-up is inside the first and the edited run; a rerun with nothing to do
records itself without starting Prefect (flows/nothing_new.py), and pays Python's.
Timings depend on the machine and its load (a shared machine: read the ratio).
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus"
MEDIAWATCH = Path(sys.executable).with_name("mediawatch")
PER_FILE = 1_000


def records() -> list[dict]:
    """Return the corpus texts as seed records (title, text, source, language)."""
    found = []
    for name in ("realmix-dev-en.jsonl", "realmix-dev-ru.jsonl", "dev.jsonl"):
        for line in (CORPUS / "themes" / name).open(encoding="utf-8"):
            row = json.loads(line)
            found.append({"title": row["title"], "text": row["text"],
                          "source": row.get("source") or "NYT",
                          "language": row.get("language") or "en"})
    return found


def write_seeds(folder: Path, n: int) -> Path:
    """Write `n` seed documents into `folder`; return the first JSONL file."""
    pages = sorted((CORPUS / "extraction" / "html").glob("*.html.gz"))
    texts = records()
    n_html = n // 11
    for i in range(n_html):
        html = gzip.decompress(pages[i % len(pages)].read_bytes())
        (folder / f"page{i:05d}.html").write_bytes(html + f"<!-- copy {i} -->".encode())
    n_jsonl = n - n_html
    for start in range(0, n_jsonl, PER_FILE):
        with (folder / f"wire{start // PER_FILE:03d}.jsonl").open("w", encoding="utf-8") as out:
            for i in range(start, min(start + PER_FILE, n_jsonl)):
                base = texts[i % len(texts)]
                # a distinct article each time the texts come round again
                record = {**base, "id": f"r{i}", "text": f"{base['text']} (item {i})",
                          "published_at": f"2026-0{1 + i % 9}-{1 + i % 28:02d}T08:00:00Z"}
                out.write(json.dumps(record, ensure_ascii=False) + "\n")
    return folder / "wire000.jsonl"


def ingest(seeds: Path, db: Path, env: dict) -> tuple[float, str]:
    """Run `mediawatch ingest`; return its wall time and its summary line."""
    t0 = time.perf_counter()
    done = subprocess.run([str(MEDIAWATCH), "ingest", "--seeds", str(seeds), "--db", str(db)],
                          env=env, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - t0
    if done.returncode:
        sys.exit(f"ingest failed ({done.returncode}): {done.stderr[-2000:]}")
    summary = next((line for line in done.stderr.splitlines() if "documents read" in line), "")
    return wall, re.sub(r"\s+->.*", "", summary.strip())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=11_000, help="seed documents")
    args = parser.parse_args()
    if not CORPUS.exists():
        print(f"skipped: no corpus at {CORPUS}")
        return 0
    with tempfile.TemporaryDirectory(prefix="mw-seed-rerun-") as tmp:
        seeds, db = Path(tmp) / "seeds", Path(tmp) / "mw.duckdb"
        seeds.mkdir()
        first_jsonl = write_seeds(seeds, args.n)
        env = {**os.environ, "PREFECT_HOME": str(Path(tmp) / "prefect"),
               "MEDIAWATCH_SEEDS": str(seeds), "PREFECT_SERVER_ANALYTICS_ENABLED": "false"}
        print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} "
              "(shared machine: figures are noisy)")
        first, first_summary = ingest(seeds, db, env)
        again, again_summary = ingest(seeds, db, env)
        lines = first_jsonl.read_text(encoding="utf-8").splitlines()
        record = json.loads(lines[7])
        lines[7] = json.dumps({**record, "text": record["text"] + " Corrected."},
                              ensure_ascii=False)
        first_jsonl.write_text("\n".join(lines) + "\n", encoding="utf-8")
        edited, edited_summary = ingest(seeds, db, env)
    print(f"| run | wall s | share of the first | summary |\n| --- | --- | --- | --- |")
    for name, wall, summary in (("first", first, first_summary),
                                ("nothing changed", again, again_summary),
                                ("one JSONL line edited", edited, edited_summary)):
        print(f"| {name} | {wall:.1f} | {wall / first:.1%} | {summary} |")
    print(json.dumps({"n": args.n, "first_s": round(first, 2), "rerun_s": round(again, 2),
                      "rerun_share": round(again / first, 4), "edited_s": round(edited, 2)}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
