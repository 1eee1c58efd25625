-- Recompute the public aggregates of the stories a batch touched (`touched_stories`) from
-- their articles: counts, outlets, languages, top themes and actors. Copies (duplicate_of)
-- count as outlets that carried the story, never as articles.
update stories set
    first_seen = agg.first_seen,
    last_seen = agg.last_seen,
    articles = agg.articles,
    copies = agg.copies,
    outlets = agg.outlets,
    languages = agg.languages,
    themes = coalesce(th.themes, []),
    actors = coalesce(ac.actors, [])
from (
    select
        a.story_id,
        min(coalesce(a.published_at, a.ingested_at)) as first_seen,
        max(coalesce(a.published_at, a.ingested_at)) as last_seen,
        count(*) filter (where a.duplicate_of is null) as articles,
        count(*) filter (where a.duplicate_of is not null) as copies,
        count(distinct a.source) as outlets,
        list(distinct a.language order by a.language) filter (where a.language is not null)
            as languages
    from articles a semi join touched_stories t using (story_id)
    group by a.story_id
) agg
left join (
    select story_id, list(theme order by n desc, theme)[1:3] as themes
    from (
        select a.story_id, t.theme, count(*) as n
        from articles a semi join touched_stories s using (story_id)
        join article_themes t using (article_id)
        where a.duplicate_of is null
        group by all
    )
    group by story_id
) th using (story_id)
left join (
    select story_id, list(actor order by n desc, actor)[1:5] as actors
    from (
        select a.story_id, x.actor, count(*) as n
        from articles a semi join touched_stories s using (story_id)
        join article_actors x using (article_id)
        where a.duplicate_of is null
        group by all
    )
    group by story_id
) ac using (story_id)
where stories.story_id = agg.story_id
