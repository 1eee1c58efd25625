-- The articles of the given stories (`digest_stories`), originals first by time; copies
-- ride along with the outlet that carried them.
select a.story_id, a.article_id, a.title, a.source, a.url, a.language, a.published_at,
       a.duplicate_of is not null as is_copy,
       row_number() over (partition by a.story_id
                          order by a.duplicate_of is not null,
                                   coalesce(a.published_at, a.ingested_at), a.article_id) as rank
from articles a
semi join digest_stories s using (story_id)
qualify rank <= $per_story
order by a.story_id, rank
