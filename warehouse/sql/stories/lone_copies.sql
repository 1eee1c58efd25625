-- Story rows for the syndicated copies (`story_copies`) whose original has no story (or is
-- not stored: cannot happen today): each copy is then a story of its own, already named in
-- articles.story_id (copy_stories in warehouse/stories.py). $1 is the load's time.
insert into stories (story_id, title, title_article_id, first_seen, last_seen,
                     articles, outlets, members, updated_at)
select a.story_id, a.title, a.article_id, coalesce(a.published_at, a.ingested_at),
       coalesce(a.published_at, a.ingested_at), 0, 0, 1, $1
from articles a
where a.article_id in (select article_id from story_copies)
  and a.story_id not in (select story_id from stories)
