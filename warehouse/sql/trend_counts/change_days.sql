-- Add ($sign = 1) or take back ($sign = -1) what the articles in the temp view
-- `trend_changed_rows` (their stored article_id, day, published_at, duplicate_of) count in
-- daily_counts and daily_theme_counts, as stored now.
-- A load takes back the stored versions of its changed articles before writing them and adds
-- the new versions after; a retag does the same around its tags. The counts are those of
-- the reference query trend_counts/reference.sql, which a test holds them to.
insert into daily_counts
select
    day,
    $sign * count(*) filter (where published_at is not null) as dated,
    $sign * count(*) filter (where published_at is null) as undated
from trend_changed_rows
where duplicate_of is null
group by day
on conflict (day) do update set
    dated = daily_counts.dated + excluded.dated,
    undated = daily_counts.undated + excluded.undated
