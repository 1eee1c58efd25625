-- What the search index covers: the number of articles and an order-independent hash of
-- (article_id, title, content_hash). Any insert, text or title change alters it.
select count(*) as articles, coalesce(bit_xor(hash(article_id, title, content_hash)), 0) as fingerprint
from articles
