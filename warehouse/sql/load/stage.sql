-- The staging table of a batch load: `incoming` holds the batch's articles (`incoming_all`,
-- the Arrow table load_batch registers: one row per article_id, the extractors' fields plus
-- near_of, location, ingested_at and batch_pos) that are new or whose text changed; the
-- rest of the load reads only this table. Unchanged articles (same content_hash) go no
-- further: they keep their stored row, tags, actors and story.
--   first_seen  the stored article's ingested_at (an update keeps its first-seen time);
--               null for a new article
--   stored      the article is stored already (an update, not an insert)
-- Returns the staged (article_id, stored): the articles whose enrichment the load replaces.
--
-- `batch_stored` holds the stored articles the batch can meet, read in one scan of
-- `articles`: those with one of its ids (updates) and those with one of its content hashes
-- (what its exact copies point at: upsert_articles.sql). Two scans before, ~50 ms each at a
-- million articles.
create or replace temp table batch_stored as
select article_id, content_hash, ingested_at, duplicate_of
from articles
where article_id in (select article_id from incoming_all)
   or content_hash in (select content_hash from incoming_all);

create or replace temp table incoming as
select
    i.*,
    a.ingested_at as first_seen,
    a.article_id is not null as stored
from incoming_all i
left join batch_stored a using (article_id)
where a.article_id is null or a.content_hash is distinct from i.content_hash;

select article_id, stored from incoming;
