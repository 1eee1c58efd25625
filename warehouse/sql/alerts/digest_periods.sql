-- The closed periods (day or week, by when the matches were found) in which watch $watch
-- matched articles, each with its articles (newest first). A period is closed once $today
-- is past it; periods that ended before $oldest are not sent any more.
with found as (
    select m.article_id, a.published_at,
           cast(date_trunc($period, m.matched_at) as date) as period_start
    from watch_matches m
    join articles a using (article_id)
    where m.watch = $watch and a.duplicate_of is null
),
periods as (
    select period_start,
           period_start + case $period when 'week' then 7 else 1 end as period_end,
           list(article_id order by published_at desc nulls last, article_id) as ids
    from found
    group by period_start
),
final as (
    select period_start, ids
    from periods
    where period_end <= cast(date_trunc($period, cast($today as timestamp)) as date)
      and period_end > $oldest
)
select * from final order by period_start
