-- Stored first-seen articles within $max_hamming bits of a fingerprint of the batch
-- (`incoming_fingerprints`: simhash), oldest first: the only articles a batch's near copies
-- can link to (see extractors/dedupe.py). Fingerprints are compared only where they share
-- a band (LSH), and compared here: with 7 bands of 9 bits, a batch of 500 shares a band
-- with most stored articles, so returning every band match sent ~the whole warehouse to
-- Python on every batch (97,000 rows and 6 s at 100,000 articles). The band split is bound
-- as $bands x $band_bits so it stays the one defined in extractors/dedupe.py.
with incoming_bands as (
    select distinct f.simhash as incoming_simhash, b.band,
           (f.simhash >> (b.band * $band_bits)) & ((1 << $band_bits) - 1) as band_value
    from incoming_fingerprints f cross join range($bands) as b(band)
),
stored_bands as (
    select a.article_id, a.simhash, a.ingested_at, a.article_id as row_order, b.band,
           (a.simhash >> (b.band * $band_bits)) & ((1 << $band_bits) - 1) as band_value
    from articles a cross join range($bands) as b(band)
    where a.duplicate_of is null and not coalesce(a.thin, false) and a.word_count >= $min_words
)
select distinct s.article_id, s.simhash, s.ingested_at, s.row_order
from stored_bands s
join incoming_bands i using (band, band_value)
where bit_count(xor(s.simhash, i.incoming_simhash)) <= $max_hamming
order by s.ingested_at, s.row_order  -- first seen; ties (one batch) by id
