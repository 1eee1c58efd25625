-- `mediawatch status`: open (unresolved) ingest failures, most recently seen first.
select
    last_seen, stage, code, url, reason, attempts, transient
from ingest_failures
where resolved_at is null
order by last_seen desc, url
limit $limit
