-- The days from $oldest on when watch $watch's own daily count of matched articles spikes,
-- by the spike rule of theme_trend (the macro spike_rule, views/spike_rule.sql) over the
-- same dense calendar and 28-day baseline. Each day with its articles, newest first.
with daily as (
    select a.day, count(*) as articles,
           list(a.article_id order by a.published_at desc nulls last, a.article_id) as ids
    from watch_matches m
    join articles a using (article_id)
    where m.watch = $watch and a.duplicate_of is null
    group by a.day
),
calendar as (
    select cast(d as date) as day
    from (select min(day) as first_day, max(day) as last_day from daily),
         generate_series(first_day, last_day, interval 1 day) as g(d)
),
dense as (
    select c.day, coalesce(d.articles, 0) as articles, d.ids
    from calendar c
    left join daily d using (day)
),
windowed as (
    select day, articles, ids,
           avg(articles) over baseline as base_mean,
           stddev_samp(articles) over baseline as base_sd,
           count(*) over baseline as base_days
    from dense
    window baseline as (order by day rows between 28 preceding and 1 preceding)
),
final as (
    select day, articles, base_mean,
           case when base_days >= 7 and base_sd > 0
                then (articles - base_mean) / base_sd end as zscore_28d,
           ids
    from windowed
    where day >= $oldest and spike_rule(articles, base_mean, base_sd, base_days)
)
select * from final order by day
