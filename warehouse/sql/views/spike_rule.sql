-- spike_rule: the one spike rule, shared by theme_trend.is_spike and the `spike` trigger of
-- watches. A day spikes when it has at least 3 articles, at least 7 earlier calendar days
-- of history (base_days), more articles than its baseline mean, and either a z-score of 2
-- or more against the baseline or a baseline with no variation at all (stddev 0: any rise
-- is unusual). The baseline is the 28 calendar days before the day.
create or replace macro spike_rule(articles, base_mean, base_sd, base_days) as
    coalesce(
        base_days >= 7 and articles >= 3 and articles > base_mean
        and ((articles - base_mean) / nullif(base_sd, 0) >= 2 or base_sd = 0),
        false
    )
