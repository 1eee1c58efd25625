-- Store the stories whose centroid state a batch changed (`story_state`, one row each,
-- with the load's time in updated_at), with their aggregates from `story_aggregates`
-- (aggregates.sql). Each story's row is replaced whole: delete, then insert. `stories` has
-- no key to replace on (migration 020); this keeps story_id unique. And no update: an
-- update of a list column (languages, themes, actors) rewrites the row, reading every
-- column of the stories it meets (~100 ms at a million stories).
--
-- The rows replaced are those stories/open.sql read in this transaction
-- (saved_last_seen: their last_seen then; null for a story opened by this batch), so
-- the delete skips the row groups of older stories (open ones are near the table's end).
delete from stories
where last_seen >= (select min(saved_last_seen) from story_state)
  and story_id in (select story_id from story_state where saved_last_seen is not null);

insert into stories by name (
    select s.story_id, s.title, s.title_article_id,
           coalesce(a.first_seen, s.first_seen) as first_seen,
           coalesce(a.last_seen, s.last_seen) as last_seen,
           coalesce(a.articles, 0) as articles, coalesce(a.copies, 0) as copies,
           coalesce(a.outlets, 0) as outlets, a.languages, a.themes, a.actors, s.members,
           s.feature_names, s.feature_counts, s.feature_weights,
           cast(s.title_features as json) as title_features, s.updated_at
    from story_state s left join story_aggregates a using (story_id)
)
