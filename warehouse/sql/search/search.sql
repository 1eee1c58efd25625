-- Ranked full-text search: BM25 over title and text (DuckDB FTS), one row per distinct
-- article (syndicated copies are folded into their first copy): (score, article_id), best
-- first; search/hits.sql then reads what is shown of them. Every value is a parameter:
-- $query is data, never SQL.
--
-- Filters first, then scores: the filters ($theme, $since, $source) pick the candidate
-- articles, and only the postings of the query's terms in those articles are counted.
-- Scoring every article with fts_main_articles.match_bm25 and filtering afterwards cost time
-- in the size of the whole index (1.7 s at 100,000 articles under load). The scores are
-- match_bm25's own, term for term (k1 = 1.2, b = 0.75, the index's num_docs, avgdl and df:
-- statistics of the whole index, so a filter never changes an article's score);
-- tests/warehouse/test_search.py holds the two to the same ranking.
with tokens as (
    select distinct fts_main_articles.stem_term(w) as t
    from (select unnest(fts_main_articles.tokenize($query)) as w)
    where len(w) > 0
),
query_terms as (
    select d.termid, d.df
    from fts_main_articles.dict d
    join tokens on d.term = tokens.t
),
candidates as (
    select article_id
    from articles
    where duplicate_of is null
      and ($since is null or day >= $since)
      and ($source is null or lower(source) = lower($source))
      and ($theme is null or article_id in (
          select t.article_id from article_themes t where t.theme = $theme))
),
candidate_docs as (
    select d.docid, d.name, d.len
    from fts_main_articles.docs d
    semi join candidates c on d.name = c.article_id
),
term_tf as (
    select p.docid, p.termid, count(*) as tf
    from fts_main_articles.terms p
    semi join query_terms q using (termid)
    semi join candidate_docs c using (docid)
    group by p.docid, p.termid
),
scores as (
    -- summed in termid order, so equal documents get bit-equal scores and ties fall to the
    -- article_id (match_bm25's sum runs in whatever order its hash table gives)
    select
        c.name as article_id,
        sum(log((((select num_docs from fts_main_articles.stats) - q.df) + 0.5) / (q.df + 0.5) + 1)
            * ((tf.tf * (1.2 + 1))
               / (tf.tf + 1.2 * (1 - 0.75 + 0.75
                                 * (c.len / (select avgdl from fts_main_articles.stats)))))
            order by tf.termid) as score
    from term_tf tf
    join query_terms q using (termid)
    join candidate_docs c using (docid)
    group by c.name
),
final as (
    select score, article_id
    from scores
    order by score desc, article_id
    limit $limit
)
select * from final order by score desc, article_id
