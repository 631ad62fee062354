-- severity: error
-- The master holds each natural key (campaign_id, date, target_audience) once.
-- Only the dates changed since the last publish are looked at (the rest passed these checks when it was published),
-- so a nightly run checks a night, not the history; a run whose checks fail publishes nothing, so they look again.
select campaign_id, date, target_audience, count(*) as copies
from campaign_daily
where date not in (select date from etl_published_dates)
group by campaign_id, date, target_audience
having count(*) > 1
