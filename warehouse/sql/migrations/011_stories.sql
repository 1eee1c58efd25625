-- 011: stories, one event across outlets and languages (warehouse/stories.py assigns them).
-- Every article belongs to exactly one story (a singleton at first); a story stays open to
-- new articles for a window after its last one, and the archive is never reclustered.
alter table articles add column if not exists story_id varchar;
-- True when the page's text is boilerplate shared by many pages of its site (a paywall,
-- a cookie wall, navigation): it is never a copy of anything and counts by its headline.
alter table articles add column if not exists thin boolean default false;

create table if not exists stories (
    story_id         varchar primary key,  -- 's' + the article_id of its first article
    title            varchar,              -- its most central headline
    title_article_id varchar,              -- the article that headline is from
    first_seen       timestamp not null,   -- earliest article (published, else ingested), UTC
    last_seen        timestamp not null,   -- latest article; open while within the window
    articles         integer not null,     -- distinct articles (syndicated copies not counted)
    copies           integer not null default 0,  -- syndicated copies linked to them
    outlets          integer not null,     -- distinct sources, copies included
    languages        varchar[],            -- distinct languages, sorted
    themes           varchar[],            -- up to 3 themes, most articles first
    actors           varchar[],            -- up to 5 gazetteer actors, most articles first
    members          integer not null,     -- articles in the centroid (copies included)
    features         json,                 -- centroid: {feature: members having it}, capped
    title_features   json,                 -- features of the title article (for centrality)
    updated_at       timestamp not null
);

-- Articles stored before stories existed: each its own story (never reclustered).
update articles set story_id = 's' || article_id where story_id is null;
insert into stories (story_id, title, title_article_id, first_seen, last_seen, articles, copies,
                     outlets, languages, themes, actors, members, updated_at)
select story_id, title, article_id, coalesce(published_at, ingested_at),
       coalesce(published_at, ingested_at), case when duplicate_of is null then 1 else 0 end,
       case when duplicate_of is null then 0 else 1 end, 1,
       case when language is null then [] else [language] end, [], [], 1, ingested_at
from articles
where story_id not in (select story_id from stories);
