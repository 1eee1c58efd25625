-- Top actor pairs that day (needs article_actors): distinct articles naming both.
with day_actors as (
    select distinct x.article_id, x.actor
    from article_actors x
    join articles a using (article_id)
    where a.day = $day and a.duplicate_of is null
)
select l.actor as actor_a, r.actor as actor_b, count(*) as articles
from day_actors l
join day_actors r on l.article_id = r.article_id and l.actor < r.actor
group by l.actor, r.actor
order by articles desc, actor_a, actor_b
limit $limit
