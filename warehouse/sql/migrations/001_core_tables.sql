-- 001: the core tables. Public names and columns are documented in warehouse/README.md.
create table if not exists articles (
    article_id   varchar primary key,   -- sha256(key)[:16]: stable across runs
    key          varchar not null,      -- identity: canonical URL, explicit id, or seed path
    url          varchar,
    source       varchar not null,
    title        varchar,
    author       varchar,
    published_at timestamp,             -- UTC
    ingested_at  timestamp not null,    -- first seen, UTC
    day          date not null,         -- published date, else first-seen date
    language     varchar,
    text         varchar,
    word_count   integer,
    tone         double,
    duplicate_of varchar,               -- article_id of the first-seen copy, when syndicated
    content_hash varchar,
    simhash      bigint,
    origin       varchar,               -- 'seed' or 'feed'
    feed         varchar,
    guid         varchar,
    updated_at   timestamp
);

create table if not exists article_themes (
    article_id       varchar not null,
    theme            varchar not null,
    score            double not null,
    evidence         json,               -- {"terms": {...}, "sentences": [{"text","start","end"}]}
    taxonomy_version varchar not null,
    primary key (article_id, theme)
);

create table if not exists ingest_failures (
    url         varchar primary key,      -- the URL, or seed path[:line]
    source      varchar,
    feed        varchar,
    stage       varchar not null,         -- seed, feed, fetch, extract, load
    reason      varchar not null,
    http_status integer,
    transient   boolean not null default false,
    attempts    integer not null default 1,
    first_seen  timestamp not null,
    last_seen   timestamp not null,
    resolved_at timestamp                 -- set when a later run ingested it
);

create table if not exists runs (
    run_id      varchar primary key,
    flow        varchar not null,
    started_at  timestamp not null,
    finished_at timestamp,
    status      varchar not null,          -- running, completed, failed
    seen        integer default 0,
    stored      integer default 0,
    unchanged   integer default 0,
    duplicates  integer default 0,
    failures    integer default 0,
    error       varchar,
    parameters  json
);
