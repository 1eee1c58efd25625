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
    Setting("gazetteer", "", "Actor gazetteer TOML file; empty for the default one."),
    Setting("timezone", "UTC", "Timezone of day buckets (articles.day, the trend views, the "
            "digest) and of schedules (IANA name); timestamps stay UTC."),
    Setting("focus", "India, Russia", "The relationship followed: gazetteer countries, "
            "comma-separated; an article naming all of them is a focus article."),
    Setting("batch_size", 500, "Articles per extraction/loading batch (one task run each)."),
    Setting("max_seed_file_bytes", 100_000_000, "Seed files larger than this are refused."),
    Setting("max_document_bytes", 5_000_000,
            "One document (a seed file or a JSONL line) larger than this is refused."),
    Setting("lock_wait_s", 30.0, "Seconds to wait for another process's write lock."),
    Setting("user_agent", "mediawatch/0.1 (media monitoring; polite RSS reader; "
            "+https://github.com/mediawatch)", "User-Agent sent with every feed and page request."),
    Setting("connect_timeout_s", 5.0, "Seconds to wait for a connection."),
    Setting("read_timeout_s", 15.0, "Seconds to wait for each read of a response."),
    Setting("total_timeout_s", 30.0, "Seconds one request may take in all, body included."),
    Setting("fetch_retries", 3, "Retries of a request on timeouts, 5xx and 429, with backoff."),
    Setting("fetch_backoff_s", 1.0, "First retry delay; doubles per retry, with jitter."),
    Setting("max_page_bytes", 10_000_000, "Bodies larger than this are cut off and refused."),
    Setting("max_redirects", 5, "Redirects followed per request."),
    Setting("fetch_concurrency", 8, "Requests in flight at once, over all hosts."),
    Setting("per_host_concurrency", 2, "Requests in flight at once to one host."),
    Setting("host_delay_s", 1.0, "Seconds between request starts to one host (politeness)."),
    Setting("respect_robots", 1, "1 to obey robots.txt for article pages, 0 to ignore it."),
    Setting("allow_private_addresses", 0,
            "1 to allow fetching private/loopback addresses (tests, intranets)."),
    Setting("allowed_private_hosts", "",
            "Comma-separated hosts (name or name:port) that may be private, e.g. an intranet feed."),
    Setting("max_fetch_attempts", 5, "Runs that retry a transiently failing page before giving up."),
    Setting("extract_workers", 0, "Extraction processes; 0 for one per CPU."),
    Setting("progress_interval_s", 10.0, "Seconds between the progress lines an ingest writes "
            "when its output is not a terminal (a log); 0 for none."),
    Setting("ingest_lock_wait_s", 600.0,
            "Seconds an ingest waits for another ingest of the same database before giving up."),
    Setting("lake_catalog", "data/lake/mediawatch.ducklake", "DuckLake catalog `mediawatch "
            "mirror` writes: a DuckDB file, or postgres:<dsn> for many machines."),
    Setting("lake_data_path", "data/lake/files", "Where the DuckLake's Parquet files go (a "
            "folder, or an object store URL such as s3://bucket/mediawatch/)."),
    Setting("story_window_days", 3, "Days a story stays open to new articles after its last "
            "one (older stories are never reclustered)."),
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


def check_all() -> None:
    """Raise ValueError naming the first MEDIAWATCH_* variable whose value is not valid."""
    for setting in SETTINGS:
        get(setting.name)
