-- 019: article_themes, article_actors and article_focus lose their primary-key indexes, as
-- `articles` did in 014. The writers keep the keys unique: a load deletes the tags, actors
-- and focus marks of the stored articles it replaces before inserting the batch's, one row
-- per (article_id, theme), (article_id, actor) and article_id (warehouse/load.py,
-- first_per), and retag does the same for the articles it re-tags. With the indexes, the
-- checkpoint that ends every batch load rewrote each of them whole: at 100,000 articles
-- 0.66-0.77 s CPU per checkpoint against 0.06-0.19 s without them (benchmarks/scale.py's
-- warehouse, load ~12), and they grow with every article (2 actor rows per article at a
-- million articles). Columns, their order and NOT NULLs stay. A database that missed 003 or
-- 009 gets their tables here, unindexed (003 and 009 then find them and do nothing).
create table if not exists article_actors (
    article_id varchar not null,
    actor      varchar not null,
    kind       varchar not null,
    mentions   integer not null
);
create table if not exists article_focus (
    article_id varchar not null,
    focus      varchar not null,
    score      double not null,
    is_focus   boolean not null,
    parties    varchar[] not null
);

create table article_themes_019 as select * from article_themes;
drop table article_themes;
alter table article_themes_019 rename to article_themes;
alter table article_themes alter column article_id set not null;
alter table article_themes alter column theme set not null;
alter table article_themes alter column score set not null;
alter table article_themes alter column taxonomy_version set not null;

create table article_actors_019 as select * from article_actors;
drop table article_actors;
alter table article_actors_019 rename to article_actors;
alter table article_actors alter column article_id set not null;
alter table article_actors alter column actor set not null;
alter table article_actors alter column kind set not null;
alter table article_actors alter column mentions set not null;

create table article_focus_019 as select * from article_focus;
drop table article_focus;
alter table article_focus_019 rename to article_focus;
alter table article_focus alter column article_id set not null;
alter table article_focus alter column focus set not null;
alter table article_focus alter column score set not null;
alter table article_focus alter column is_focus set not null;
alter table article_focus alter column parties set not null;
