-- `mediawatch status`: one row per flow, its latest run and how it has gone since $since.
select
    flow,
    arg_max(status, started_at) as last_status,
    max(started_at) as last_started_at,
    max(finished_at) filter (where status = 'completed') as last_completed_at,
    count(*) filter (where started_at >= $since) as runs_since,
    count(*) filter (where started_at >= $since and status = 'failed') as failed_since,
    arg_max_null(error, started_at) as last_error  -- null when the last run had no error
from runs
group by flow
order by flow
