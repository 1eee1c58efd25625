-- The end of a batch load: the staging tables go, and whatever loaded now is no longer an
-- open failure. Failures are recorded under a document's location (path[:line], entry link)
-- or its page's URL, so both are matched. The update comes last: DuckDB binds parameters
-- only in the last statement of a string.
drop table incoming;
drop view loaded;
drop view inserted;
drop table upserted;
drop table batch_stored;

update ingest_failures set resolved_at = $now
where resolved_at is null
  and url in (select location from incoming_all
              union all
              select coalesce(url, key) from incoming_all)
