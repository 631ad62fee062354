-- severity: error
-- No negative cost in the master (cleaning quarantines them; this guards the cleaning rules themselves).
-- Only the dates changed since the last publish are looked at (the rest passed these checks when it was published),
-- so a nightly run checks a night, not the history; a run whose checks fail publishes nothing, so they look again.
select campaign_id, date, target_audience, cost, raw_file
from campaign_daily
where cost < 0
    and date not in (select date from etl_published_dates)
