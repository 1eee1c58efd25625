-- monitored_window: one row saying which days the trend views cover, and what they leave out.
--
-- Trends count dated articles only (published_at known, see articles.date_source): an
-- undated article sits on the day it was first seen, and a first ingest of undated pages
-- would otherwise make that day "spike" in every theme.
--
-- The window runs from first_day to the newest day with a dated article. first_day is the
-- first dated day after the last gap of more than 28 days without any dated article (else
-- the oldest dated day). Before such a gap, history can inform no baseline (the spike rule
-- looks back 28 days), and one stray 2006 page linked from a feed would otherwise stretch
-- the dense calendar over 7,000 empty days.
--
--   first_day, last_day   the window (null when no article is dated)
--   dated_articles        distinct dated articles in the window
--   undated_articles      distinct articles left out for want of a date
--   before_window         distinct dated articles left out for being before first_day
-- Syndicated copies (duplicate_of set) are counted nowhere, as in the trends. Read from
-- daily_counts, which every load keeps (warehouse/trend_counts.py).
create or replace view monitored_window as
with gaps as (
    select day, dated, day - lag(day) over (order by day) as gap_days
    from daily_counts
    where dated > 0
),
bounds as (
    select coalesce(max(day) filter (where gap_days > 28), min(day)) as first_day,
           max(day) as last_day
    from gaps
),
final as (
    select
        b.first_day,
        b.last_day,
        coalesce((select sum(g.dated) from gaps g where g.day >= b.first_day), 0)
            as dated_articles,
        coalesce((select sum(undated) from daily_counts), 0) as undated_articles,
        coalesce((select sum(g.dated) from gaps g where g.day < b.first_day), 0)
            as before_window
    from bounds b
)
select * from final
