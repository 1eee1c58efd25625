-- Syndication clusters with a member that day: one story (the first-seen copy) and every
-- article linked to it by duplicate_of, carried by two or more stored articles.
-- Members are found by two plain equality joins (the story itself, its copies) rather than
-- one join on coalesce(duplicate_of, article_id): a join on a column lets DuckDB skip the
-- rows of other days' stories while scanning, so the cost is the day's, not the archive's.
with day_stories as (
    select distinct coalesce(duplicate_of, article_id) as story_id
    from articles
    where day = $day
),
members as (
    select s.story_id, a.article_id, a.source
    from day_stories s
    join articles a on a.article_id = s.story_id
    where a.duplicate_of is null
    union all
    select s.story_id, a.article_id, a.source
    from day_stories s
    join articles a on a.duplicate_of = s.story_id
),
final as (
    select
        m.story_id,
        any_value(o.title) as title,
        any_value(o.source) as source,
        any_value(o.url) as url,
        count(distinct m.source) as outlets,
        count(*) as copies,
        list(distinct m.source order by m.source) as sources
    from members m
    join articles o on o.article_id = m.story_id
    group by m.story_id
    having count(*) > 1
)
select * from final order by outlets desc, copies desc, story_id limit $limit
