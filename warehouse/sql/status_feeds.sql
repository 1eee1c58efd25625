-- `mediawatch status`: feed health, failing feeds first (reads `feeds` from migration 002).
select
    name, last_status, last_success_at, last_polled_at, consecutive_failures, last_error
from feeds
order by consecutive_failures desc, name
