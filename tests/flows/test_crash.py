"""kill -9 during an ingest, then a rerun: whole batches only, every article exactly once.

The same scenario at 20,000 articles is `benchmarks/crash.py` (it prints its figures).
"""

import pytest

from benchmarks import crash

pytestmark = pytest.mark.slow


def test_sigkill_mid_ingest_then_rerun_stores_every_article_once(tmp_path, migrated_prefect_home,
                                                               prefect_api_url):
    # the killed run starts its temporary Prefect server on tmp_path/prefect-home, migrated
    # (the watchdog's test below); the rerun uses the session's API (~5 s of CPU less)
    # 12 batches, as at 600 x 50, 1,200 x 100 and 3,000 x 250 before (the kill lands after
    # 4 of them): what it proves depends on the number of batches, not on their size
    n, batch_size = 300, 25
    result = crash.crash_and_rerun(tmp_path, n, batch_size, kill_after_loads=4,
                                   rerun_api_url=prefect_api_url)

    after_kill = result["after_kill"]
    # Only whole batches are visible: each batch is one transaction (articles + their tags).
    assert 4 * batch_size <= after_kill["articles"] < n
    assert after_kill["articles"] % batch_size == 0
    assert after_kill["orphan_tags"] == 0
    lo, hi = after_kill["tags_per_article"]
    assert lo == hi > 0, "an article is stored without its tags"
    assert after_kill["runs"] == ["running"]
    # the search index covers exactly the committed articles (each load updates it)
    assert after_kill["indexed"] == (after_kill["articles"], after_kill["articles"])
    # the killed run's temporary Prefect server did not outlive it (its watchdog stopped it)
    assert result["orphan_processes_after_kill"] == 0

    assert result["rerun_exit"] == 0, result["rerun_stderr"]
    assert "waiting" not in result["rerun_stderr"]  # the dead run's lock went with it
    assert "Traceback" not in result["rerun_stderr"]
    final = result["final"]
    assert (final["articles"], final["distinct"], final["orphan_tags"]) == (n, n, 0)
    assert final["tags_per_article"] == (lo, hi)
    assert final["runs"] == ["crashed", "completed"]
    assert final["indexed"] == (n, n)
