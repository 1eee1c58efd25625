-- Per watch: articles matched, alerts created, and the last alert (its creation and, over
-- its channels, when it was last sent).
with matches as (
    select watch, count(*) as matches, max(matched_at) as last_match_at
    from watch_matches group by watch
),
fired as (
    select watch, count(distinct alert_key) as alerts, max(created_at) as last_fired_at,
           max(sent_at) as last_sent_at,
           count(*) filter (where status = 'pending') as pending,
           count(*) filter (where status = 'failed') as failed
    from alerts group by watch
)
select coalesce(m.watch, f.watch) as watch, coalesce(m.matches, 0) as matches, m.last_match_at,
       coalesce(f.alerts, 0) as alerts, f.last_fired_at, f.last_sent_at,
       coalesce(f.pending, 0) as pending, coalesce(f.failed, 0) as failed
from matches m
full join fired f using (watch)
