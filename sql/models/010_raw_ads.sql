-- This run's raw rows in one shape, every field still text, so nothing is lost before cleaning.
-- Grain: one row per data line of a new raw file, in file order; raw_file says where it came from (the pipeline
-- numbers the lines from that order: see 020_clean_ads.sql).
-- Inputs, made by the transform from the files' headers: raw_input_ads (the generator's layout) and
-- raw_input_legacy (the replaced system's marketing_data_*.csv: no name, conversions or revenue; cost is costo_total).
-- Empty fields are '' here; a column the layout lacks is NULL. The view streams: DuckDB reads the files when
-- 020_clean_ads.sql materialises the rows, so the raw text is never stored as a whole.
create or replace temp view raw_ads as
select
    raw_file,
    coalesce(campaign_id, '') as campaign_id,
    coalesce(campaign_name, '') as campaign_name,
    coalesce(date, '') as date,
    coalesce(platform, '') as platform,
    coalesce(target_audience, '') as target_audience,
    coalesce(impressions, '') as impressions,
    coalesce(clicks, '') as clicks,
    coalesce(ctr, '') as ctr,
    coalesce(cpc, '') as cpc,
    coalesce(cost, '') as cost,
    coalesce(conversions, '') as conversions,
    coalesce(revenue, '') as revenue,
    coalesce(video_view_time, '') as video_view_time
from raw_input_ads

union all

select
    raw_file,
    coalesce(campaign_id, '') as campaign_id,
    null as campaign_name,
    coalesce(date, '') as date,
    coalesce(platform, '') as platform,
    coalesce(target_audience, '') as target_audience,
    coalesce(impressions, '') as impressions,
    coalesce(clicks, '') as clicks,
    coalesce(ctr, '') as ctr,
    coalesce(cpc, '') as cpc,
    coalesce(costo_total, '') as cost,
    null as conversions,
    null as revenue,
    coalesce(video_view_time, '') as video_view_time
from raw_input_legacy;
