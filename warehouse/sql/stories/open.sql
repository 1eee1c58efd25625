-- The stories a batch may join: those whose window (last article + $window_days) reaches a
-- day of the batch (`batch_days`), and that began no later than the window after it. Only
-- these are read, so the cost of a batch follows the news of its days, not the archive.
-- The centroid state (`features`, {feature: [members having it, summed weight]}) comes as
-- two lists, names and values, in its stored order: DuckDB parses the JSON into columns
-- that become one sparse matrix (Python's json.loads of ~6,000 of them took ~0.15 s).
select s.story_id, s.first_seen, s.last_seen, s.members, s.title_features,
       s.title_article_id, s.title,
       map_keys(s.centroid) as feature_names, map_values(s.centroid) as feature_values
from (select *, coalesce(features, '{}')::map(varchar, double[]) as centroid
      from stories) s
where s.last_seen >= (select min(day) from batch_days) - to_days(cast($window_days as integer))
  and exists (
    select 1 from batch_days d
    where s.last_seen >= d.day - to_days(cast($window_days as integer))
      and s.first_seen <= d.day + to_days(cast($window_days as integer) + 1)
)
