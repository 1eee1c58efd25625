-- The story of each original (`story_originals`) that syndicated copies of a batch point at.
select article_id, story_id
from articles semi join story_originals using (article_id)
