-- severity: error
-- Every date lies between 2000-01-01 and the run's date: a later date is a clock or parsing error upstream.
select campaign_id, date, target_audience, raw_file
from campaign_daily
where date < date '2000-01-01' or date > cast({{ run_date }} as date)
