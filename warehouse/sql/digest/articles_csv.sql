-- Every article of the day (syndicated copies included) for articles.csv.
with day_articles as (
    select article_id, day, published_at, source, title, url, duplicate_of, word_count, language
    from articles
    where day = $day
),
tags as (
    select t.article_id, string_agg(t.theme, ';' order by t.theme) as themes
    from article_themes t
    semi join day_articles d using (article_id)
    group by t.article_id
)
select
    a.article_id, a.day, a.published_at, a.source, a.title, a.url,
    coalesce(t.themes, '') as themes, a.duplicate_of, a.word_count, a.language
from day_articles a
left join tags t using (article_id)
order by a.published_at nulls last, a.source, a.article_id
