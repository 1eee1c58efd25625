"""`mediawatch serve`: the ingest and digest deployments on their schedules, in one process.

Prefect's `serve()` registers both deployments with a Prefect API and runs each scheduled
flow run in a child process. Schedules need a real Prefect server (the ephemeral API has no
scheduler), so when PREFECT_API_URL is unset serve starts one on 127.0.0.1 for its lifetime.
SIGINT (Ctrl-C) or SIGTERM stops the runner (in-flight runs are cancelled and recorded as
failed in `runs`), pauses the schedules and stops that server.
"""

from __future__ import annotations

import argparse
import os
import signal
from contextlib import nullcontext
from datetime import UTC, datetime
from pathlib import Path

from warehouse.days import check_timezone
from warehouse.db import WarehouseBusy, open_warehouse
from warehouse.runs import fail_running_runs

from .. import settings
from ..console import fail, say
from ..locking import IngestLocked, ingest_lock
from ..prefect_server import ServerDidNotStart, local_prefect_server
from . import add_db

# Prefect (and the flows, which import it) in the functions that use them: Prefect reads its
# settings when first imported, and the CLI imports this module before it sets the logging
# level (configure_logging) and this verb sets PREFECT_API_URL.

DEPLOYMENT_NAME = "mediawatch-serve"
DEFAULT_INGEST_CRON = "*/30 * * * *"
DEFAULT_DIGEST_CRON = "0 7 * * *"
DEFAULT_DELIVER_CRON = "*/5 * * * *"


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--ingest-cron", default=DEFAULT_INGEST_CRON, metavar="CRON",
                   help=f"when to ingest (cron; default {DEFAULT_INGEST_CRON!r}: every 30 min)")
    p.add_argument("--digest-cron", default=DEFAULT_DIGEST_CRON, metavar="CRON",
                   help=f"when to write the digest (cron; default {DEFAULT_DIGEST_CRON!r})")
    p.add_argument("--deliver-cron", default=DEFAULT_DELIVER_CRON, metavar="CRON",
                   help=f"when to send pending alerts between ingests (cron; default "
                   f"{DEFAULT_DELIVER_CRON!r}; each ingest also sends its own)")
    p.add_argument("--watches", metavar="FILE", help="watch file (TOML; env MEDIAWATCH_WATCHES)")
    p.add_argument("--timezone", metavar="TZ", help="IANA timezone of the cron expressions "
                   f"(default {settings.get('timezone')}; env MEDIAWATCH_TIMEZONE)")
    add_db(p)
    p.add_argument("--seeds", metavar="DIR", help="folder of seed documents (default seeds/)")
    p.add_argument("--feeds", metavar="FILE", help="TOML list of feeds (default seeds/feeds.toml)")


def check_schedule(cron: str, timezone: str, option: str) -> None:
    """Raise ValueError naming `option` when `cron` or `timezone` is not valid."""
    check_timezone(timezone, "--timezone")
    from prefect.client.schemas.schedules import CronSchedule
    from pydantic import ValidationError

    try:
        CronSchedule(cron=cron, timezone=timezone)
    except ValidationError:
        raise ValueError(f"{option} {cron!r} is not a cron expression "
                         "(five fields: minute hour day-of-month month day-of-week)") from None


def pin_paths(args: argparse.Namespace) -> dict[str, str]:
    """Return the MEDIAWATCH_* paths every served run must share, made absolute.

    Flow runs are child processes that read settings from the environment; absolute paths
    keep them on the same warehouse whatever directory they start in.
    """
    chosen = {"db": args.db, "seeds": args.seeds, "feeds": args.feeds, "exports": None}
    if args.watches or settings.get("watches"):
        chosen["watches"] = args.watches
    env = {}
    for name, value in chosen.items():
        path = Path(value or str(settings.get(name))).expanduser().resolve()
        env[settings.BY_NAME[name].env] = str(path)
    return env


