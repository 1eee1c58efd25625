-- Top actors that day (needs article_actors): distinct articles naming them, and mentions.
select
    x.actor,
    x.kind,
    count(distinct x.article_id) as articles,
    sum(x.mentions) as mentions
from article_actors x
join articles a using (article_id)
where a.day = $day and a.duplicate_of is null
group by x.actor, x.kind
order by articles desc, mentions desc, x.actor, x.kind
limit $limit
