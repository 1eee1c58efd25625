"""The retry policy of network tasks, declared once: `@task(**NETWORK_RETRIES)`.

Only tasks that talk to the network retry (feed polls, page fetches): a parse or tagging
error is deterministic and would fail the same way again. Retries back off exponentially
with jitter, so a flaky host is not hammered and many runs do not retry in lockstep; a
response that will not change on retry (404, 410, 403, ...) is not retried at all.
"""

from __future__ import annotations

from typing import Any

import httpx
from prefect.tasks import exponential_backoff

from . import settings

# Statuses worth trying again: timeouts, rate limits and server-side trouble.
TRANSIENT_STATUSES = frozenset({408, 425, 429, 500, 502, 503, 504})


def is_transient(exc: BaseException | None) -> bool:
    """Return whether a network task that raised `exc` may succeed if tried again."""
    if isinstance(exc, httpx.HTTPStatusError):
        return exc.response.status_code in TRANSIENT_STATUSES
    # Connection refused/reset, DNS failure, read timeout: the network's fault, not ours.
    return isinstance(exc, httpx.TransportError | TimeoutError | ConnectionError)


def retry_transient(task: Any, task_run: Any, state: Any) -> bool:
    """Prefect retry_condition_fn: retry a failed network task only on a transient error."""
    try:
        state.result()
    except Exception as exc:  # noqa: BLE001 - the task's own error, inspected not handled
        return is_transient(exc)
    return False


NETWORK_RETRIES: dict[str, Any] = {
    "retries": int(settings.get("network_retries")),
    "retry_delay_seconds": exponential_backoff(
        backoff_factor=float(settings.get("network_retry_delay_s"))),
    "retry_jitter_factor": 0.5,
    "retry_condition_fn": retry_transient,
}
