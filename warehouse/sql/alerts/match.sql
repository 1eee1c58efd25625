-- The candidate articles (relation `watch_candidates`, one article_id a row) that pass one
-- watch's filters other than its query. Copies (duplicate_of set) never match: the first
-- copy stands for them, as in theme_daily and search. An empty list means "any".
-- $themes: any of them tagged; $actors: any of them named; $dyad: every one named;
-- $sources: any, case-insensitive; $languages: any.
with candidates as (
    select a.article_id, a.day, a.source, a.language
    from articles a
    semi join watch_candidates using (article_id)
    where a.duplicate_of is null
),
final as (
    select c.article_id, c.day
    from candidates c
    where (len($sources) = 0
           or list_contains(list_transform($sources, s -> lower(s)), lower(c.source)))
      and (len($languages) = 0 or list_contains($languages, c.language))
      and (len($themes) = 0 or exists (
          select 1 from article_themes t
          where t.article_id = c.article_id and list_contains($themes, t.theme)))
      and (len($actors) = 0 or exists (
          select 1 from article_actors x
          where x.article_id = c.article_id and list_contains($actors, x.actor)))
      and (len($dyad) = 0 or (
          select count(distinct x.actor) from article_actors x
          where x.article_id = c.article_id and list_contains($dyad, x.actor)) = len($dyad))
)
select * from final
