-- Bottom 10 campaigns by ROI over the whole period, from sums; campaigns without spend have no ROI and are left out.
-- Grain: one row per campaign (its name and platform as on its latest day), worst first; `position` 1 is the worst.
-- Sums by campaign_id alone (a narrow aggregate); names and platforms are looked up for the ten campaigns shown only.
with campaigns as (
    select
        campaign_id,
        sum(cost) as cost,
        sum(revenue) as revenue,
        (sum(revenue) - sum(cost)) / nullif(sum(cost), 0) as roi
    from campaign_daily
    group by campaign_id
),

ranked as (
    select row_number() over (order by roi asc, campaign_id)::bigint as position, *
    from campaigns
    where roi is not null
    order by roi asc, campaign_id
    limit 10
),

latest as (
    select campaign_id, arg_max(campaign_name, date) as campaign_name, arg_max(platform, date) as platform
    from campaign_daily
    where campaign_id in (select campaign_id from ranked)
    group by campaign_id
)

select r.position, l.campaign_name, l.platform, r.cost, r.revenue, r.roi
from ranked as r
join latest as l using (campaign_id)
order by r.position
