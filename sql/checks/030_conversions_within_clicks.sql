-- severity: error
-- Conversions never exceed clicks in the master (cleaning does not repair this, so a breach means bad source data).
select campaign_id, date, target_audience, clicks, conversions, raw_file
from campaign_daily
where conversions > clicks
