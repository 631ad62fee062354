-- The master dataset: merges this run's clean rows into campaign_daily.
-- Grain: one row per (campaign_id, date, target_audience), the natural key.
-- Rule: a key seen again replaces the stored row; within one run the file with the greatest key wins.
create table if not exists campaign_daily (
    campaign_id varchar not null,
    campaign_name varchar,
    date date not null,
    platform varchar not null,
    target_audience varchar not null,
    impressions bigint not null,
    clicks bigint not null,
    cost decimal(18, 2) not null,
    conversions bigint,
    revenue decimal(18, 2),
    video_view_time double,
    raw_file varchar not null,
    run_id varchar not null
);

create or replace temp table new_campaign_daily as
select
    campaign_id, campaign_name, date, platform, target_audience,
    impressions, clicks, cost, conversions, revenue, video_view_time,
    raw_file,
    {{ run_id }} as run_id
from clean_ads
where campaign_id is not null and date is not null and platform is not null
    and target_audience is not null and impressions is not null and clicks is not null and cost is not null
qualify row_number() over (partition by campaign_id, date, target_audience order by raw_file desc) = 1;

delete from campaign_daily as d
using new_campaign_daily as n
where d.campaign_id = n.campaign_id and d.date = n.date and d.target_audience = n.target_audience;

insert into campaign_daily by name
select * from new_campaign_daily;
