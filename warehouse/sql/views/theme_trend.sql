-- theme_trend: per day and theme on a dense calendar (a theme with no articles that day is 0),
-- with the mean of the 7 days before, the z-score against the 28 days before, and a spike flag.
-- Minimal stand-in from issue 6 (digest) with the contract's columns; issue 5 owns this view.
create or replace view theme_trend as
with bounds as (
    select min(day) as first_day, max(day) as last_day from articles
),
calendar as (
    select cast(g.d as date) as day
    from bounds, generate_series(bounds.first_day, bounds.last_day, interval 1 day) g(d)
),
themes as (
    select distinct theme from article_themes
),
dense as (
    select c.day, t.theme, coalesce(d.articles, 0) as articles
    from calendar c
    cross join themes t
    left join theme_daily d on d.day = c.day and d.theme = t.theme
),
final as (
    select
        day,
        theme,
        articles,
        avg(articles) over w7 as avg_7d,
        (articles - avg(articles) over w28) / nullif(stddev_pop(articles) over w28, 0) as zscore_28d
    from dense
    window
        w7 as (partition by theme order by day rows between 7 preceding and 1 preceding),
        w28 as (partition by theme order by day rows between 28 preceding and 1 preceding)
)
select
    day, theme, articles, avg_7d, zscore_28d,
    coalesce(zscore_28d >= 2, false) and articles >= 3 as is_spike
from final
