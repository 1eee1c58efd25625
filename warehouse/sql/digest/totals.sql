-- Totals of one day: every stored article (syndicated copies included), the distinct ones,
-- the copies, the outlets, the ingest failures seen that day (first_seen <= day <= last_seen),
-- the distinct articles without a publication date (on the day they were first seen:
-- left out of the themes and trends), and the distinct ones with a tone (English only:
-- see docs/taxonomy.md).
with day_articles as (
    select article_id, source, duplicate_of, published_at, tone from articles where day = $day
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
    count(a.article_id) filter (where a.duplicate_of is null and a.published_at is null) as undated,
    count(a.article_id) filter (where a.duplicate_of is null and a.tone is not null) as with_tone,
    any_value(f.failures) as failures
from day_failures f
left join day_articles a on true
