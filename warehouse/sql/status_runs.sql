-- `mediawatch status`: the most recent runs, newest first.
select
    flow, run_id, started_at, finished_at, status,
    seen, stored, unchanged, duplicates, failures, error,
    stage_s  -- {stage: seconds}: where the run spent its time (see migration 007)
from runs
order by started_at desc
limit $limit
