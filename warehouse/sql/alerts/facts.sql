-- What an alert says about each article of `alert_article_ids`: the article's columns (all
-- of them but the text, so story_id is there when the warehouse has stories) and its
-- themes, strongest first, each with its evidence and taxonomy version.
select
    a.* exclude (text, key, simhash, content_hash),
    coalesce((select list({'theme': t.theme, 'score': t.score, 'evidence': t.evidence,
                           'taxonomy_version': t.taxonomy_version}
                          order by t.score desc, t.theme)
              from article_themes t where t.article_id = a.article_id), []) as themes
from articles a
semi join alert_article_ids using (article_id)
order by a.day, a.published_at nulls last, a.article_id
