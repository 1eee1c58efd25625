-- The days from $oldest on when watch $watch's own daily count of matched articles spikes,
-- by the one spike rule (the table macro spike_trend, views/spike_trend.sql): the watch's
-- share of the day's dated articles against its 28 days before, with a minimum volume.
-- Dated articles only, as in theme_trend; each spike day with its articles, newest first.
with matched as (
    select a.day, a.article_id, a.published_at
    from watch_matches m
    join articles a using (article_id)
    where m.watch = $watch and a.duplicate_of is null and a.published_at is not null
),
-- one row for every day with dated articles since 29 days before the first match (the
-- baseline window), the watch's count 0 where it matched nothing: spike_trend's series
watch_series as (
    select $watch as key, d.day, count(m.article_id) as articles, any_value(d.dated) as day_articles
    from daily_counts d
    left join matched m using (day)
    where d.dated > 0 and d.day >= (select min(day) - 29 from matched)
    group by d.day
),
spikes as (
    select day, articles, share_28d, zscore_28d
    from spike_trend('watch_series')
    where is_spike and day >= $oldest
),
final as (
    select s.day, s.articles, s.share_28d, s.zscore_28d,
           list(m.article_id order by m.published_at desc, m.article_id) as ids
    from spikes s
    join matched m using (day)
    group by all
)
select * from final order by day
