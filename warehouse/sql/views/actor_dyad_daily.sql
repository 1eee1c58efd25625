-- actor_dyad_daily: per day, pairs of actors named in the same distinct article
-- (actor_a < actor_b, so each pair appears once), e.g. India-Russia co-mentions over time.
create or replace view actor_dyad_daily as
with distinct_articles as (
    select article_id, day from articles where duplicate_of is null
),
mentions as (
    select x.article_id, x.actor, a.day
    from article_actors x join distinct_articles a using (article_id)
),
final as (
    select m1.day, m1.actor as actor_a, m2.actor as actor_b, count(*) as articles
    from mentions m1
    join mentions m2 on m1.article_id = m2.article_id and m1.actor < m2.actor
    group by m1.day, m1.actor, m2.actor
)
select * from final
