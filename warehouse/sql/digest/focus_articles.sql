-- The day's focus articles (article_focus.is_focus: they name every party of the `focus`
-- setting), distinct stories only, best first: most themes, then best theme score. Each
-- with its themes (best first) and the evidence sentence of its best theme (the rule of
-- evidence_sentence, as everywhere in the digest).
-- The day's focus articles are found first and only their tags are read: aggregating every
-- stored tag (JSON evidence included) before the join cost time in the size of the archive.
with day_focus as (
    select a.article_id, a.title, a.source, a.published_at, a.url, f.focus
    from articles a
    join article_focus f using (article_id)
    where a.day = $day and a.duplicate_of is null and f.is_focus
),
themes as (
    select
        t.article_id,
        list(t.theme order by t.score desc, t.theme) as themes,
        max(t.score) as best_score,
        arg_max(t.evidence, t.score) as best_evidence
    from article_themes t
    semi join day_focus d using (article_id)
    group by t.article_id
),
final as (
    select
        d.article_id, d.title, d.source, d.published_at, d.url, d.focus,
        coalesce(t.themes, []) as themes,
        evidence_sentence(t.best_evidence, d.title) as evidence,
        coalesce(t.best_score, 0) as best_score
    from day_focus d
    left join themes t using (article_id)
)
select * from final
order by len(themes) desc, best_score desc, published_at nulls last, article_id
limit $limit
