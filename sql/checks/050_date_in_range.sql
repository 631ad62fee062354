-- severity: error
-- Every date lies between 2000-01-01 and the run's date: a later date is a clock or parsing error upstream.
-- Only the dates changed since the last publish are looked at (the rest passed these checks when it was published),
-- so a nightly run checks a night, not the history; a run whose checks fail publishes nothing, so they look again.
select campaign_id, date, target_audience, raw_file
from campaign_daily
where (date < date '2000-01-01' or date > cast({{ run_date }} as date))
    and date not in (select date from etl_published_dates)
