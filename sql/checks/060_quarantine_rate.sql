-- severity: error
-- At most 20% of the raw lines a run loaded may go to the quarantine; more means a layout or cleaning problem.
-- Returns one row (the run's counts) when the rate is above the threshold; no new files means nothing to check.
with loaded as (
    select coalesce(sum(rows), 0) as raw_lines from etl_manifest where run_id = {{ run_id }}
),

quarantined as (
    select count(*) as quarantined_count from quarantine where run_id = {{ run_id }}
)

select loaded.raw_lines, quarantined.quarantined_count, quarantined.quarantined_count / loaded.raw_lines as quarantine_rate
from loaded, quarantined
where loaded.raw_lines > 0 and quarantined.quarantined_count / loaded.raw_lines > 0.20
