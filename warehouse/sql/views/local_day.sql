-- local_day(ts, tz): the calendar day of `ts` (a stored, naive UTC timestamp) in the IANA
-- timezone `tz`: how `articles.day` is bucketed (the `timezone` setting; see
-- warehouse/days.py). A time of exactly midnight is taken as a date stated without a time
-- (feeds and pages often give only the date; page dates are always date-only) and stays on
-- that date in every timezone: shifting it would move a 1 July article to 30 June in New York.
create or replace macro local_day(ts, tz) as
    case when ts = date_trunc('day', ts) then cast(ts as date)
         else cast(timezone(tz, timezone('UTC', ts)) as date) end
