-- Cleans this run's raw rows: trims text, normalises platform labels, parses numbers and dates.
-- Grain: one row per raw row. Rows that cannot be parsed keep NULLs here and are filtered by the next model.
create or replace temp table clean_ads as
with normalised as (
    select
        raw_file,
        trim(campaign_id) as campaign_id,
        nullif(trim(campaign_name), '') as campaign_name,
        try_cast(trim(date) as date) as date,
        lower(regexp_replace(trim(platform), '\s+', ' ', 'g')) as platform_label,
        trim(target_audience) as target_audience,
        try_cast(trim(impressions) as bigint) as impressions,
        try_cast(trim(clicks) as bigint) as clicks,
        try_cast(trim(cost) as decimal(18, 2)) as cost,
        try_cast(trim(conversions) as bigint) as conversions,
        try_cast(trim(revenue) as decimal(18, 2)) as revenue,
        try_cast(trim(video_view_time) as double) as video_view_time
    from raw_ads
)

select
    raw_file,
    campaign_id,
    campaign_name,
    date,
    case platform_label
        when 'facebook ads' then 'Facebook Ads'
        when 'fb ads' then 'Facebook Ads'
        when 'google ads' then 'Google Ads'
        when 'tiktok ads' then 'TikTok Ads'
        when 'linkedin ads' then 'LinkedIn Ads'
    end as platform,
    target_audience,
    impressions,
    clicks,
    cost,
    conversions,
    revenue,
    video_view_time
from normalised;
