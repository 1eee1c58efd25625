-- 002: feed state. One row per feed of the feed list, updated on every poll.
create table if not exists feeds (
    name                 varchar primary key,  -- the feed list's unique name
    url                  varchar not null,
    etag                 varchar,              -- validators for the next conditional GET
    last_modified        varchar,
    last_polled_at       timestamp,
    last_success_at      timestamp,            -- last 200 or 304
    last_status          varchar,              -- HTTP status ('200', '304', '404') or an error word
    consecutive_failures integer not null default 0,
    last_error           varchar,
    entries_seen         integer not null default 0  -- new entries found, over all polls
);

-- The publisher's name as a fetched page states it (og:site_name, JSON-LD publisher).
alter table articles add column if not exists site_name varchar;
