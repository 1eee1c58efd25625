-- theme_daily: per day and theme, how many distinct dated articles carry the theme and their
-- share of that day's distinct dated articles (the rule: daily_theme_share.sql).
create or replace view theme_daily as select * from daily_theme_share(false)
