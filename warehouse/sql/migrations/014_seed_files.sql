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
