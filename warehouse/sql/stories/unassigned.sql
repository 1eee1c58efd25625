-- The batch's articles (`story_batch`) that have no story yet, with what assignment needs:
-- the original they copy, their time (published, else first seen) and title. `story_new`
-- holds the rows of the articles a load has just inserted (none has a story yet): read
-- there, not by a scan of every stored article (~35 ms at a million); the batch's other
-- articles are looked up in `articles`, where there are none in the usual batch, and then
-- DuckDB does not scan. (The caller puts the rows in batch order.)
select article_id, duplicate_of, coalesce(published_at, ingested_at), title
from story_new semi join story_batch using (article_id)
union all
select article_id, duplicate_of, coalesce(published_at, ingested_at), title
from articles
semi join (select article_id from story_batch anti join story_new using (article_id))
    using (article_id)
where story_id is null
