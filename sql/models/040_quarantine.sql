-- Rows that could not be repaired, and lines with broken CSV structure, kept with where they came from and why.
-- Grain: one row per rejected raw line (raw_file, line_number). Nothing is dropped silently: every raw line of the
-- run is either in campaign_daily (or deduplicated into it) or here.
-- Reasons: those of 020_clean_ads.sql, and malformed_csv (DuckDB's rejects: wrong column count, bad quoting,
-- invalid UTF-8; `detail` gives the parser's message and `raw_line` the line as written).
insert into quarantine by name
select
    r.raw_file,
    r.line_number,
    c.reason,
    {{ run_id }} as run_id,
    r.campaign_id, r.campaign_name, r.date, r.platform, r.target_audience,
    r.impressions, r.clicks, r.ctr, r.cpc, r.cost, r.conversions, r.revenue, r.video_view_time
from clean_ads as c
join raw_ads as r on r.raw_file = c.raw_file and r.line_number = c.line_number
where c.reason is not null

union all by name

select
    raw_file,
    line_number,
    'malformed_csv' as reason,
    {{ run_id }} as run_id,
    error_type || ': ' || error_message as detail,
    csv_line as raw_line
from raw_rejects;
