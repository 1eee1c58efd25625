-- theme_daily_focus: theme_daily for focus articles only (article_focus.is_focus: the
-- article names every party of the `focus` setting); `share` is of that day's distinct
-- focus articles. The rule is daily_theme_share.sql's.
create or replace view theme_daily_focus as select * from daily_theme_share(true)
