-- `mediawatch status`: the most recent runs, newest first.
select
    flow, run_id, started_at, finished_at, status,
    seen, stored, unchanged, duplicates, failures, error
from runs
order by started_at desc
limit $limit
