"""Run inside an extraction process by tests: imports nothing of its own."""

import sys


def heavy_modules() -> list[str]:
    """Return which of the big packages this process has imported."""
    return sorted(m for m in ("duckdb", "prefect", "pyarrow") if m in sys.modules)
