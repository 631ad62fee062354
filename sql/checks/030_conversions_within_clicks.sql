-- severity: error
-- Conversions never exceed clicks in the master (cleaning does not repair this, so a breach means bad source data).
-- Only the dates changed since the last publish are looked at (the rest passed these checks when it was published),
-- so a nightly run checks a night, not the history; a run whose checks fail publishes nothing, so they look again.
select campaign_id, date, target_audience, clicks, conversions, raw_file
from campaign_daily
where conversions > clicks
    and date not in (select date from etl_published_dates)
