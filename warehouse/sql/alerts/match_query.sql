-- Which of the articles in `watch_query_ids` match a watch's query, with the BM25 score and
-- the query's terms found: the index and the stemming of `mediawatch search` (the FTS
-- index's own tokenize macro, stop words and Porter stemmer). Every term is required, so
-- "Russian oil India" does not fire on every article naming India. (match_bm25's own
-- `conjunctive` also counts the empty tokens that digits leave, "S-400" -> 's', '': it
-- would never match such a query, so the terms are counted here.) The articles that have
-- every term are found in the index's term lists; the BM25 score is the caller's second
-- step, for those only (match_bm25 scores every document holding a query term: it costs
-- about 0.2 s at 5,500 articles, not worth paying for a batch nothing matched).
with query_terms as (
    select distinct stem(w, 'porter') as term
    from unnest(fts_main_articles.tokenize($query)) as q(w)
    where len(w) > 0 and w not in (select sw from fts_main_articles.stopwords)
),
candidate_docs as (
    select d.docid, d.name as article_id
    from fts_main_articles.docs d
    semi join watch_query_ids w on w.article_id = d.name
),
found as (
    select c.article_id, list(distinct dict.term order by dict.term) as terms
    from candidate_docs c
    join fts_main_articles.terms t using (docid)
    join fts_main_articles.dict dict using (termid)
    where dict.term in (select term from query_terms)
    group by c.article_id
    having count(distinct dict.term) = (select count(*) from query_terms)
),
final as (
    select f.article_id, f.terms
    from found f
    where len(f.terms) > 0
)
select * from final
