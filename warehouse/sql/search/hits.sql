-- What a search shows of its ranked articles ($ids, from search/search.sql): title, day,
-- source, link, themes (best first), syndicated copies, text (for the snippet) and story.
-- A filter on $ids, not a join with the ranking: DuckDB then reads the wide columns (text)
-- of these few rows only, where a join read them for most of the table.
with hits as (
    select article_id, title, day, source, url, text, story_id
    from articles
    where list_contains($ids, article_id)
),
themes as (
    select article_id, list(theme order by score desc, theme) as themes
    from article_themes
    where list_contains($ids, article_id)
    group by article_id
),
copies as (
    select duplicate_of as article_id, count(*) as copies
    from articles
    where list_contains($ids, duplicate_of)
    group by duplicate_of
),
final as (
    select
        h.article_id, h.title, h.day, h.source, h.url,
        coalesce(t.themes, []) as themes,
        coalesce(c.copies, 0) as copies,
        h.text, h.story_id
    from hits h
    left join themes t using (article_id)
    left join copies c using (article_id)
)
select * from final
