"""Prefect flows and the `mediawatch` CLI: orchestration only, over extractors/ and warehouse/."""

import os

# Prefect reads its settings when first imported, so these defaults are set here, before
# any module of this package imports it. Each can still be overridden from the environment.
# - Telemetry cannot reach its host from an offline machine and would log an ERROR.
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
