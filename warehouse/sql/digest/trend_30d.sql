-- The 30-day series (oldest first) of every theme seen in that window; missing days are 0.
with days as (
    select cast(g.d as date) as day
    from generate_series(cast($day as date) - 29, cast($day as date), interval 1 day) g(d)
),
window_days as (
    select theme, day, articles
    from theme_trend
    where day between cast($day as date) - 29 and cast($day as date)
),
themes as (
    select distinct theme from window_days
)
select t.theme, d.day, coalesce(w.articles, 0) as articles
from themes t
cross join days d
left join window_days w on w.theme = t.theme and w.day = d.day
order by t.theme, d.day
