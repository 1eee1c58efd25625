-- Pending alerts whose next attempt is due, oldest first.
select alert_key, channel, watch, title, body_text, body_json, attempts
from alerts
where status = 'pending' and (next_attempt_at is null or next_attempt_at <= $now)
order by created_at, alert_key, channel
limit $limit
