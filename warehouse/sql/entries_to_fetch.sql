-- Of the feed entries in `incoming_entries` (feed, guid, url, location: the name its
-- failures are recorded under, see extractors/keys.py), return those not seen before:
-- no stored article has their canonical URL (as key or url) or their feed GUID, and no open
-- failure says to leave them alone (a permanent failure, or a transient one that has used
-- up its $max_attempts attempts). Equality joins only, so the cost grows with the batch, not
-- with batch x warehouse.
with stored as (
    select e.feed, e.guid from incoming_entries e join articles a on a.key = e.url
    union
    select e.feed, e.guid from incoming_entries e join articles a on a.url = e.url
    union
    select e.feed, e.guid from incoming_entries e
    join articles a on a.feed = e.feed and a.guid = e.guid
),
given_up as (
    select e.feed, e.guid
    from incoming_entries e
    join ingest_failures f on f.url = e.location
    where f.resolved_at is null and (not f.transient or f.attempts >= $max_attempts)
)
select feed, guid from incoming_entries
except
select feed, guid from stored
except
select feed, guid from given_up
