-- severity: error
-- The master holds each natural key (campaign_id, date, target_audience) once.
select campaign_id, date, target_audience, count(*) as copies
from campaign_daily
group by campaign_id, date, target_audience
having count(*) > 1
