-- spike_trend(series): the spike rule, once, for any daily count series (themes here; a
-- watch's own daily matches in the alerts code). `series` names a table, view or CTE with
--   key          varchar  what is counted (a theme, a watch name)
--   day          date
--   articles     integer  the key's articles that day
--   day_articles integer  all the (dated, distinct) articles of that day
-- and one row per key for every day that has articles (articles = 0 when the key is absent;
-- that absence is what a share baseline is made of). Days without any article may be left
-- out or given day_articles = 0: the windows are calendar ranges, not row counts.
--
-- Why shares: raw counts follow collection volume. The day a source is added doubles every
-- count and "spiked" every theme; the first day of a war was missed because a noisy source
-- had inflated the count baseline. A theme's share of the day's articles does not move when
-- volume grows with the same mix, and it rises when coverage shifts.
--
-- Returns key, day, articles, day_articles and
--   share       articles / day_articles (null on a day without articles)
--   avg_7d      mean articles over the 7 calendar days BEFORE the day (days without
--               articles count as 0): "today against last week", the digest's figure too
--   share_28d   mean daily share over the 28 calendar days before the day (days that have
--               articles; the day itself is not in its own baseline)
--   zscore_28d  (share - share_28d) / stddev of those daily shares; null with fewer than 7
--               baseline days or a baseline with no variation
--   is_spike    the rule: ALL of
--                 - a minimum volume: at least 3 articles of the key that day;
--                 - at least 7 days with articles in the 28 before (enough history);
--                 - a real rise in share: share >= 1.5 x share_28d (and above it);
--                 - an unusual one: zscore_28d >= 2, or a baseline with no variation at
--                   all (e.g. share 0 every day for four weeks, then 3 articles).
create or replace macro spike_trend(series) as table
with observed as (
    select
        key,
        day,
        articles,
        day_articles,
        case when day_articles > 0 then articles / day_articles end as share
    from query_table(series)
),
windowed as (
    select
        *,
        coalesce(sum(articles) over prior_week, 0) / 7 as avg_7d,
        avg(share) over baseline as share_28d,
        stddev_samp(share) over baseline as share_sd,
        count(share) over baseline as baseline_days
    from observed
    window
        prior_week as (partition by key order by day
                       range between interval 7 days preceding and interval 1 day preceding),
        baseline as (partition by key order by day
                     range between interval 28 days preceding and interval 1 day preceding)
),
final as (
    select
        key,
        day,
        articles,
        day_articles,
        share,
        avg_7d,
        share_28d,
        case when baseline_days >= 7 and share_sd > 0
             then (share - share_28d) / share_sd end as zscore_28d,
        coalesce(
            articles >= 3
            and baseline_days >= 7
            and share > share_28d
            and share >= 1.5 * share_28d
            and ((share - share_28d) / nullif(share_sd, 0) >= 2 or share_sd = 0),
            false
        ) as is_spike
    from windowed
)
select * from final
