-- Bottom 10 campaigns by ROI over the whole period, from sums; campaigns without spend have no ROI and are left out.
-- Grain: one row per campaign (its name and platform as on its latest day), worst first; `position` 1 is the worst.
with campaigns as (
    select
        campaign_id,
        arg_max(campaign_name, date) as campaign_name,
        arg_max(platform, date) as platform,
        sum(cost) as cost,
        sum(revenue) as revenue,
        (sum(revenue) - sum(cost)) / nullif(sum(cost), 0) as roi
    from campaign_daily
    group by campaign_id
)

select
    row_number() over (order by roi asc, campaign_id)::bigint as position,
    campaign_name,
    platform,
    cost,
    revenue,
    roi
from campaigns
where roi is not null
order by roi asc, campaign_id
limit 10
