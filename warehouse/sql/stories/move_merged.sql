-- Stories merged into others (`story_merged`: story_id into kept_id): their articles move to
-- the story that took them in, and their rows go (stories opened in this batch have none).
update articles set story_id = m.kept_id
from story_merged m
where articles.story_id = m.story_id;

delete from stories where story_id in (select story_id from story_merged)
