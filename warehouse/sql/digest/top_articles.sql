-- The best-scored distinct articles of each theme that day, with an evidence sentence (the
-- first one from the body: a title sentence would only repeat the headline) and how many
-- outlets carried the story (the article and its syndicated copies).
-- Everything starts from the day's articles: their tags and their copies only, never a
-- count over every stored copy (that cost time in the size of the archive).
with day_articles as (
    select article_id, title, source, published_at, url
    from articles
    where day = $day and duplicate_of is null
      and published_at is not null  -- as theme_daily: dated articles only
),
copies as (
    select c.duplicate_of as article_id, count(distinct c.source) as outlets
    from articles c
    semi join day_articles d on c.duplicate_of = d.article_id
    group by c.duplicate_of
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
        t.evidence,
        1 + coalesce(c.outlets, 0) as outlets,
        row_number() over (
            partition by t.theme order by t.score desc, a.published_at nulls last, a.article_id
        ) as rank
    from article_themes t
    join day_articles a using (article_id)
    left join copies c using (article_id)
    qualify rank <= $per_theme
),
final as (
    -- the evidence sentence is read from the JSON of the rows kept only
    select
        r.theme, r.article_id, r.title, r.source, r.published_at, r.url, r.score,
        evidence_sentence(r.evidence, r.title) as evidence,
        r.outlets,
        r.rank
    from ranked r
)
select theme, article_id, title, source, published_at, url, score, evidence, outlets
from final
order by theme, rank
