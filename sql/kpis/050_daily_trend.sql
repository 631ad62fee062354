-- Daily trend across every platform: volume, spend and efficiency per day, from sums; a zero denominator gives NULL.
-- Grain: one row per date, oldest first.
select
    date,
    sum(impressions)::bigint as impressions,
    sum(clicks)::bigint as clicks,
    sum(cost) as cost,
    sum(conversions)::bigint as conversions,
    sum(revenue) as revenue,
    sum(clicks) / nullif(sum(impressions), 0) as ctr,
    sum(cost) / nullif(sum(conversions), 0) as cpa,
    sum(revenue) / nullif(sum(cost), 0) as roas
from campaign_daily
group by date
order by date
