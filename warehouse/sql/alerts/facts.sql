-- What an alert says about each article of `alert_article_ids`: the article's columns (all
-- of them but the text, so story_id is there when the warehouse has stories) and its
-- themes, strongest first, each with its evidence and taxonomy version.
with ids as (
    select article_id from alert_article_ids
),
themes as (
    select t.article_id,
           list({'theme': t.theme, 'score': t.score, 'evidence': t.evidence,
                 'taxonomy_version': t.taxonomy_version} order by t.score desc, t.theme) as themes
    from article_themes t
    semi join ids using (article_id)
    group by t.article_id
),
final as (
    select a.* exclude (text, key, simhash, content_hash), coalesce(th.themes, []) as themes
    from articles a
    semi join ids using (article_id)
    left join themes th using (article_id)
)
select * from final order by day, published_at nulls last, article_id
