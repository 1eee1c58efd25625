-- Feed entries whose page failed transiently and still have attempts left ($max_attempts):
-- retried on this run even when their feed answers 304 and no longer lists them.
select feed, url
from ingest_failures
where stage = 'fetch' and transient and resolved_at is null
  and attempts < $max_attempts
  and list_contains($feeds, feed)
order by first_seen
