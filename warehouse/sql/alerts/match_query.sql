-- Which of the articles in `watch_query_ids` match a watch's query, with the BM25 score and
-- the query's terms found: the index and the stemming of `mediawatch search` (the FTS
-- index's own tokenize macro, stop words and Porter stemmer). Every term is required, so
-- "Russian oil India" does not fire on every article naming India. (match_bm25's own
-- `conjunctive` also counts the empty tokens that digits leave, "S-400" -> 's', '': it
-- would never match such a query, so the terms are counted here.)
with query_terms as (
    select distinct stem(w, 'porter') as term
    from unnest(fts_main_articles.tokenize($query)) as q(w)
    where len(w) > 0 and w not in (select sw from fts_main_articles.stopwords)
),
scored as (
    select article_id, fts_main_articles.match_bm25(article_id, $query) as score
    from articles
    semi join watch_query_ids using (article_id)
),
found as (
    select d.name as article_id, list(distinct dict.term order by dict.term) as terms
    from fts_main_articles.docs d
    join fts_main_articles.terms t using (docid)
    join fts_main_articles.dict dict using (termid)
    where d.name in (select article_id from scored where score is not null)
      and dict.term in (select term from query_terms)
    group by d.name
),
final as (
    select s.article_id, s.score, f.terms
    from scored s
    join found f using (article_id)
    where s.score is not null
      and len(f.terms) = (select count(*) from query_terms)
      and len(f.terms) > 0
)
select * from final
