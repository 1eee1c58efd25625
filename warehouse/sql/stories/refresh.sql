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
    themes = coalesce(ranked.themes, []),
    actors = coalesce(ranked.actors, [])
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
    -- each story's most frequent themes (3) and actors (5) over its distinct articles
    with members as (
        select a.story_id, a.article_id
        from articles a semi join touched_stories s using (story_id)
        where a.duplicate_of is null
    ),
    counted as (
        select m.story_id, 'theme' as kind, t.theme as name, count(*) as n
        from members m join article_themes t using (article_id) group by all
        union all
        select m.story_id, 'actor' as kind, x.actor as name, count(*) as n
        from members m join article_actors x using (article_id) group by all
    )
    select
        story_id,
        (list(name order by n desc, name) filter (where kind = 'theme'))[1:3] as themes,
        (list(name order by n desc, name) filter (where kind = 'actor'))[1:5] as actors
    from counted
    group by story_id
) ranked using (story_id)
where stories.story_id = agg.story_id
