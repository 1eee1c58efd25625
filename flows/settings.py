"""Every setting of mediawatch in one registry: name, default, help, MEDIAWATCH_* override."""

from __future__ import annotations

import os
from dataclasses import dataclass


@dataclass(frozen=True)
class Setting:
    """One setting; its environment variable is MEDIAWATCH_<NAME in upper case>."""

    name: str
    default: str | int | float
    help: str

    @property
    def env(self) -> str:
        return f"MEDIAWATCH_{self.name.upper()}"


SETTINGS = (
    Setting("db", "data/mediawatch.duckdb", "DuckDB warehouse file."),
    Setting("seeds", "seeds", "Folder of seed documents (.txt, .md, .html, .jsonl)."),
    Setting("feeds", "seeds/feeds.toml", "TOML list of RSS/Atom feeds to poll."),
    Setting("exports", "exports", "Folder the daily digests are written to."),
    Setting("taxonomy", "", "Theme taxonomy TOML file; empty for the default one."),
    Setting("timezone", "UTC", "Timezone of digest days and schedules (IANA name)."),
    Setting("batch_size", 500, "Articles per extraction/loading batch (one task run each)."),
    Setting("max_seed_file_bytes", 100_000_000, "Seed files larger than this are refused."),
    Setting("lock_wait_s", 30.0, "Seconds to wait for another process's write lock."),
    Setting("network_retries", 3, "Retries of a network task (feed poll, page fetch) after a "
            "transient error (timeout, connection error, 408/425/429/5xx)."),
    Setting("network_retry_delay_s", 2.0, "First retry delay of a network task; each next "
            "one doubles (with 50% jitter)."),
    Setting("lake_catalog", "data/lake/mediawatch.ducklake", "DuckLake catalog `mediawatch "
            "mirror` writes: a DuckDB file, or postgres:<dsn> for many machines."),
    Setting("lake_data_path", "data/lake/files", "Where the DuckLake's Parquet files go (a "
            "folder, or an object store URL such as s3://bucket/mediawatch/)."),
    Setting("serve_port", 0, "Port of the Prefect server `mediawatch serve` starts when "
            "PREFECT_API_URL is unset (0: any free port)."),
)
BY_NAME = {s.name: s for s in SETTINGS}


def get(name: str) -> str | int | float:
    """Return the value of setting `name`: its environment variable if set, else the default."""
    setting = BY_NAME[name]
    raw = os.environ.get(setting.env)
    if raw is None or raw == "":
        return setting.default
    kind = type(setting.default)
    try:
        return kind(raw)
    except ValueError as exc:
        raise ValueError(f"{setting.env}={raw!r} is not a valid {kind.__name__}") from exc
