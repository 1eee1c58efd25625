-- latest_articles: the distinct articles of the 7 newest days in the warehouse (relative to
-- its newest day, so an archive answers too), newest first, with their themes and how many
-- syndicated copies were seen.
create or replace view latest_articles as
with newest as (
    select max(day) as last_day from articles
),
recent as materialized (
    select a.*
    from articles a, newest n
    where a.duplicate_of is null and a.day > n.last_day - 7
),
copies as (
    select c.duplicate_of as article_id, count(*) as copies
    from articles c semi join recent r on c.duplicate_of = r.article_id
    group by all
),
themes as (
    select t.article_id, list(t.theme order by t.score desc, t.theme) as themes
    from article_themes t semi join recent r using (article_id)
    group by all
),
final as (
    select
        r.day,
        r.published_at,
        r.source,
        r.title,
        r.url,
        coalesce(t.themes, []) as themes,
        coalesce(c.copies, 0) as copies,
        r.word_count,
        r.article_id
    from recent r
    left join themes t using (article_id)
    left join copies c using (article_id)
)
select * from final
order by day desc, published_at desc nulls last, article_id
