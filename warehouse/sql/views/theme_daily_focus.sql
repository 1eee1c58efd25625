-- theme_daily_focus: theme_daily for focus articles only (article_focus.is_focus: the
-- article names every party of the `focus` setting). `share` is of that day's distinct
-- focus articles. Syndicated copies (duplicate_of set) count once; undated articles count
-- nowhere, as in theme_daily.
create or replace view theme_daily_focus as
with focus_articles as (
    select a.article_id, a.day
    from articles a
    join article_focus f using (article_id)
    where f.is_focus and a.duplicate_of is null
      and a.published_at is not null  -- dated articles only, as theme_daily
),
tagged as (
    select fa.day, t.theme, count(*) as articles
    from article_themes t
    join focus_articles fa using (article_id)
    group by fa.day, t.theme
),
day_totals as (
    select day, count(*) as total from focus_articles group by day
),
final as (
    select t.day, t.theme, t.articles, t.articles / d.total as share
    from tagged t
    join day_totals d using (day)
)
select * from final
