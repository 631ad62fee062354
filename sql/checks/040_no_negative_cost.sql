-- severity: error
-- No negative cost in the master (cleaning quarantines them; this guards the cleaning rules themselves).
select campaign_id, date, target_audience, cost, raw_file
from campaign_daily
where cost < 0
