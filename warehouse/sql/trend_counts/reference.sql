-- The daily counts computed from scratch: what daily_counts (theme = null) and
-- daily_theme_counts must hold. Distinct articles only (copies count once); a theme counts
-- dated articles only.
select day, null as theme, count(*) filter (where published_at is not null) as dated,
       count(*) filter (where published_at is null) as undated
from articles
where duplicate_of is null
group by day
union all
select a.day, t.theme, count(*) as dated, 0 as undated
from articles a
join article_themes t using (article_id)
where a.duplicate_of is null and a.published_at is not null
group by a.day, t.theme
