-- daily_theme_share(focus_only): the one rule of theme_daily and theme_daily_focus. Per day
-- and theme, how many distinct dated articles carry the theme and their share of that day's
-- distinct dated articles; with focus_only, focus articles only (article_focus.is_focus: the
-- article names every party of the `focus` setting). Syndicated copies (duplicate_of set)
-- count once; undated articles (published_at unknown: their day is only when they were
-- first seen) count nowhere, and monitored_window says how many were left out.
create or replace macro daily_theme_share(focus_only) as table
with dated as (
    select article_id, day
    from articles
    where duplicate_of is null and published_at is not null
      and (not focus_only
           or article_id in (select article_id from article_focus where is_focus))
),
tagged as (
    -- aggregate first: the join with day totals then touches one row per (day, theme)
    select d.day, t.theme, count(*) as articles
    from article_themes t
    join dated d using (article_id)
    group by d.day, t.theme
),
day_totals as (
    select day, count(*) as total from dated group by day
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
