-- Each theme seen in the 30 days up to $day: its articles that day, share, and the 7-day mean
-- and spike flag of theme_trend (one definition of both: avg_7d is the mean of the 7 days
-- before the day, missing days counting as 0; see spike_trend.sql).
with window_days as (
    select theme, day, articles, avg_7d, is_spike
    from theme_trend
    where day between cast($day as date) - 29 and cast($day as date)
),
themes as (
    select distinct theme from window_days
),
today as (
    select theme, articles, avg_7d, is_spike from window_days where day = $day
),
shares as (
    select theme, share from theme_daily where day = $day
),
final as (
    select
        t.theme,
        coalesce(today.articles, 0) as articles,
        coalesce(shares.share, 0) as share,
        coalesce(today.avg_7d, 0) as avg_7d,
        coalesce(today.is_spike, false) as is_spike
    from themes t
    left join today using (theme)
    left join shares using (theme)
)
select * from final order by articles desc, avg_7d desc, theme
