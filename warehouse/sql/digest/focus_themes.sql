-- Themes among the day's focus articles (the theme_daily_focus view), most articles first.
select theme, articles, share
from theme_daily_focus
where day = $day
order by articles desc, theme
