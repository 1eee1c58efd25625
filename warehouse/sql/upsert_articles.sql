-- Insert the batch in `incoming` (one row per article_id), linking copies of an existing or
-- earlier article through duplicate_of: exact copies (same content_hash) here, near copies
-- as decided before the load (`near_of`, from SimHash bands: see extractors/dedupe.py and
-- near_candidates.sql). Unchanged articles are left alone; changed ones (same key, new
-- text) are updated in place and keep their first-seen time. `articles` has no key index
-- (migration 014): article_id stays unique because only ids not stored (`incoming.stored`
-- false) are inserted, and `incoming` holds one row per id. The rows are computed once
-- (temp table `upserted`), then the new ones inserted and the changed ones updated.
--
-- `incoming.first_seen` is the stored first-seen time of an article being updated (its
-- undated day stays the day it was first seen).
--
-- Dates: a stated publication time outside [$earliest, $latest] (1900, and 2 days after the
-- load: warehouse/dates.py) is not used; it is kept in date_note with the reason, and the
-- article is dated by when it was first seen (date_source 'ingested'). `day` is the local
-- day (local_day) of the publication time, else of the first-seen time, in the warehouse's
-- day timezone (warehouse_settings.day_timezone).
create or replace temp table upserted as (
    with known as (
        -- only the stored articles a batch's copies can point at (read by load/stage.sql):
        -- the work and memory of a load stay those of the batch, not of the whole warehouse
        select article_id, content_hash, ingested_at, 0 as batch_pos
        from batch_stored
        where duplicate_of is null
          and content_hash in (select content_hash from incoming)
    ),
    candidates as (
        select article_id, content_hash, ingested_at, batch_pos from incoming
        union all
        select * from known
    ),
    firsts as (
        select content_hash, arg_min(article_id, (batch_pos, ingested_at, article_id)) as first_id
        from candidates
        group by content_hash
    ),
    dated as (
        select
            i.* replace (coalesce(i.first_seen, i.ingested_at) as first_seen),
            i.published_at not between $earliest and $latest as out_of_range
        from incoming i
    ),
    checked as (
        select
            * replace (case when out_of_range then null else published_at end as published_at),
            case when out_of_range then
                'stated publication time ' || strftime(published_at, '%Y-%m-%dT%H:%M:%S')
                || case when published_at < $earliest then ' is before 1900'
                        else ' is more than 2 days after the article was first seen' end
                || ': not used, the day is when it was first seen'
            end as date_note
        from dated
    )
    select
        i.article_id, i.key, i.url, i.source, i.title, i.author, i.published_at,
        i.ingested_at,
        local_day(coalesce(i.published_at, i.first_seen),
                  (select value from warehouse_settings where name = 'day_timezone')) as day,
        case when i.published_at is null then 'ingested'
             else coalesce(i.date_source, 'published') end as date_source,
        i.date_note,
        i.language, i.text, i.word_count, i.tone,
        -- an exact copy of a near copy points at the near copy's first
        coalesce(nullif(coalesce(first.near_of, f.first_id), i.article_id),
                 nullif(i.near_of, i.article_id)) as duplicate_of,
        i.content_hash, i.simhash, i.origin, i.feed, i.guid, i.site_name, i.source_country,
        i.ingested_at as updated_at,
        i.stored
    from checked i
    left join firsts f using (content_hash)
    left join incoming first on first.article_id = f.first_id
);
