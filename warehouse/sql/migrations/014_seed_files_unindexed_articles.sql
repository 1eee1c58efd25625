-- 014: what each seed file was when an ingest last read it, so an unchanged file costs
-- nothing the next time (extractors/seeds.py: same size and mtime -> not opened; same
-- content hash -> not parsed; a changed JSONL file -> only its changed lines are read).
create table if not exists seed_files (
    location    varchar primary key,   -- the file, relative to the seeds root (extractors/keys.py)
    size        bigint not null,       -- bytes
    mtime_ns    bigint not null,       -- modification time, ns since the epoch
    sha256      varchar not null,      -- of the whole file
    line_hashes varchar[],             -- JSONL: a hash of each line read; NULL for other files
    read_at     timestamp not null     -- UTC, end of the ingest that read it
);

-- And `articles` loses its primary-key index (the load keeps article_id unique: it inserts
-- only ids it did not find, one row per id). With the index, DuckDB rewrote the whole last
-- row group of `articles`, texts included, at the checkpoint that ends every batch load:
-- 4-13 s per batch at 100,000 articles against 0.7 s at 10,000 (a 500-row append to the
-- same table without the index: 0.03 s). Columns, their order and NOT NULLs stay.
create table articles_014 as select * from articles;
drop table articles;
alter table articles_014 rename to articles;
alter table articles alter column key set not null;
alter table articles alter column source set not null;
alter table articles alter column ingested_at set not null;
alter table articles alter column day set not null;
