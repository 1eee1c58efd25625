-- Delivery per channel for `mediawatch status`: alerts pending, failed (given up) and sent,
-- when one was last sent, and the last error of a pending or failed one.
select
    channel,
    count(*) filter (where status = 'pending') as pending,
    count(*) filter (where status = 'failed') as failed,
    count(*) filter (where status = 'sent') as sent,
    max(sent_at) as last_sent_at,
    max(last_attempt_at) as last_attempt_at,
    arg_max(last_error, last_attempt_at) filter (where status <> 'sent') as last_error
from alerts
group by channel
order by failed desc, pending desc, channel
