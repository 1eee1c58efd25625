-- For each theme of the given stories (`digest_stories`), one evidence sentence: from the
-- best-scored article of the story with that theme (a body sentence before a title one).
with ranked as (
    select
        a.story_id,
        t.theme,
        evidence_sentence(t.evidence, a.title) as evidence,
        row_number() over (partition by a.story_id, t.theme
                           order by t.score desc, a.article_id) as rank
    from articles a
    semi join digest_stories d using (story_id)
    join article_themes t using (article_id)
    where a.duplicate_of is null
)
select story_id, theme, evidence from ranked where rank = 1 order by story_id, theme
