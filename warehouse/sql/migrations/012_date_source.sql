-- 012: how each article's day was known, dates out of range, the timezone of `day`, and the
-- daily counts the trend views read (kept by every load; exact, see warehouse/trend_counts.py).
alter table articles add column if not exists date_source varchar;  -- published, feed, estimated, ingested
alter table articles add column if not exists date_note varchar;    -- why a stated date was not used

-- A stated time before 1900 or more than 2 days after the article was first seen is not a
-- publication time (a 9999-12-31 record made every later `digest --latest` a 9999 digest):
-- keep it in date_note and date the article by when it was first seen.
update articles
set date_note = 'stated publication time ' || strftime(published_at, '%Y-%m-%dT%H:%M:%S')
                || case when published_at < timestamp '1900-01-01' then ' is before 1900'
                        else ' is more than 2 days after the article was first seen' end
                || ': not used, the day is when it was first seen',
    published_at = null,
    day = cast(ingested_at as date)
where published_at < timestamp '1900-01-01' or published_at > ingested_at + interval 2 days;

-- Rows loaded before this migration: a stated date is called 'published' whatever stated it.
update articles
set date_source = case when published_at is null then 'ingested' else 'published' end
where date_source is null;

-- Settings that belong to the warehouse, not to one process: the timezone `day` is in.
create table if not exists warehouse_settings (
    name  varchar primary key,
    value varchar not null
);
insert into warehouse_settings values ('day_timezone', 'UTC') on conflict do nothing;

-- Distinct (not syndicated) articles per day: dated ones (published_at known) and undated.
create table if not exists daily_counts (
    day      date primary key,
    dated    integer not null,
    undated  integer not null
);
-- Distinct dated articles per day and theme.
create table if not exists daily_theme_counts (
    day      date not null,
    theme    varchar not null,
    articles integer not null,
    primary key (day, theme)
);

-- Their first fill (afterwards every load and retag keeps them: warehouse/trend_counts.py).
insert into daily_counts
select day, count(*) filter (where published_at is not null), count(*) filter (where published_at is null)
from articles where duplicate_of is null group by day;
insert into daily_theme_counts
select a.day, t.theme, count(*)
from articles a join article_themes t using (article_id)
where a.duplicate_of is null and a.published_at is not null
group by a.day, t.theme;
