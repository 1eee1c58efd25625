-- Insert the batch in `incoming` (one row per article_id), linking copies of an existing or
-- earlier article through duplicate_of: exact copies (same content_hash) here, near copies
-- as decided before the load (`near_of`, from SimHash bands: see extractors/dedupe.py and
-- near_candidates.sql). Unchanged articles are left alone; changed ones (same key, new
-- text) are updated in place and keep their first-seen time. `articles` has no key index
-- (migration 014): article_id stays unique because only ids not stored (`incoming.stored`
-- false) are inserted, and `incoming` holds one row per id.
insert into articles by name (
    with known as (
        -- only the stored articles a batch's copies can point at: the work and memory of a
        -- load stay those of the batch, not of the whole warehouse
        select article_id, content_hash, ingested_at, 0 as batch_pos
        from articles
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
    )
    select
        i.article_id, i.key, i.url, i.source, i.title, i.author, i.published_at,
        i.ingested_at,
        coalesce(cast(i.published_at as date), cast(i.ingested_at as date)) as day,
        i.language, i.text, i.word_count, i.tone,
        -- an exact copy of a near copy points at the near copy's first
        coalesce(nullif(coalesce(first.near_of, f.first_id), i.article_id),
                 nullif(i.near_of, i.article_id)) as duplicate_of,
        i.content_hash, i.simhash, i.origin, i.feed, i.guid, i.site_name, i.source_country,
        i.ingested_at as updated_at
    from incoming i
    left join firsts f using (content_hash)
    left join incoming first on first.article_id = f.first_id
    where not i.stored
);

-- Then the stored ones whose text changed (all of `incoming` that is stored). Inserting
-- first lets the copies' lookup above see the warehouse as it was before the batch.
update articles set
    url = i.url,
    source = i.source,
    title = i.title,
    author = i.author,
    published_at = i.published_at,
    day = coalesce(cast(i.published_at as date), cast(articles.ingested_at as date)),
    language = i.language,
    text = i.text,
    word_count = i.word_count,
    tone = i.tone,
    content_hash = i.content_hash,
    simhash = i.simhash,
    site_name = i.site_name,
    source_country = i.source_country,
    updated_at = i.ingested_at
from incoming i
where articles.article_id = i.article_id
  and i.stored
  and articles.content_hash is distinct from i.content_hash;
