-- The public aggregates of the stories a batch touched (`touched_stories`), from their
-- articles, into the temp table `story_aggregates`: span, counts, outlets, languages, top
-- themes and actors. Copies (duplicate_of) count as outlets that carried the story, never
-- as articles. save.sql and refresh.sql write them; the caller drops the table.
--
-- The stories' articles are read once (`story_members`): both halves below read them, and
-- each read is a scan of every article's story_id (~40 ms at a million articles).
create or replace temp table story_members as
select a.story_id, a.article_id, a.duplicate_of, a.source, a.language,
       coalesce(a.published_at, a.ingested_at) as seen_at
from articles a semi join touched_stories t using (story_id);

create or replace temp table story_aggregates as
select agg.*, coalesce(ranked.themes, []) as themes, coalesce(ranked.actors, []) as actors
from (
    select
        story_id,
        min(seen_at) as first_seen,
        max(seen_at) as last_seen,
        count(*) filter (where duplicate_of is null) as articles,
        count(*) filter (where duplicate_of is not null) as copies,
        count(distinct source) as outlets,
        list(distinct language order by language) filter (where language is not null)
            as languages
    from story_members
    group by story_id
) agg
left join (
    -- each story's most frequent themes (3) and actors (5) over its distinct articles
    with counted as (
        select m.story_id, 'theme' as kind, t.theme as name, count(*) as n
        from story_members m join article_themes t using (article_id)
        where m.duplicate_of is null
        group by all
        union all
        select m.story_id, 'actor' as kind, x.actor as name, count(*) as n
        from story_members m join article_actors x using (article_id)
        where m.duplicate_of is null
        group by all
    )
    select
        story_id,
        (list(name order by n desc, name) filter (where kind = 'theme'))[1:3] as themes,
        (list(name order by n desc, name) filter (where kind = 'actor'))[1:5] as actors
    from counted
    group by story_id
) ranked using (story_id);

drop table story_members;
