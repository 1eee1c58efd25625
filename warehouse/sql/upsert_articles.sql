-- Insert the batch in `incoming` (one row per article_id), linking copies of an existing or
-- earlier article through duplicate_of: exact copies (same content_hash) and near copies
-- (SimHash within $max_hamming bits, i.e. >= 0.9 similar, for texts of $near_min_words words
-- or more). Unchanged articles are left alone; changed ones (same key, new text) are updated
-- in place and keep their first-seen time.
--
-- Near copies are found with locality-sensitive hashing: the 64-bit SimHash is cut into
-- 7 bands of 9 bits, and two fingerprints within 6 bits of each other agree on at least one
-- whole band (pigeonhole), so only pairs sharing a band are compared. Stored candidates are
-- first-seen articles only (duplicate_of is null): a thousand copies of one wire story leave
-- one candidate, not a thousand.
insert into articles by name (
    with known as (
        select article_id, content_hash, simhash, word_count, ingested_at, 0 as batch_pos
        from articles
        where duplicate_of is null
    ),
    candidates as (
        select article_id, content_hash, simhash, word_count, ingested_at, batch_pos
        from incoming
        union all
        select * from known
    ),
    exact_firsts as (
        select content_hash, arg_min(article_id, (batch_pos, ingested_at, article_id)) as first_id
        from candidates
        group by content_hash
    ),
    bands as (
        select c.article_id, c.simhash, c.ingested_at, c.batch_pos, b.band,
               (c.simhash >> (b.band * 9)) & 511 as band_value
        from candidates c cross join range(7) as b(band)
        where c.word_count >= $near_min_words
    ),
    incoming_bands as (
        select * from bands where batch_pos > 0
    ),
    near_pairs as (
        select distinct i.article_id, c.article_id as other_id, c.batch_pos, c.ingested_at
        from incoming_bands i
        join bands c using (band, band_value)
        where c.batch_pos < i.batch_pos
          and c.article_id <> i.article_id
          and bit_count(xor(i.simhash, c.simhash)) <= $max_hamming
    ),
    near_firsts as (
        select article_id, arg_min(other_id, (batch_pos, ingested_at, other_id)) as first_id
        from near_pairs
        group by article_id
    ),
    links as (
        -- an exact copy links to its first; a near copy to its first one's own first, so a
        -- chain of small edits within one batch still points at one article
        select i.article_id,
               coalesce(nullif(e.first_id, i.article_id),
                        coalesce(nullif(e2.first_id, n.first_id), n2.first_id, n.first_id))
                   as duplicate_of
        from incoming i
        left join exact_firsts e using (content_hash)
        left join near_firsts n using (article_id)
        left join near_firsts n2 on n2.article_id = n.first_id
        left join incoming i2 on i2.article_id = n.first_id
        left join exact_firsts e2 on e2.content_hash = i2.content_hash
    )
    select
        i.article_id, i.key, i.url, i.source, i.title, i.author, i.published_at,
        i.ingested_at,
        coalesce(cast(i.published_at as date), cast(i.ingested_at as date)) as day,
        i.language, i.text, i.word_count, i.tone,
        l.duplicate_of,
        i.content_hash, i.simhash, i.origin, i.feed, i.guid,
        i.ingested_at as updated_at
    from incoming i
    join links l using (article_id)
)
on conflict (article_id) do update set
    url = excluded.url,
    source = excluded.source,
    title = excluded.title,
    author = excluded.author,
    published_at = excluded.published_at,
    day = coalesce(cast(excluded.published_at as date), cast(articles.ingested_at as date)),
    language = excluded.language,
    text = excluded.text,
    word_count = excluded.word_count,
    tone = excluded.tone,
    content_hash = excluded.content_hash,
    simhash = excluded.simhash,
    updated_at = excluded.updated_at
where articles.content_hash is distinct from excluded.content_hash
