-- Ingest failures seen that day (first_seen <= day <= last_seen), per source (the feed
-- when known), stage and code.
select
    coalesce(feed, source, 'unknown') as source,
    stage,
    coalesce(code, 'unknown') as code,
    count(*) as failures,
    min(reason) as example_reason
from ingest_failures
where $day between cast(first_seen as date) and cast(last_seen as date)
group by all
order by failures desc, source, stage
