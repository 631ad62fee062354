-- severity: error
-- Clicks never exceed impressions in the master.
select campaign_id, date, target_audience, impressions, clicks
from campaign_daily
where clicks > impressions
