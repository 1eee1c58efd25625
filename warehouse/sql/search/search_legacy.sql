-- search.sql for an index an older mediawatch built (DuckDB's stock FTS index, without this
-- version's tokenize/stem_term macros) until the next ingest rebuilds it: scored by that
-- index's own match_bm25 over every article, filtered afterwards. (score, article_id), best
-- first, as search.sql.
with hits as (
    select article_id, fts_main_articles.match_bm25(article_id, $query) as score
    from articles
    where duplicate_of is null
      and ($since is null or day >= $since)
      and ($source is null or lower(source) = lower($source))
),
final as (
    select h.score, h.article_id
    from hits h
    where h.score is not null
      and ($theme is null or exists (
          select 1 from article_themes t where t.article_id = h.article_id and t.theme = $theme))
    order by h.score desc, h.article_id
    limit $limit
)
select * from final order by score desc, article_id
