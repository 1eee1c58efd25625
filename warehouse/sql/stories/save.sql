-- Insert or update the centroid state of the stories a batch touched (`story_state`); the
-- public aggregates are recomputed right after by refresh.sql.
insert into stories by name (
    select story_id, title, title_article_id, first_seen, last_seen,
           0 as articles, 0 as copies, 0 as outlets, members,
           cast(features as json) as features, cast(title_features as json) as title_features,
           cast($1 as timestamp) as updated_at
    from story_state
)
on conflict (story_id) do update set
    title = excluded.title,
    title_article_id = excluded.title_article_id,
    first_seen = excluded.first_seen,
    last_seen = excluded.last_seen,
    members = excluded.members,
    features = excluded.features,
    title_features = excluded.title_features,
    updated_at = excluded.updated_at
