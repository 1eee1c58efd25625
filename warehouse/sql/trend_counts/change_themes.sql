-- The theme half of change_days.sql (see there): distinct dated articles per day and theme.
-- `trend_changed_tags` is article_themes, or the batch's own tags when they are known (a load
-- adds its new tags from the batch, not from a scan of every stored tag).
insert into daily_theme_counts
select a.day, t.theme, $sign * count(*) as articles
from trend_changed_rows a
join trend_changed_tags t using (article_id)
where a.duplicate_of is null and a.published_at is not null
group by a.day, t.theme
on conflict (day, theme) do update set
    articles = daily_theme_counts.articles + excluded.articles
