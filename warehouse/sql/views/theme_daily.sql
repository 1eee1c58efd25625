-- theme_daily: per day and theme, how many distinct articles carry the theme and their
-- share of that day's distinct articles. Syndicated copies (duplicate_of set) count once.
create or replace view theme_daily as
with tagged as (
    -- aggregate first: the join with day totals then touches one row per (day, theme)
    select a.day, t.theme, count(*) as articles
    from article_themes t
    join articles a using (article_id)
    where a.duplicate_of is null
    group by a.day, t.theme
),
day_totals as (
    select day, count(*) as total from articles where duplicate_of is null group by day
),
final as (
    select
        t.day,
        t.theme,
        t.articles,
        t.articles / d.total as share
    from tagged t
    join day_totals d using (day)
)
select * from final
