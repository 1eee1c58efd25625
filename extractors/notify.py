"""Sending one alert to one Apprise URL: the address policy, retries with backoff, the result.

Apprise (installed with Prefect) speaks e-mail, Slack, Telegram, Teams, Discord, ntfy and
plain JSON webhooks behind one URL scheme. What we add around it:

- the feeds' private-address policy (`allow_private_addresses`, `allowed_private_hosts`):
  a URL whose service connects to a host named in the URL (json://, mailto://, ntfy://HOST,
  ...) is refused when that host resolves to a private, loopback or link-local address that
  the operator did not allow; services with a fixed public endpoint (slack://, tgram://)
  have no host of ours to check;
- the alert's idempotency key in a header (`Idempotency-Key` on HTTP webhooks,
  `X-Mediawatch-Alert-Key` on e-mail), so a receiver can drop a repeat;
- retries with exponential backoff and jitter (the fetcher's `backoff_s`), and a result that
  never raises: `Sent(ok, error, attempts)`.

Never imports the warehouse: flows/alerts.py reads the outbox and records the results.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import apprise
from apprise.plugins.email.base import NotifyEmail

from .fetch import FetchPolicy, backoff_s
from .transport import Refused, resolve_checked

LOGGER = logging.getLogger(__name__)
# Apprise logs each failed send as a WARNING; the deliverer records the failure where a user
# queries it (alerts.last_error, `mediawatch status`) and prints one line per failing
# channel, so Apprise's own lines are captured (send_once) rather than printed.
logging.getLogger("apprise").propagate = False
# Apprise plugins that POST the message as JSON: they get the alert's JSON body.
JSON_SCHEMES = {"json", "jsons"}


class UnsafeChannel(ValueError):
    """A notify URL that must not be used; the message says why and what would allow it."""


@dataclass(frozen=True)
class Sent:
    """What sending one alert on one channel gave."""

    ok: bool
    attempts: int
    error: str | None = None


def scheme(url: str) -> str:
    """Return the scheme of an Apprise URL, lower-cased."""
    return url.split("://", 1)[0].lower()


def instantiate(url: str) -> apprise.NotifyBase:
    """Return the Apprise plugin of `url`; UnsafeChannel when Apprise does not know it."""
    plugin = apprise.Apprise.instantiate(url)
    if plugin is None:
        raise UnsafeChannel(f"{scheme(url)}:// is not an Apprise URL that this Apprise "
                            f"{apprise.__version__} can use (see the Apprise wiki for the forms)")
    return plugin


def hosts_of(plugin: apprise.NotifyBase) -> list[tuple[str, int | None]]:
    """Return the (host, port) pairs the plugin connects to that come from the URL.

    A plugin whose URL templates have a {host} talks to that host (an SMTP server's may be
    set apart, smtp_host); the others talk to their service's own endpoint.
    """
    if not any("{host}" in t for t in getattr(plugin, "templates", ())):
        return []
    found = []
    for host in (getattr(plugin, "smtp_host", None), getattr(plugin, "host", None)):
        if host and host not in [h for h, _ in found]:
            found.append((host, getattr(plugin, "port", None)))
    return found


def check_channel(url: str, allow_private: bool, allowed_hosts: Iterable[str] = ()) -> None:
    """Raise UnsafeChannel unless `url` (secrets expanded) may be notified under the feeds'
    private-address policy. A host that does not resolve is left to the send to report."""
    plugin = instantiate(url)
    if allow_private:
        return
    for host, port in hosts_of(plugin):
        try:
            resolve_checked(host, port or 0, False, tuple(allowed_hosts))
        except Refused as exc:
            raise UnsafeChannel(f"notify URL {scheme(url)}://{host}: {exc}") from None
        except Exception:  # noqa: BLE001 - unresolvable: no private address reached through it
            continue


def send_once(url: str, title: str, body: str, key: str) -> str | None:
    """Send once; return None on success, else what went wrong (from Apprise's log)."""
    plugin = instantiate(url)
    if isinstance(getattr(plugin, "headers", None), dict):
        name = "X-Mediawatch-Alert-Key" if isinstance(plugin, NotifyEmail) else "Idempotency-Key"
        plugin.headers[name] = key
    with apprise.LogCapture(level=logging.WARNING, fmt="%(message)s") as log:
        ok = plugin.notify(body=body, title=title)
        messages = log.getvalue().strip()
    if ok:
        return None
    return " ".join(messages.split())[-500:] or f"{scheme(url)}:// notification failed"


def send(url: str, title: str, body: str, key: str, *, retries: int, backoff_first_s: float,
         allow_private: bool = False, allowed_hosts: Iterable[str] = (),
         sleep: Callable[[float], None] = time.sleep) -> Sent:
    """Send an alert on one channel, retrying up to `retries` times with backoff; never raises.

    A refused URL (address policy, unknown scheme) is not retried: it would be refused again.
    """
    try:
        check_channel(url, allow_private, allowed_hosts)
    except UnsafeChannel as exc:
        return Sent(False, 1, f"refused: {exc}")
    policy = FetchPolicy(backoff_s=backoff_first_s)
    error = None
    for attempt in range(1, retries + 2):
        try:
            error = send_once(url, title, body, key)
        except Exception as exc:  # noqa: BLE001 - a plugin bug must not stop the other alerts
            error = f"{type(exc).__name__}: {exc}"
        if error is None:
            return Sent(True, attempt)
        LOGGER.info("alert %s to %s:// failed (attempt %d): %s", key, scheme(url), attempt, error)
        if attempt <= retries:
            sleep(backoff_s(policy, attempt))
    return Sent(False, retries + 1, error)
