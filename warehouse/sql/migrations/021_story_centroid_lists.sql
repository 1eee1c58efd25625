-- 021: a story's centroid state in three lists instead of one JSON object. `features`
-- ({feature: [members having it, summed weight]}) becomes `feature_names`,
-- `feature_counts` and `feature_weights`, position by position, in the same order (the
-- order warehouse/stories.py breaks ties by when it trims a centroid). Every batch reads
-- the centroids of the stories open on its days (~6,000 on a day of 10,000 articles):
-- DuckDB casting that JSON took 50-200 ms a batch, reading the lists takes ~20 ms.
-- Columns otherwise stay, in their order; the table is made anew, unindexed, as in 020.
create table stories_021 (
    story_id         varchar not null,
    title            varchar,
    title_article_id varchar,
    first_seen       timestamp not null,
    last_seen        timestamp not null,
    articles         integer not null,
    copies           integer not null default 0,
    outlets          integer not null,
    languages        varchar[],
    themes           varchar[],
    actors           varchar[],
    members          integer not null,
    feature_names    varchar[],
    feature_counts   integer[],
    feature_weights  double[],
    title_features   json,
    updated_at       timestamp not null
);
insert into stories_021 by name
select * exclude (features, centroid),
       map_keys(centroid) as feature_names,
       [cast(v[1] as integer) for v in map_values(centroid)] as feature_counts,
       [v[2] for v in map_values(centroid)] as feature_weights
from (select *, cast(features as map(varchar, double[])) as centroid from stories);
drop table stories;
alter table stories_021 rename to stories;
