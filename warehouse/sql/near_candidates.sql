-- Stored first-seen articles that share a SimHash band with a fingerprint of the batch
-- (`incoming_bands`: band, band_value), oldest first: the only articles a batch's near
-- copies need comparing with (see extractors/dedupe.py). The band split is bound as
-- $bands x $band_bits so it stays the one defined in extractors/dedupe.py.
with stored_bands as (
    select a.article_id, a.simhash, a.ingested_at, a.article_id as row_order, b.band,
           (a.simhash >> (b.band * $band_bits)) & ((1 << $band_bits) - 1) as band_value
    from articles a cross join range($bands) as b(band)
    where a.duplicate_of is null and not coalesce(a.thin, false) and a.word_count >= $min_words
)
select distinct s.article_id, s.simhash, s.ingested_at, s.row_order
from stored_bands s
semi join incoming_bands i using (band, band_value)
order by s.ingested_at, s.row_order  -- first seen; ties (one batch) by id
