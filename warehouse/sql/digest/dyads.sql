-- Top actor pairs that day (needs article_actors): distinct articles naming both.
-- The day's articles are picked first, so only their actor rows are read (see clusters.sql).
with day_articles as (
    select article_id from articles where day = $day and duplicate_of is null
),
day_actors as (
    select distinct x.article_id, x.actor
    from article_actors x
    semi join day_articles a using (article_id)
)
select l.actor as actor_a, r.actor as actor_b, count(*) as articles
from day_actors l
join day_actors r on l.article_id = r.article_id and l.actor < r.actor
group by l.actor, r.actor
order by articles desc, actor_a, actor_b
limit $limit
