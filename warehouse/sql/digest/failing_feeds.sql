-- Feeds whose last poll failed (needs the feeds table): the worst first.
select name, url, last_status, consecutive_failures, last_success_at, last_error
from feeds
where consecutive_failures > 0
order by consecutive_failures desc, name
