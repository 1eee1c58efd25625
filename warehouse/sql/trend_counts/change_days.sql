-- Add ($sign = 1) or take back ($sign = -1) what the articles named in the temp view
-- `trend_changed` (article_id) count in daily_counts and daily_theme_counts, as stored now.
-- A load takes back the stored versions of its changed articles before writing them and adds
-- the new versions after; a retag does the same around its tags. The counts are those of
-- the reference query trend_counts/reference.sql, which a test holds them to.
insert into daily_counts
select
    day,
    $sign * count(*) filter (where published_at is not null) as dated,
    $sign * count(*) filter (where published_at is null) as undated
from articles
semi join trend_changed using (article_id)
where duplicate_of is null
group by day
on conflict (day) do update set
    dated = daily_counts.dated + excluded.dated,
    undated = daily_counts.undated + excluded.undated
