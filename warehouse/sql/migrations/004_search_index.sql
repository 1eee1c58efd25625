-- 004: the state of the full-text search index (DuckDB FTS, schema fts_main_articles).
-- The index is rebuilt after an ingest only when the articles it covers changed; this row
-- says what it was built from, so search can tell the user how current it is.
create table if not exists search_index (
    name         varchar primary key,   -- 'articles'
    built_at     timestamp not null,    -- UTC
    articles     bigint not null,       -- rows indexed
    fingerprint  ubigint not null,      -- of (article_id, title, content_hash) over all articles
    build_s      double not null        -- how long the rebuild took
);
