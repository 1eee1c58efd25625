-- Every article of the day (syndicated copies included) for articles.csv.
with tags as (
    select article_id, string_agg(theme, ';' order by theme) as themes
    from article_themes
    group by article_id
)
select
    a.article_id, a.day, a.published_at, a.source, a.title, a.url,
    coalesce(t.themes, '') as themes, a.duplicate_of, a.word_count, a.language
from articles a
left join tags t using (article_id)
where a.day = $day
order by a.published_at nulls last, a.source, a.article_id
