-- 003: the actors (countries, leaders, organisations, places) named in each article.
create table if not exists article_actors (
    article_id varchar not null,
    actor      varchar not null,   -- gazetteer id, e.g. 'India', 'Vladimir Putin', 'NATO'
    kind       varchar not null,   -- country, leader, organisation, place
    mentions   integer not null,   -- how many times the article names it (any alias)
    primary key (article_id, actor)
);
