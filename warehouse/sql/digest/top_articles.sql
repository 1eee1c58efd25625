-- The best-scored distinct articles of each theme that day, with an evidence sentence (the
-- first one from the body: a title sentence would only repeat the headline) and how many
-- outlets carried the story (the article and its syndicated copies).
with copies as (
    select duplicate_of as article_id, count(distinct source) as outlets
    from articles
    where duplicate_of is not null
    group by duplicate_of
),
ranked as (
    select
        t.theme,
        a.article_id,
        a.title,
        a.source,
        a.published_at,
        a.url,
        t.score,
        coalesce(
            (select json_extract_string(s.value, '$.text')
             from json_each(t.evidence, '$.sentences') s
             where cast(json_extract(s.value, '$.start') as integer) > length(coalesce(a.title, ''))
             order by cast(s.key as integer)
             limit 1),
            json_extract_string(t.evidence, '$.sentences[0].text')
        ) as evidence,
        1 + coalesce(c.outlets, 0) as outlets,
        row_number() over (
            partition by t.theme order by t.score desc, a.published_at nulls last, a.article_id
        ) as rank
    from article_themes t
    join articles a using (article_id)
    left join copies c using (article_id)
    where a.day = $day and a.duplicate_of is null
      and a.published_at is not null  -- as theme_daily: dated articles only
)
select theme, article_id, title, source, published_at, url, score, evidence, outlets
from ranked
where rank <= $per_theme
order by theme, rank
