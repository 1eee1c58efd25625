-- Record the failures in `incoming_failures`: a new failure gets a row, a repeated one
-- counts another attempt and keeps its first-seen time; it is unresolved again.
insert into ingest_failures by name (
    select url, source, feed, stage, code, reason, http_status, transient,
           1 as attempts, seen_at as first_seen, seen_at as last_seen,
           null::timestamp as resolved_at
    from incoming_failures
)
on conflict (url) do update set
    source = excluded.source,
    feed = excluded.feed,
    stage = excluded.stage,
    code = excluded.code,
    reason = excluded.reason,
    http_status = excluded.http_status,
    transient = excluded.transient,
    attempts = ingest_failures.attempts + 1,
    last_seen = excluded.last_seen,
    resolved_at = null
