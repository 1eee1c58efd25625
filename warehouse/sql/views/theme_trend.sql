-- theme_trend: theme_daily on a dense calendar (every day from the first to the last day
-- with articles, for every theme; a day without the theme has articles = 0), with a
-- trailing 7-day mean and a z-score against the 28 days before the day.
--
-- Spike rule (is_spike, the macro in spike_rule.sql, shared with the watches' spike
-- trigger): on that day the theme has at least 3 articles, at least 7 earlier calendar days
-- of history, more articles than its 28-day baseline mean, and either zscore_28d >= 2 or a
-- baseline with no variation at all (stddev 0: any rise is unusual).
-- zscore_28d is null when the baseline has fewer than 7 days or no variation.
create or replace view theme_trend as
with bounds as (
    select min(day) as first_day, max(day) as last_day from articles where duplicate_of is null
),
calendar as (
    select cast(d as date) as day
    from bounds, generate_series(first_day, last_day, interval 1 day) as g(d)
),
-- theme_daily is the costly part (a join of every tag with its article): compute it once.
daily as materialized (
    select day, theme, articles from theme_daily
),
themes as (
    select distinct theme from daily
),
dense as (
    select c.day, t.theme, coalesce(d.articles, 0) as articles
    from calendar c
    cross join themes t
    left join daily d on d.day = c.day and d.theme = t.theme
),
windowed as (
    select
        day,
        theme,
        articles,
        avg(articles) over (partition by theme order by day
                            rows between 6 preceding and current row) as avg_7d,
        avg(articles) over baseline as base_mean,
        stddev_samp(articles) over baseline as base_sd,
        count(*) over baseline as base_days
    from dense
    window baseline as (partition by theme order by day rows between 28 preceding and 1 preceding)
),
final as (
    select
        day,
        theme,
        articles,
        avg_7d,
        case when base_days >= 7 and base_sd > 0
             then (articles - base_mean) / base_sd end as zscore_28d,
        spike_rule(articles, base_mean, base_sd, base_days) as is_spike
    from windowed
)
select * from final
