-- What a load does to the fingerprint of search/fingerprint.sql, from the batch in `incoming`
-- (new and changed articles) before it is stored: how many of them are stored already, the
-- XOR of their stored versions' hashes and the XOR of their new versions' hashes. XOR-ing
-- both into the stored fingerprint gives the fingerprint of the warehouse after the load
-- without reading every article (the hash, index rules version included, must stay the one
-- of search/fingerprint.sql). Only the stored ones (`incoming.stored`) are looked up in
-- `articles`: a batch of new articles then reads no stored title at all.
select
    (select count(*) from incoming where stored) as existing,
    coalesce((select bit_xor(hash(a.article_id, a.title, a.content_hash, 2))
              from articles a
              semi join (select article_id from incoming where stored) s using (article_id)),
             0) as stored_part,
    coalesce((select bit_xor(hash(i.article_id, i.title, i.content_hash, 2)) from incoming i),
             0) as incoming_part
