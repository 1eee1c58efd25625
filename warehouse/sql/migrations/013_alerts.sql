-- 013: watches and their alerts (see docs/alerts.md).
-- watch_matches: every distinct article a watch matched, recorded in the transaction of the
-- batch load that stored the article (the evidence behind `new`, `digest` and `spike`).
create table if not exists watch_matches (
    watch       varchar not null,     -- the watch's name in the watch file
    article_id  varchar not null,
    day         date not null,        -- the article's day (spikes count matches per day)
    matched_at  timestamp not null,   -- UTC; digests group matches by the day they were found
    score       double,               -- BM25 score of the watch's query (null without a query)
    terms       varchar[],            -- the query's stemmed terms found in the article
    primary key (watch, article_id)
);

-- alerts: the outbox. One row per alert and channel; a row is written once (its key is the
-- idempotency key) and then only its delivery columns change.
create table if not exists alerts (
    alert_key       varchar not null,  -- watch/trigger/subject/day: the idempotency key
    channel         varchar not null,  -- the notify URL as written in the watch file (${VARS} unexpanded)
    watch           varchar not null,
    trigger         varchar not null,  -- new, digest, spike
    day             date not null,     -- the article's day, the digest's period start, the spike's day
    article_id      varchar,           -- trigger new: the article
    articles        integer not null,  -- how many articles the alert names
    created_at      timestamp not null,
    status          varchar not null,  -- pending, sent, failed (gave up)
    attempts        integer not null default 0,   -- delivery passes that tried it
    next_attempt_at timestamp,         -- a pending alert is not tried before this
    last_attempt_at timestamp,
    sent_at         timestamp,
    last_error      varchar,
    title           varchar not null,
    body_text       varchar not null,
    body_json       json not null,
    primary key (alert_key, channel)
);
