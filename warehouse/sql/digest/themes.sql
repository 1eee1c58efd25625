-- Each theme seen in the 30 days up to $day: its articles that day, share, the mean of the
-- 7 days before (days without articles count as 0), and the spike flag of theme_trend.
with window_days as (
    select theme, day, articles, is_spike
    from theme_trend
    where day between cast($day as date) - 29 and cast($day as date)
),
themes as (
    select distinct theme from window_days
),
today as (
    select theme, articles, is_spike from window_days where day = $day
),
prior as (
    select theme, sum(articles) / 7.0 as avg_7d
    from window_days
    where day between cast($day as date) - 7 and cast($day as date) - 1
    group by theme
),
shares as (
    select theme, share from theme_daily where day = $day
),
final as (
    select
        t.theme,
        coalesce(today.articles, 0) as articles,
        coalesce(shares.share, 0) as share,
        coalesce(prior.avg_7d, 0) as avg_7d,
        coalesce(today.is_spike, false) as is_spike
    from themes t
    left join today using (theme)
    left join prior using (theme)
    left join shares using (theme)
)
select * from final order by articles desc, avg_7d desc, theme
