-- The batch's articles (`story_batch`) that have no story yet, with what assignment needs:
-- the original they copy, their time (published, else first seen) and title.
select article_id, duplicate_of, coalesce(published_at, ingested_at), title
from articles semi join story_batch using (article_id)
where story_id is null
order by ingested_at, article_id
