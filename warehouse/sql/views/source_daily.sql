-- source_daily: per day and source, the articles stored (syndicated copies included: the
-- source did publish them; `duplicates` says how many were copies) and the ingest failures
-- last seen that day. Articles count on their `day` (published date), failures on the
-- date they were last seen, since a failure has no publication date.
create or replace view source_daily as
with article_counts as (
    select day, source, count(*) as articles, count(duplicate_of) as duplicates
    from articles
    group by day, source
),
failure_counts as (
    select cast(last_seen as date) as day, coalesce(source, feed, 'unknown') as source,
           count(*) as failures
    from ingest_failures
    group by all
),
final as (
    select
        day,
        source,
        coalesce(a.articles, 0) as articles,
        coalesce(f.failures, 0) as failures,
        coalesce(a.duplicates, 0) as duplicates
    from article_counts a
    full outer join failure_counts f using (day, source)
)
select * from final
