-- `mediawatch status`: open ingest failures counted by stage and code ("fetch: http").
select stage || ': ' || coalesce(code, 'unknown') as kind, count(*) as open_failures
from ingest_failures
where resolved_at is null
group by kind
order by open_failures desc, kind
