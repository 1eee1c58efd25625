-- Insert or update the centroid state of the stories a batch touched (`story_state`); the
-- public aggregates are recomputed right after by refresh.sql.
-- A touched story's row is replaced whole: its counts (0 here) and lists are recomputed
-- for every touched story by refresh.sql in the same transaction. Delete, then insert:
-- `stories` has no key to replace on (migration 020), and this keeps story_id unique.
delete from stories where story_id in (select story_id from story_state);

insert into stories by name (
    select story_id, title, title_article_id, first_seen, last_seen,
           0 as articles, 0 as copies, 0 as outlets, members,
           cast(features as json) as features, cast(title_features as json) as title_features,
           cast($1 as timestamp) as updated_at
    from story_state
)
