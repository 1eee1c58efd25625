"""Import every runtime dependency, so a broken install fails before the tests start.

(pip 23.x once produced a trafilatura that failed on import; this catches that class of error
with a message naming the package.)
"""

import importlib
import sys

MODULES = ["prefect", "feedparser", "trafilatura", "duckdb", "duckdb_extension_fts", "duckdb_cli",
           "duckdb_extension_ducklake",
           "pyarrow",
           "simplemma", "pymorphy3", "ahocorasick", "vaderSentiment.vaderSentiment", "jinja2",
           "httpx", "courlan", "ftfy", "numpy", "sklearn", "scipy", "snowballstemmer",
           "charset_normalizer", "lxml.html.clean", "htmldate", "pytest",
           "extractors", "warehouse", "flows.cli"]

broken = []
for name in MODULES:
    try:
        importlib.import_module(name)
    except Exception as exc:  # noqa: BLE001 - report every broken import, not just the first
        broken.append(f"{name}: {type(exc).__name__}: {exc}")
if broken:
    print("broken installation (rm -rf .venv and run make test again):", *broken, sep="\n  ")
    sys.exit(1)
print(f"imports ok: {len(MODULES)} modules")
