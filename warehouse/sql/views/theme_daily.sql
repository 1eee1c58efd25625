-- theme_daily: per day and theme, how many distinct articles carry the theme and their
-- share of that day's distinct articles. Syndicated copies (duplicate_of set) count once.
create or replace view theme_daily as
with distinct_articles as (
    select article_id, day from articles where duplicate_of is null
),
day_totals as (
    select day, count(*) as total from distinct_articles group by day
),
final as (
    select
        a.day,
        t.theme,
        count(*) as articles,
        count(*) / any_value(d.total) as share
    from article_themes t
    join distinct_articles a using (article_id)
    join day_totals d using (day)
    group by a.day, t.theme
)
select * from final
