-- Totals of one day: every stored article (syndicated copies included), the distinct ones,
-- the copies, the outlets, and the ingest failures seen that day (first_seen <= day <= last_seen).
with day_articles as (
    select article_id, source, duplicate_of from articles where day = $day
),
day_failures as (
    select count(*) as failures
    from ingest_failures
    where $day between cast(first_seen as date) and cast(last_seen as date)
)
select
    count(a.article_id) as articles,
    count(a.article_id) filter (where a.duplicate_of is null) as distinct_articles,
    count(a.article_id) filter (where a.duplicate_of is not null) as duplicates,
    count(distinct a.source) as sources,
    any_value(f.failures) as failures
from day_failures f
left join day_articles a on true
