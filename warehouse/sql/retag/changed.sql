-- How many of the articles in `enriched_ids` get themes that differ from their stored ones
-- (`enriched_tags` against article_themes), a taxonomy version change included: the retag's
-- `changed` count. Run before the tags are replaced.
with old as (
    select article_id, theme, taxonomy_version
    from article_themes
    semi join enriched_ids using (article_id)
),
new as (
    select article_id, theme, taxonomy_version
    from enriched_tags
    semi join enriched_ids using (article_id)
),
diff as (
    (select * from old except select * from new)
    union
    (select * from new except select * from old)
)
select count(distinct article_id) from diff
