-- The second half of upsert_articles.sql (its rows are in the temp table `upserted`): insert
-- the articles not stored yet, update the stored ones whose text changed. Apart because
-- DuckDB binds parameters only in the last statement of a string. `upserted` stays until
-- load/finish.sql: the rest of the load reads the batch's rows there, not by a scan of
-- every stored article (~20-40 ms a statement at a million articles).
-- `inserted`: the batch's new articles, as stored (what the load's later steps read of them).
create or replace temp view inserted as select * exclude (stored) from upserted where not stored;
insert into articles by name select * from inserted;

update articles set
    url = u.url,
    source = u.source,
    title = u.title,
    author = u.author,
    published_at = u.published_at,
    day = u.day,
    date_source = u.date_source,
    date_note = u.date_note,
    language = u.language,
    text = u.text,
    word_count = u.word_count,
    tone = u.tone,
    content_hash = u.content_hash,
    simhash = u.simhash,
    site_name = u.site_name,
    source_country = u.source_country,
    updated_at = u.updated_at
from upserted u
where articles.article_id = u.article_id
  and u.stored
  and articles.content_hash is distinct from u.content_hash;

-- The batch's articles as stored now (day, dates, copy link), for what the rest of the load
-- counts: a new article as `inserted` holds it (no scan); an updated one from `articles`
-- by id (it keeps its stored duplicate_of), where there is none in the usual batch, and
-- then DuckDB does not scan.
create or replace temp view loaded as
select article_id, day, published_at, duplicate_of from inserted
union all
select article_id, day, published_at, duplicate_of
from articles semi join (select article_id from upserted where stored) using (article_id);
