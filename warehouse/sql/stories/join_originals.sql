-- Syndicated copies (`story_copies`) join their original's story (a singleton if it has
-- none); $1 is the load's time.
update articles set story_id = coalesce(o.story_id, 's' || articles.article_id)
from articles o
where articles.duplicate_of = o.article_id
  and articles.article_id in (select article_id from story_copies);

-- a copy whose original is not stored (cannot happen today) still gets a story row
insert into stories (story_id, title, title_article_id, first_seen, last_seen,
                     articles, outlets, members, updated_at)
select a.story_id, a.title, a.article_id, coalesce(a.published_at, a.ingested_at),
       coalesce(a.published_at, a.ingested_at), 0, 0, 1, $1
from articles a
where a.article_id in (select article_id from story_copies)
  and a.story_id not in (select story_id from stories)
