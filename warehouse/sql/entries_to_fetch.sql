-- Of the feed entries in `incoming_entries` (feed, guid, url), return those not seen before:
-- no stored article has their canonical URL (as key or url) or their feed GUID, and no open
-- failure says to leave them alone (a permanent failure, or a transient one that has used
-- up its $max_attempts attempts).
select e.feed, e.guid
from incoming_entries e
where not exists (
        select 1 from articles a
        where a.key = e.url or a.url = e.url or (a.feed = e.feed and a.guid = e.guid)
    )
  and not exists (
        select 1 from ingest_failures f
        where f.url = coalesce(e.url, 'guid:' || e.feed || ':' || e.guid)
          and f.resolved_at is null
          and (not f.transient or f.attempts >= $max_attempts)
    )
