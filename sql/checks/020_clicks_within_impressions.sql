-- severity: error
-- Clicks never exceed impressions in the master.
-- Only the dates changed since the last publish are looked at (the rest passed these checks when it was published),
-- so a nightly run checks a night, not the history; a run whose checks fail publishes nothing, so they look again.
select campaign_id, date, target_audience, impressions, clicks
from campaign_daily
where clicks > impressions
    and date not in (select date from etl_published_dates)
