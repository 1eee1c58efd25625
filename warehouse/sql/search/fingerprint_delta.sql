-- What a load does to the fingerprint of search/fingerprint.sql, from the batch in `incoming`
-- (new and changed articles) before it is stored: how many of them are stored already, the
-- XOR of their stored versions' hashes and the XOR of their new versions' hashes. XOR-ing
-- both into the stored fingerprint gives the fingerprint of the warehouse after the load
-- without reading every article (the hash, index rules version included, must stay the one
-- of search/fingerprint.sql).
select
    count(a.article_id) as existing,
    coalesce(bit_xor(hash(a.article_id, a.title, a.content_hash, 2))
             filter (where a.article_id is not null), 0) as stored_part,
    coalesce(bit_xor(hash(i.article_id, i.title, i.content_hash, 2)), 0) as incoming_part
from incoming i
left join articles a using (article_id)
