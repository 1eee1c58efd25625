-- The BM25 index's tables (schema fts_main_articles), empty: the layout of DuckDB's FTS
-- extension (`pragma create_fts_index`), so its BM25 formula and the queries users wrote
-- against it keep working. mediawatch fills them itself (update_index.sql) because the
-- extension takes one stemmer per index, and the warehouse holds English and Russian:
-- each word is stemmed in its own language (macros.sql). Stop words: stopwords.sql.
drop schema if exists fts_main_articles cascade;
create schema fts_main_articles;
create table fts_main_articles.docs (docid bigint, name varchar, len bigint);
create table fts_main_articles.terms (docid bigint, fieldid bigint, termid bigint);
create table fts_main_articles.dict (termid bigint, term varchar, df bigint);
create table fts_main_articles.stats (num_docs bigint, avgdl double);
create table fts_main_articles.fields (fieldid bigint, field varchar);
create table fts_main_articles.stopwords (sw varchar);
-- not FTS's: how many rows at the start of `terms` are sorted by (termid, docid) (see
-- update_index.sql and sort_postings in warehouse/search.py)
create table fts_main_articles.layout (sorted_postings bigint);
insert into fts_main_articles.fields values (0, 'title'), (1, 'text');
insert into fts_main_articles.stats values (0, 0);
insert into fts_main_articles.layout values (0);
