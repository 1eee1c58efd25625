-- What the search index covers: the number of articles and an order-independent hash of
-- (article_id, title, content_hash). Any insert, text or title change alters it. The last
-- term is the version of the index's rules (2: each word stemmed in its own language,
-- digits and hyphenated tokens kept): an index built by other rules is rebuilt.
select count(*) as articles,
       coalesce(bit_xor(hash(article_id, title, content_hash, 2)), 0) as fingerprint
from articles
