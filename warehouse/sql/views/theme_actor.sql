-- theme_actor: per theme and actor, how many distinct articles carry the theme and name
-- the actor (e.g. which countries drive "western_pressure").
create or replace view theme_actor as
with distinct_articles as (
    select article_id from articles where duplicate_of is null
),
final as (
    select t.theme, x.actor, count(*) as articles
    from article_themes t
    join article_actors x using (article_id)
    semi join distinct_articles d using (article_id)
    group by t.theme, x.actor
)
select * from final
