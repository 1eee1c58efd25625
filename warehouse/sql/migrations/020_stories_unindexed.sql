-- 020: `stories` loses its primary-key index, as `articles` did in 014 and the tag tables
-- in 019. The writers keep story_id unique: stories/save.sql deletes a touched story's row
-- before inserting its new one, and new stories get ids no row has ('s' + the article_id
-- of their first article). With the index, the checkpoint that ends every batch load
-- rewrote it whole: a million-article archive has ~a million stories (most of one
-- article), and closing a batch load took 0.4-0.5 s there against ~0.1 s at 10,000.
-- Columns, their order, defaults and NOT NULLs stay (the table is made anew from 011's
-- definition, without the key). A database that missed 011 gets the table here, unindexed
-- (011 then finds it and does nothing to it).
create table stories_020 (
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
    features         json,
    title_features   json,
    updated_at       timestamp not null
);
create table if not exists stories as select * from stories_020;
insert into stories_020 by name select * from stories;
drop table stories;
alter table stories_020 rename to stories;
