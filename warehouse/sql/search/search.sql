-- Ranked full-text search: BM25 over title and text (DuckDB FTS), one row per distinct
-- article (syndicated copies are folded into their first copy). Every value is a parameter:
-- $query is data, never SQL.
with hits as (
    select article_id, fts_main_articles.match_bm25(article_id, $query) as score
    from articles
    where duplicate_of is null
      and ($since is null or day >= $since)
      and ($source is null or lower(source) = lower($source))
),
ranked as (
    select h.article_id, h.score
    from hits h
    where h.score is not null
      and ($theme is null or exists (
          select 1 from article_themes t where t.article_id = h.article_id and t.theme = $theme))
    order by h.score desc, h.article_id
    limit $limit
),
final as (
    select
        r.score,
        a.article_id,
        a.title,
        a.day,
        a.source,
        a.url,
        coalesce((select list(t.theme order by t.score desc, t.theme)
                  from article_themes t where t.article_id = r.article_id), []) as themes,
        (select count(*) from articles c where c.duplicate_of = r.article_id) as copies,
        a.text,
        a.story_id
    from ranked r
    join articles a using (article_id)
)
select * from final order by score desc, article_id
