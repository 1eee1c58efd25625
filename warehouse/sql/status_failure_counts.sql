-- `mediawatch status`: open ingest failures counted by stage.
select stage, count(*) as open_failures
from ingest_failures
where resolved_at is null
group by stage
order by open_failures desc, stage
