-- theme_trend: theme_daily on a dense calendar over the monitored window (every day from
-- monitored_window.first_day to its last_day, for every theme; a day without the theme has
-- articles = 0), with the moving figures and the spike flag of the spike rule.
--
-- Spike rule (is_spike, from spike_trend in spike_trend.sql, where it is written in full):
-- the theme's SHARE of the day's dated articles, not its raw count, against the 28 days
-- before: at least 3 articles of the theme that day, at least 7 earlier days with articles,
-- a share at least 1.5x the baseline mean share, and zscore_28d >= 2 (or a baseline with no
-- variation at all). A day whose volume doubles with the same theme mix (a source added)
-- is no spike; a day whose theme share triples is one.
--   avg_7d      mean articles of the 7 days before the day (missing days count as 0)
--   share       articles / day_articles; null on a day without any dated article
--   share_28d   mean daily share over the 28 days before; zscore_28d is the share's z-score
-- Undated articles and those before the window are left out: monitored_window counts them.
-- The counts are theme_daily's, kept per day by each load (daily_theme_counts).
create or replace view theme_trend as
with bounds as (
    select first_day, last_day from monitored_window
),
calendar as (
    select cast(g.d as date) as day
    from bounds, generate_series(first_day, last_day, interval 1 day) as g(d)
),
day_totals as (
    select day, dated as day_articles from daily_counts where day >= (select first_day from bounds)
),
-- counting every tag against its article costs 0.4-0.6 s at 1M tags: the counts are kept
-- per day by each load (daily_theme_counts, exact: see warehouse/trend_counts.py)
daily as (
    select day, theme, articles
    from daily_theme_counts
    where day >= (select first_day from bounds)
),
themes as (
    select distinct theme from daily
),
series as (
    select
        t.theme as key,
        c.day,
        coalesce(d.articles, 0) as articles,
        coalesce(n.day_articles, 0) as day_articles
    from calendar c
    cross join themes t
    left join daily d on d.day = c.day and d.theme = t.theme
    left join day_totals n on n.day = c.day
),
final as (
    select
        day,
        key as theme,
        articles,
        avg_7d,
        zscore_28d,
        is_spike,
        share,
        share_28d,
        day_articles
    from spike_trend('series')
)
select * from final
