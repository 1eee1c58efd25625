-- Stored first-seen articles within $max_hamming bits of a fingerprint of the batch
-- (`incoming_fingerprints`: simhash), oldest first: the only articles a batch's near copies
-- can link to (see extractors/dedupe.py). Fingerprints are compared only where they meet
-- through a band (LSH with multi-probe): the fingerprint is cut into $bands bands of
-- $band_bits bits, and $max_hamming differing bits leave one band with at most
-- $max_hamming // $bands of them (1 here; warehouse/load.py refuses more), so each band
-- value of the batch is probed as it is and with each of its bits flipped. The bands are
-- bound as parameters so they stay the ones defined in extractors/dedupe.py.
--
-- Why wide bands and probes: with exact bands of 9 bits a batch of 500 met ~7 x N stored
-- band values (every 512th value of each band, 500 times over), and comparing those pairs
-- grew with the archive (0.8-0.9 s of a batch at a million articles). 16-bit bands probed
-- 17 ways meet ~0.5 x N, and the distance check decides exactly as before.
with flips as (
    select 0::bigint as flip
    union all
    select 1::bigint << k from range($band_bits) as b(k) where $max_hamming // $bands >= 1
),
incoming_probes as (
    select distinct f.simhash as incoming_simhash, b.band,
           xor((f.simhash >> (b.band * $band_bits)) & ((1::bigint << $band_bits) - 1), m.flip)
               as band_value
    from incoming_fingerprints f cross join range($bands) as b(band) cross join flips m
),
stored_bands as (
    select a.article_id, a.simhash, a.ingested_at, a.article_id as row_order, b.band,
           (a.simhash >> (b.band * $band_bits)) & ((1::bigint << $band_bits) - 1) as band_value
    from articles a cross join range($bands) as b(band)
    where a.duplicate_of is null and not coalesce(a.thin, false) and a.word_count >= $min_words
)
select distinct s.article_id, s.simhash, s.ingested_at, s.row_order
from stored_bands s
join incoming_probes i using (band, band_value)
where bit_count(xor(s.simhash, i.incoming_simhash)) <= $max_hamming
order by s.ingested_at, s.row_order  -- first seen; ties (one batch) by id
