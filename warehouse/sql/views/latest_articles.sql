-- latest_articles: the distinct articles of the 7 newest days in the warehouse (relative to
-- its newest day, so an archive answers too), newest first, with their themes and how many
-- syndicated copies were seen.
create or replace view latest_articles as
with newest as (
    select max(day) as last_day from articles
),
copies as (
    select duplicate_of as article_id, count(*) as copies
    from articles where duplicate_of is not null group by all
),
themes as (
    select article_id, list(theme order by score desc, theme) as themes
    from article_themes group by all
),
final as (
    select
        a.day,
        a.published_at,
        a.source,
        a.title,
        a.url,
        coalesce(t.themes, []) as themes,
        coalesce(c.copies, 0) as copies,
        a.word_count,
        a.article_id
    from articles a
    cross join newest n
    left join themes t using (article_id)
    left join copies c using (article_id)
    where a.duplicate_of is null and a.day > n.last_day - 7
)
select * from final
order by day desc, published_at desc nulls last, article_id
