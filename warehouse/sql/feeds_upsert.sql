-- Record the polls in `incoming_polls`. A failed poll keeps the validators and the last
-- success time of the feed, and counts one more consecutive failure.
insert into feeds by name (
    select name, url, etag, last_modified, polled_at as last_polled_at,
           case when ok then polled_at end as last_success_at,
           status as last_status,
           case when ok then 0 else 1 end as consecutive_failures,
           error as last_error,
           new_entries as entries_seen
    from incoming_polls
)
on conflict (name) do update set
    url = excluded.url,
    etag = case when excluded.consecutive_failures = 0 and excluded.last_status <> '304'
                then excluded.etag else feeds.etag end,
    last_modified = case when excluded.consecutive_failures = 0 and excluded.last_status <> '304'
                         then excluded.last_modified else feeds.last_modified end,
    last_polled_at = excluded.last_polled_at,
    last_success_at = coalesce(excluded.last_success_at, feeds.last_success_at),
    last_status = excluded.last_status,
    consecutive_failures = case when excluded.consecutive_failures = 0 then 0
                                else feeds.consecutive_failures + 1 end,
    last_error = excluded.last_error,
    entries_seen = feeds.entries_seen + excluded.entries_seen
