-- Overview of the whole period: totals and efficiency across every platform, from sums; a zero denominator gives NULL.
-- Grain: one row for the whole master (the report's headline cards).
select
    min(date) as first_date,
    max(date) as last_date,
    count(distinct date)::bigint as days,
    count(distinct campaign_id)::bigint as campaigns,
    sum(impressions)::bigint as impressions,
    sum(clicks)::bigint as clicks,
    sum(cost) as cost,
    sum(conversions)::bigint as conversions,
    sum(revenue) as revenue,
    sum(clicks) / nullif(sum(impressions), 0) as ctr,
    sum(cost) / nullif(sum(clicks), 0) as cpc,
    1000 * sum(cost) / nullif(sum(impressions), 0) as cpm,
    sum(conversions) / nullif(sum(clicks), 0) as cvr,
    sum(cost) / nullif(sum(conversions), 0) as cpa,
    sum(revenue) / nullif(sum(cost), 0) as roas,
    (sum(revenue) - sum(cost)) / nullif(sum(cost), 0) as roi
from campaign_daily
