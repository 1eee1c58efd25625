-- actor_daily: per day and actor, how many distinct articles name the actor.
-- Syndicated copies (duplicate_of set) count once.
create or replace view actor_daily as
with distinct_articles as (
    select article_id, day from articles where duplicate_of is null
),
final as (
    select a.day, x.actor, any_value(x.kind) as kind, count(*) as articles
    from article_actors x
    join distinct_articles a using (article_id)
    group by a.day, x.actor
)
select * from final
