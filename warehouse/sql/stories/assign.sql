-- Give each article of `story_assigned` its story.
update articles set story_id = n.story_id
from story_assigned n
where articles.article_id = n.article_id