def build_deployments(ingest_cron: str, digest_cron: str, timezone: str,
                      deliver_cron: str = DEFAULT_DELIVER_CRON) -> list:
    """Return the ingest, digest and alert-delivery RunnerDeployments for `serve`."""
    from prefect.client.schemas.objects import ConcurrencyLimitConfig, ConcurrencyLimitStrategy
    from prefect.schedules import Cron

    from ..deliver import deliver_flow
    from ..digest import digest_flow
    from ..ingest import ingest_flow

    # One ingest at a time; a run due while the last is still going is cancelled rather
    # than queued, so a slow run never builds a backlog (the next run catches up).
    one_at_a_time = ConcurrencyLimitConfig(
        limit=1, collision_strategy=ConcurrencyLimitStrategy.CANCEL_NEW)
    return [
        ingest_flow.to_deployment(
            name=DEPLOYMENT_NAME, schedules=[Cron(ingest_cron, timezone=timezone)],
            concurrency_limit=one_at_a_time, tags=["mediawatch", "serve"], paused=False),
        digest_flow.to_deployment(
            name=DEPLOYMENT_NAME, schedules=[Cron(digest_cron, timezone=timezone)],
            tags=["mediawatch", "serve"], paused=False),
        # a pass still sending when the next is due: the new one is cancelled (the deliverer's
        # own lock would make it skip anyway)
        deliver_flow.to_deployment(
            name=DEPLOYMENT_NAME, schedules=[Cron(deliver_cron, timezone=timezone)],
            concurrency_limit=one_at_a_time, tags=["mediawatch", "serve"], paused=False),
    ]


def stop_on_sigterm(*_) -> None:
    """Until Prefect's runner installs its own handler, treat SIGTERM like Ctrl-C."""
    raise KeyboardInterrupt


def run(args: argparse.Namespace) -> int:
    """Serve both deployments until SIGINT/SIGTERM; returns the exit code."""
    timezone = args.timezone or str(settings.get("timezone"))
    try:
        check_schedule(args.ingest_cron, timezone, "--ingest-cron")
        check_schedule(args.digest_cron, timezone, "--digest-cron")
        check_schedule(args.deliver_cron, timezone, "--deliver-cron")
    except ValueError as exc:
        fail(str(exc))
    os.environ.update(pin_paths(args))
    os.environ[settings.BY_NAME["timezone"].env] = timezone  # runs see the schedules' timezone
    signal.signal(signal.SIGTERM, stop_on_sigterm)
    # A process started in the background by a shell script inherits SIGINT ignored; serve
    # promises that SIGINT stops it however it was started.
    signal.signal(signal.SIGINT, signal.default_int_handler)

    api_url = os.environ.get("PREFECT_API_URL")
    try:
        server = (nullcontext(api_url) if api_url
                  else local_prefect_server(int(settings.get("serve_port"))))
        with server as url:
            # Flow-run child processes read it from the environment.
            os.environ["PREFECT_API_URL"] = url
            serve_until_stopped(args, timezone, url, started_server=not api_url)
    except ServerDidNotStart as exc:
        fail(str(exc))
    except KeyboardInterrupt:
        pass  # Ctrl-C or SIGTERM before the runner started; the server is already stopped
    record_cut_short_runs()
    say(("serve", "bold"), " stopped")
    return 0


def record_cut_short_runs(wait_s: float = 5.0) -> None:
    """Record ingest runs that the stop cut short as failed rather than leave them 'running'.

    A cancelled run normally records itself; one killed before it could is found here once
    its process has let go of the ingest lock (so no live run is ever marked).
    """
    db = Path(str(settings.get("db")))
    if not db.exists():
        return
    try:
        with ingest_lock(db, wait_s), open_warehouse(db, wait_s=wait_s) as con:
            fail_running_runs(con, "ingest", datetime.now(UTC).replace(tzinfo=None),
                              "stopped with mediawatch serve before the run finished")
    except (IngestLocked, WarehouseBusy, OSError):
        pass  # a run still holds it: it will record its own end, or the next ingest will


def serve_until_stopped(args: argparse.Namespace, timezone: str, api_url: str,
                        started_server: bool) -> None:
    """Register the deployments and run their scheduled flow runs until stopped."""
    from prefect import serve
    from prefect.settings import PREFECT_API_URL, temporary_settings

    where = "a Prefect server started for this session" if started_server else "Prefect"
    say(
        ("serve", "bold"), f" ingest {args.ingest_cron!r} and digest {args.digest_cron!r} "
        f"({timezone}) -> {os.environ['MEDIAWATCH_DB']}\n"
        f"  runs are scheduled by {where} at {api_url.removesuffix('/api')}; "
        "Ctrl-C stops (add -v to log each run)"
    )
    # This process read Prefect's settings when it first imported prefect (to check the
    # cron expressions), before the server's URL was known.
    with temporary_settings(updates={PREFECT_API_URL: api_url}):
        deployments = build_deployments(args.ingest_cron, args.digest_cron, timezone,
                                        args.deliver_cron)
        serve(*deployments, print_starting_message=False)
