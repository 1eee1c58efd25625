-- The day's focus articles (article_focus.is_focus: they name every party of the `focus`
-- setting), distinct stories only, best first: most themes, then best theme score. Each
-- with its themes (best first) and the evidence sentence of its best theme.
with themes as (
    select
        article_id,
        list(theme order by score desc, theme) as themes,
        max(score) as best_score,
        arg_max(json_extract_string(evidence, '$.sentences[0].text'), score) as evidence
    from article_themes
    group by article_id
),
final as (
    select
        a.article_id, a.title, a.source, a.published_at, a.url, f.focus,
        coalesce(t.themes, []) as themes,
        t.evidence,
        coalesce(t.best_score, 0) as best_score
    from articles a
    join article_focus f using (article_id)
    left join themes t using (article_id)
    where a.day = $day and a.duplicate_of is null and f.is_focus
)
select * from final
order by len(themes) desc, best_score desc, published_at nulls last, article_id
limit $limit
