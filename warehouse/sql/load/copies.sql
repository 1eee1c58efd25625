-- How many of the staged articles (new or changed) were stored as a copy of another
-- (duplicate_of set by upsert_articles.sql): the load's `duplicates` count.
select count(*) from loaded where duplicate_of is not null
