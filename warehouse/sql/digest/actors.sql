-- Top actors that day (needs article_actors): distinct articles naming them, and mentions.
-- The day's articles are picked first, so only their actor rows are read (see clusters.sql).
with day_articles as (
    select article_id from articles where day = $day and duplicate_of is null
)
select
    x.actor,
    x.kind,
    count(distinct x.article_id) as articles,
    sum(x.mentions) as mentions
from article_actors x
semi join day_articles a using (article_id)
group by x.actor, x.kind
order by articles desc, mentions desc, x.actor, x.kind
limit $limit
