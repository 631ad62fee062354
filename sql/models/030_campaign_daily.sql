-- The master dataset: merges this run's clean rows (no quarantine reason) into campaign_daily.
-- Grain: one row per (campaign_id, date, target_audience), the natural key.
-- Dedup rule: for one key, the row from the raw file with the greatest lake key wins (batches are named by run
-- time, so that is the latest batch), and within one file the last line wins. The rule does not depend on the
-- order files were loaded in, so an incremental run and a --full-refresh give the same master.
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
with latest_in_run as (
    select
        campaign_id, campaign_name, date, platform, target_audience,
        impressions, clicks, cost, conversions, revenue, video_view_time,
        raw_file
    from clean_ads
    where reason is null
    qualify row_number() over (partition by campaign_id, date, target_audience order by raw_file desc, line_number desc) = 1
)

select n.*, {{ run_id }} as run_id
from latest_in_run as n
-- A stored row from a greater file key is newer data than this run's row: it stays.
anti join campaign_daily as d
    on d.campaign_id = n.campaign_id and d.date = n.date and d.target_audience = n.target_audience and d.raw_file > n.raw_file;

delete from campaign_daily as d
using new_campaign_daily as n
where d.campaign_id = n.campaign_id and d.date = n.date and d.target_audience = n.target_audience;

insert into campaign_daily by name
select * from new_campaign_daily;
