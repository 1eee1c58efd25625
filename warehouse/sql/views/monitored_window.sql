-- monitored_window: one row saying which days the trend views cover, and what they leave out.
--
-- Trends count dated articles only (published_at known, see articles.date_source): an
-- undated article sits on the day it was first seen, and a first ingest of undated pages
-- would otherwise make that day "spike" in every theme.
--
-- The window runs from first_day to the newest day with a dated article. Dated days are cut
-- into stretches wherever more than 28 days pass without a dated article (no baseline of the
-- spike rule reaches across such a gap). first_day is the start of the earliest stretch with
-- at least 7 dated days (enough to make a baseline): monitoring, not a stray page. One 2006
-- page linked from a feed is a stretch of one day, and no longer stretches the calendar over
-- 7,000 empty days. When no stretch has 7 days (a tiny warehouse), the newest stretch counts.
--
--   first_day, last_day   the window (null when no article is dated)
--   dated_articles        distinct dated articles in the window
--   undated_articles      distinct articles left out for want of a date
--   before_window         distinct dated articles left out for being before first_day
-- Syndicated copies (duplicate_of set) are counted nowhere, as in the trends. Read from
-- daily_counts, which every load keeps (warehouse/trend_counts.py).
create or replace view monitored_window as
with dated_days as (
    select day, dated from daily_counts where dated > 0
),
breaks as (
    select day, dated,
           coalesce(day - lag(day) over (order by day) > 28, false)::integer as starts_stretch
    from dated_days
),
stretches as (
    select day, dated, sum(starts_stretch) over (order by day rows unbounded preceding) as stretch
    from breaks
),
stretch_starts as (
    select stretch, min(day) as first_day, count(*) as days from stretches group by stretch
),
bounds as (
    select
        coalesce((select min(first_day) from stretch_starts where days >= 7),
                 (select max(first_day) from stretch_starts)) as first_day,
        (select max(day) from dated_days) as last_day
),
final as (
    select
        b.first_day,
        b.last_day,
        coalesce((select sum(d.dated) from dated_days d where d.day >= b.first_day), 0)
            as dated_articles,
        coalesce((select sum(undated) from daily_counts), 0) as undated_articles,
        coalesce((select sum(d.dated) from dated_days d where d.day < b.first_day), 0)
            as before_window
    from bounds b
)
select * from final
