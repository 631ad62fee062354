-- Average video view time per target audience, longest first (as the replaced system reported it).
-- Grain: one row per target audience.
select
    target_audience,
    avg(video_view_time) as avg_video_view_time,
    sum(clicks) / nullif(sum(impressions), 0) as ctr,
    sum(cost) / nullif(sum(conversions), 0) as cpa
from campaign_daily
group by target_audience
order by avg_video_view_time desc nulls last, target_audience
