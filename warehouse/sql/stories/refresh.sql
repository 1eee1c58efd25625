-- The stories a batch touched without changing their state (`story_refresh`: only
-- syndicated copies joined them, or a lone copy's row was just inserted) take their new
-- aggregates from `story_aggregates` (aggregates.sql); save.sql stores the others.
update stories set
    first_seen = agg.first_seen,
    last_seen = agg.last_seen,
    articles = agg.articles,
    copies = agg.copies,
    outlets = agg.outlets,
    languages = agg.languages,
    themes = agg.themes,
    actors = agg.actors
from story_aggregates agg semi join story_refresh r using (story_id)
where stories.story_id = agg.story_id
