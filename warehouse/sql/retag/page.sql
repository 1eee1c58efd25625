-- One page of stored articles to retag: up to $size after article_id $after, in article_id
-- order. Keyset pagination (article_id > last) keeps every page cheap on a large table.
select article_id, title, text, language, source_country
from articles
where article_id > $after
order by article_id
limit $size
