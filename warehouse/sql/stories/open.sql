-- The stories a batch may join: those whose window (last article + $window_days) reaches a
-- day of the batch (`batch_days`), and that began no later than the window after it. Only
-- these are read, so the cost of a batch follows the news of its days, not the archive.
-- Their centroid state (feature_names, feature_counts, feature_weights) becomes one sparse
-- matrix (warehouse/stories.py: stored_centroids).
select s.story_id, s.first_seen, s.last_seen, s.members, s.title_features,
       s.title_article_id, s.title, s.feature_names, s.feature_counts, s.feature_weights
from stories s
where s.last_seen >= (select min(day) from batch_days) - to_days(cast($window_days as integer))
  and exists (
    select 1 from batch_days d
    where s.last_seen >= d.day - to_days(cast($window_days as integer))
      and s.first_seen <= d.day + to_days(cast($window_days as integer) + 1)
)
